// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>

// The agent writes an upload to a temporary file next to its target
// (".NAME.ai2in-XXXXXX", or ".ai2in-XXXXXX" for long names) and renames it
// when the data is on the disk. When the sandbox's processes end in the
// middle (a stopping pause, a crash of the host) that file stays behind in
// the upper layer. This removes such files while the upper layer is not
// mounted, so nothing in the sandbox can race the removal.
class UploadLeftovers
{
public:
    // Runs find(1) off the event loop; `done` runs in `context`'s thread when
    // it ends. A failure is only logged: a leftover costs space, not state.
    static void sweep(const QString &upperDir, QObject *context, std::function<void()> done);

    // The arguments of find(1) that delete the leftovers under `upperDir`.
    static QStringList findArguments(const QString &upperDir);
};
