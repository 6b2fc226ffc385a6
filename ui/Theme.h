// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

// Light, dark or the platform's own look.
namespace Theme {
void apply(const QString &name);
} // namespace Theme
