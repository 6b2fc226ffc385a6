// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLoggingCategory>

// ai2in.engine.proxy: the preview listener, its connections and the port watcher.
Q_DECLARE_LOGGING_CATEGORY(lcProxy)
