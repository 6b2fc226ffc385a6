// SPDX-License-Identifier: GPL-3.0-or-later
#include "FilesLogging.h"

Q_LOGGING_CATEGORY(lcModelFiles, "ai2in.model.files", QtInfoMsg)
