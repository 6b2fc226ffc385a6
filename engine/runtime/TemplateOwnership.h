// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <atomic>

// Moves every owner in a template's tree into the id range its sandboxes'
// user namespaces map: uid/gid n becomes base + n. Setuid bits and file
// capabilities, which chown() drops, are put back.
namespace TemplateOwnership {
// Walks `root` (tens of thousands of chown() calls: run it off the event
// loop); stops early once *cancel is set. An empty string on success, else a
// sentence naming the file and the error.
QString shift(const QString &root, uint base, uint count, const std::atomic_bool *cancel);
} // namespace TemplateOwnership
