// SPDX-License-Identifier: GPL-3.0-or-later
#include "UiLogging.h"

Q_LOGGING_CATEGORY(lcUi, "ai2in.ui", QtInfoMsg)
