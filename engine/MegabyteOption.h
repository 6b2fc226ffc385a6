// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <optional>

// A size on the command line, in MiB: "512", "512M", "4G", "1T" (binary
// units; a bare number is MiB). Pure: nullopt for anything else, for zero
// and for more than `maxMb`.
namespace MegabyteOption {
std::optional<qint64> parse(const QString &text, qint64 maxMb);
} // namespace MegabyteOption
