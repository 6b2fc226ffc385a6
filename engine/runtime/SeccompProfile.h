// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

// The seccomp filter a runtime's sandboxes run under, kept as data: one JSON
// file per runtime (engine/runtime/profiles/seccomp-<runtime>.json), compiled
// into ai2ind as a Qt resource. The file holds a "seccomp" object in the OCI
// runtime spec's linux.seccomp form, plus "comment" strings anywhere, which
// are dropped. A profile must be an allow-list: its default action refuses.
namespace SeccompProfile {

// Checks a profile file's text and returns its "seccomp" object without
// comments, or a sentence naming the first fault and where it is
// (e.g. "syscalls[3].action: …"). Unknown keys are faults, so a misspelt
// "args" cannot silently widen a rule.
Result<QJsonObject> parse(const QByteArray &text);

// The compiled-in profile of a runtime, named by its binary ("runc" for
// /usr/sbin/runc); a clear error when there is none or it is malformed.
Result<QJsonObject> forRuntime(const QString &runtimePath);

// ":/profiles/seccomp-<name>.json" for the runtime binary at `runtimePath`.
QString resourcePathFor(const QString &runtimePath);

} // namespace SeccompProfile
