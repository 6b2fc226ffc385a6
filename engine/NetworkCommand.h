// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

// `ai2ind network show|down [--network-name NAME]`: prints the engine's
// nftables table, or removes it with every sandbox link of that name (what
// the package's removal runs; the engine must be stopped first).
int runNetworkCommand(const QStringList &args);
