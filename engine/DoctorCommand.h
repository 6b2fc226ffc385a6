// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

// `ai2ind doctor [--data-dir DIR] [--templates DIR] [--runtime PATH]
// [--template NAME]`: checks that this host can run the engine, one line per
// check ("✓ …" or "✗ … what to do"). args start with the program name.
// Returns 0 when every check passes, 1 otherwise.
int runDoctorCommand(const QStringList &args);
