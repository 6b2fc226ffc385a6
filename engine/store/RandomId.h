// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

// Random identifiers from the system's secure generator, lowercase letters and
// digits only so they are safe in host names (preview URLs) and paths.
namespace RandomId {
QString chars(int n);
inline QString sandboxId() { return QStringLiteral("sbx_") + chars(16); }
} // namespace RandomId
