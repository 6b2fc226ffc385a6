// SPDX-License-Identifier: GPL-3.0-or-later
#include "TerminalLogging.h"

Q_LOGGING_CATEGORY(lcTerminal, "ai2in.ui.terminal", QtInfoMsg)
