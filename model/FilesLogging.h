// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLoggingCategory>

// The Files tab's data side: listings, the watch, uploads and downloads.
Q_DECLARE_LOGGING_CATEGORY(lcModelFiles)
