// SPDX-License-Identifier: GPL-3.0-or-later
#include "ModelLogging.h"

Q_LOGGING_CATEGORY(lcModelSandboxes, "ai2in.model.sandboxes", QtInfoMsg)
Q_LOGGING_CATEGORY(lcModelClient, "ai2in.model.client", QtInfoMsg)
Q_LOGGING_CATEGORY(lcModelActivity, "ai2in.model.activity", QtInfoMsg)
