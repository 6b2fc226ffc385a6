// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

// `ai2ind [serve] [options]`: runs the engine until it is stopped.
int runServeCommand(const QStringList &args);
// `ai2ind keys create|list|revoke …`.
int runKeysCommand(const QStringList &args);
