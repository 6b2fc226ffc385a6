// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

// `ai2ind template build NAME [--force] [--templates DIR]` and
// `ai2ind template list [--templates DIR]`. args start after the verb
// "template". Needs an existing QCoreApplication and runs its event loop.
// Returns the process exit code: 0 done, 1 failed, 130/143 interrupted.
int runTemplateCommand(const QStringList &args);
