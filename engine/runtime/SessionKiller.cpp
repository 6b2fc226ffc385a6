// SPDX-License-Identifier: GPL-3.0-or-later
#include "SessionKiller.h"

#include "RuncDriver.h"

#include <QFile>
#include <QFileInfo>
#include <QTimer>

#include <cerrno>
#include <csignal>

namespace {

constexpr int kFreezePollMs = 2;
constexpr int kFreezeTimeoutMs = 5000;
constexpr int kRoundGapMs = 10;
constexpr int kGiveUpMs = 15000;

std::optional<QByteArray> slurp(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return std::nullopt;
    return f.readAll();
}

bool put(const QString &path, const QByteArray &value)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Unbuffered) && f.write(value) == value.size();
}

} // namespace

SessionKiller::SessionKiller(const QString &cgroupsPath, qint64 session, int signal, QObject *parent,
                             const QString &cgroupRoot)
    : QObject(parent)
    , m_session(session)
    , m_signal(signal)
{
    m_unified = QFileInfo::exists(cgroupRoot + QStringLiteral("/cgroup.controllers"));
    m_freezeDir = m_unified ? cgroupRoot + cgroupsPath : cgroupRoot + QStringLiteral("/freezer") + cgroupsPath;
}

std::optional<qint64> SessionKiller::innerSession(const QByteArray &procStatus)
{
    for (const QByteArray &line : procStatus.split('\n')) {
        if (!line.startsWith("NSsid:"))
            continue;
        // One id per pid namespace, outermost first: the last is the one the
        // sandbox sees.
        const QList<QByteArray> ids = line.mid(6).simplified().split(' ');
        bool ok = false;
        const qint64 v = ids.isEmpty() ? -1 : ids.last().toLongLong(&ok);
        if (!ok || v < 0)
            return std::nullopt;
        return v;
    }
    return std::nullopt;
}

std::optional<QList<qint64>> SessionKiller::parseProcs(const QByteArray &text)
{
    QList<qint64> pids;
    for (const QByteArray &line : text.split('\n')) {
        if (line.isEmpty())
            continue;
        bool ok = false;
        const qint64 v = line.toLongLong(&ok);
        if (!ok || v <= 0)
            return std::nullopt;
        pids.append(v);
    }
    return pids;
}

void SessionKiller::start(std::function<void(Result<Outcome>)> done)
{
    m_done = std::move(done);
    if (m_session <= 1) {
        // Session 1 is the agent's own.
        finish(ApiError::badRequest(QStringLiteral("Session %1 cannot be ended.").arg(m_session)));
        return;
    }
    if (!QFileInfo::exists(m_freezeDir)) {
        finish(ApiError::conflict(QStringLiteral("The sandbox's cgroup is gone; it is not running.")));
        return;
    }
    m_elapsed.start();
    round();
}

bool SessionKiller::setFrozen(bool frozen)
{
    if (m_unified)
        return put(m_freezeDir + QStringLiteral("/cgroup.freeze"), frozen ? "1" : "0");
    return put(m_freezeDir + QStringLiteral("/freezer.state"), frozen ? "FROZEN" : "THAWED");
}

std::optional<bool> SessionKiller::isFrozen() const
{
    if (m_unified) {
        const auto events = slurp(m_freezeDir + QStringLiteral("/cgroup.events"));
        if (!events)
            return std::nullopt;
        return events->contains("frozen 1");
    }
    const auto state = slurp(m_freezeDir + QStringLiteral("/freezer.state"));
    if (!state)
        return std::nullopt;
    return state->trimmed() == "FROZEN";
}

void SessionKiller::round()
{
    ++m_outcome.rounds;
    if (!setFrozen(true)) {
        finish(ApiError::internal(QStringLiteral("Cannot freeze the sandbox's processes (%1).").arg(m_freezeDir)));
        return;
    }
    m_freezing.start();
    waitFrozen();
}

void SessionKiller::waitFrozen()
{
    const auto frozen = isFrozen();
    if (frozen && *frozen) {
        signalAndThaw();
        return;
    }
    if (!frozen || m_freezing.elapsed() > kFreezeTimeoutMs) {
        setFrozen(false);
        finish(ApiError::internal(QStringLiteral("The sandbox's processes did not freeze within %1 s.")
                                      .arg(kFreezeTimeoutMs / 1000)));
        return;
    }
    QTimer::singleShot(kFreezePollMs, this, [this] { waitFrozen(); });
}

void SessionKiller::signalAndThaw()
{
    int signalled = 0;
    const auto procs = parseProcs(slurp(m_freezeDir + QStringLiteral("/cgroup.procs")).value_or(QByteArray()));
    for (qint64 pid : procs.value_or(QList<qint64>())) {
        const auto status = slurp(QStringLiteral("/proc/%1/status").arg(pid));
        if (!status || innerSession(*status) != m_session)
            continue;
        // Frozen, the process cannot exit and hand its pid to another
        // between the read above and this signal.
        if (::kill(pid_t(pid), m_signal) == 0)
            ++signalled;
        else if (errno != ESRCH)
            qCWarning(lcRuntime) << "cannot signal process" << pid << ":" << qt_error_string(errno);
    }
    if (!setFrozen(false)) {
        finish(ApiError::internal(QStringLiteral("Cannot thaw the sandbox's processes (%1).").arg(m_freezeDir)));
        return;
    }
    m_outcome.signalled += signalled;
    if (!procs) {
        finish(ApiError::internal(QStringLiteral("Cannot read the processes of the sandbox's cgroup.")));
        return;
    }
    // Another signal is asked for once; SIGKILL is repeated until nothing of
    // the session is left (killed processes stay listed until they exit).
    if (m_signal != SIGKILL || signalled == 0) {
        finish(m_outcome);
        return;
    }
    if (m_elapsed.elapsed() > kGiveUpMs) {
        finish(ApiError::internal(QStringLiteral("Processes of session %1 were still there after %2 s of killing.")
                                      .arg(m_session)
                                      .arg(kGiveUpMs / 1000)));
        return;
    }
    QTimer::singleShot(kRoundGapMs, this, [this] { round(); });
}

void SessionKiller::finish(Result<Outcome> r)
{
    auto done = std::move(m_done);
    deleteLater();
    if (done)
        done(std::move(r));
}
