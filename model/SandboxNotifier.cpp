// SPDX-License-Identifier: GPL-3.0-or-later
#include "SandboxNotifier.h"

#include "SandboxModel.h"

#include <QLocale>

SandboxNotifier::SandboxNotifier(SandboxModel *model, QObject *parent)
    : QObject(parent)
    , m_model(model)
{
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(model, signal, this, &SandboxNotifier::scan);
    connect(model, &QAbstractItemModel::dataChanged, this, &SandboxNotifier::scan);
    connect(model, &QAbstractItemModel::modelReset, this, &SandboxNotifier::scan);
    m_clock.setInterval(15000);
    connect(&m_clock, &QTimer::timeout, this, &SandboxNotifier::scan);
    m_clock.start();
}

QList<SandboxNotifier::Notice> SandboxNotifier::notices(const std::optional<Seen> &before, const SandboxInfo &info,
                                                        const std::optional<SandboxMetrics> &metrics,
                                                        const QDateTime &now, const Settings &settings, Seen *after)
{
    QList<Notice> out;
    Seen seen;
    seen.state = info.state;
    // A reading without metrics (paused, not asked yet) keeps the count.
    seen.oomKills = metrics ? metrics->oomKills : (before ? before->oomKills : 0);
    seen.warnedEndAt = before ? before->warnedEndAt : QDateTime();
    if (before) {
        if (settings.failures && info.state == SandboxState::Error && before->state != SandboxState::Error) {
            out.append({Notice::Kind::Failed, info.id, tr("Sandbox %1 failed").arg(info.id),
                        info.errorReason.isEmpty() ? tr("Its first process ended; its commands are lost.")
                                                   : info.errorReason});
        }
        // A count below the last one is a new cgroup (resumed after a stop).
        const qint64 fresh = metrics && metrics->oomKills >= before->oomKills ? metrics->oomKills - before->oomKills
                             : metrics                                     ? metrics->oomKills
                                                                           : 0;
        if (settings.oomKills && fresh > 0) {
            out.append({Notice::Kind::OutOfMemory, info.id, tr("Out of memory in %1").arg(info.id),
                        fresh == 1 ? tr("The OOM killer ended a process: the sandbox reached its %1 MiB.").arg(info.memoryMb)
                                   : tr("The OOM killer ended %1 processes: the sandbox reached its %2 MiB.")
                                         .arg(fresh)
                                         .arg(info.memoryMb)});
        }
    }
    if (settings.endWarningMinutes > 0 && info.endAt.isValid() && info.state != SandboxState::Error &&
        seen.warnedEndAt != info.endAt) {
        const qint64 left = now.secsTo(info.endAt);
        if (left > 0 && left <= qint64(settings.endWarningMinutes) * 60) {
            seen.warnedEndAt = info.endAt;
            const qint64 minutes = (left + 59) / 60;
            out.append({Notice::Kind::EndingSoon, info.id, tr("Sandbox %1 ends soon").arg(info.id),
                        (minutes == 1 ? tr("It will be killed in less than a minute, at %1.")
                                      : tr("It will be killed in %1 minutes, at %2.").arg(minutes))
                            .arg(QLocale().toString(info.endAt.toLocalTime().time(), QLocale::ShortFormat))});
        }
    }
    *after = seen;
    return out;
}

void SandboxNotifier::scan()
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QHash<QString, Seen> seen;
    int running = 0;
    QList<Notice> found;
    for (const SandboxInfo &info : m_model->sandboxes()) {
        running += info.state == SandboxState::Running;
        const auto it = m_seen.constFind(info.id);
        Seen after;
        found += notices(it == m_seen.cend() ? std::nullopt : std::optional<Seen>(*it), info, m_model->metricsOf(info.id),
                         now, m_settings, &after);
        seen.insert(info.id, after);
    }
    m_seen = std::move(seen);
    if (running != m_running) {
        m_running = running;
        Q_EMIT runningCountChanged(running);
    }
    for (const Notice &n : found)
        Q_EMIT notice(n);
}
