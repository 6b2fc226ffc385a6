// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "SandboxInfo.h"
#include "SandboxMetrics.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QObject>
#include <QTimer>

#include <optional>

class SandboxModel;

// What the app tells a person who is not looking at its window: a sandbox
// failed (its PID 1 died), the OOM killer ended one of its processes, or it
// is about to reach its end time. It watches the sandbox model; the window
// shows each notice (the tray's message where there is a tray). Each event is
// told once: a failure once per sandbox, each new OOM kill, the end time once
// per end time (a new timeout may warn again).
class SandboxNotifier : public QObject
{
    Q_OBJECT
public:
    struct Settings
    {
        bool failures = true;
        bool oomKills = true;
        int endWarningMinutes = 5; // 0: no warning
        bool operator==(const Settings &) const = default;
    };
    struct Notice
    {
        enum class Kind { Failed, OutOfMemory, EndingSoon };
        Kind kind = Kind::Failed;
        QString sandboxId;
        QString title;
        QString text;
    };
    // What the notifier remembers of one sandbox.
    struct Seen
    {
        SandboxState state = SandboxState::Running;
        qint64 oomKills = 0;
        QDateTime warnedEndAt; // the end time already warned of
    };

    explicit SandboxNotifier(SandboxModel *model, QObject *parent = nullptr);

    void setSettings(const Settings &settings) { m_settings = settings; }
    Settings settings() const { return m_settings; }
    int runningCount() const { return m_running; }

    // Pure: the notices one sandbox's new reading brings at `now`, given what
    // was seen of it before (none: first seen, which tells of nothing that
    // was already so), and what is seen now.
    static QList<Notice> notices(const std::optional<Seen> &before, const SandboxInfo &info,
                                 const std::optional<SandboxMetrics> &metrics, const QDateTime &now,
                                 const Settings &settings, Seen *after);

Q_SIGNALS:
    void notice(const SandboxNotifier::Notice &notice);
    void runningCountChanged(int count);

private:
    void scan();

    SandboxModel *m_model;
    Settings m_settings;
    QHash<QString, Seen> m_seen;
    int m_running = 0;
    QTimer m_clock; // end times come closer without any change in the model
};

Q_DECLARE_METATYPE(SandboxNotifier::Notice)
