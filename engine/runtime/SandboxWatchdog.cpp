// SPDX-License-Identifier: GPL-3.0-or-later
#include "SandboxWatchdog.h"

#include "OciSpec.h"
#include "RuncDriver.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSocketNotifier>
#include <QTimer>

#include <cerrno>
#include <cstring>
#include <sys/syscall.h>
#include <unistd.h>

namespace {

constexpr int kRuncStateTimeoutMs = 30000;

QString deathSentence()
{
    return QStringLiteral("The sandbox's agent (its PID 1) died unexpectedly, and every process in the sandbox "
                          "ended with it. Its files are kept until it is killed.");
}

} // namespace

SandboxWatchdog::SandboxWatchdog(RuncDriver *runc, QObject *parent)
    : QObject(parent)
    , m_runc(runc)
{
}

SandboxWatchdog::~SandboxWatchdog()
{
    for (Watch &w : m_watches)
        release(w);
}

std::optional<qint64> SandboxWatchdog::initPid(const QByteArray &runcStateJson)
{
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(runcStateJson, &err);
    if (err.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    const QJsonObject o = doc.object();
    const QString status = o.value(QStringLiteral("status")).toString();
    // A frozen container's init is alive too; "created" has not run yet.
    if (status != QLatin1String("running") && status != QLatin1String("paused"))
        return std::nullopt;
    const QJsonValue pid = o.value(QStringLiteral("pid"));
    if (!pid.isDouble() || pid.toDouble() < 2 || pid.toDouble() > 4194304 || pid.toDouble() != qint64(pid.toDouble()))
        return std::nullopt;
    return qint64(pid.toDouble());
}

void SandboxWatchdog::release(Watch &w)
{
    if (w.notifier) {
        w.notifier->setEnabled(false);
        w.notifier->deleteLater();
        w.notifier = nullptr;
    }
    if (w.pidfd >= 0) {
        ::close(w.pidfd);
        w.pidfd = -1;
    }
}

void SandboxWatchdog::forget(const QString &id)
{
    auto it = m_watches.find(id);
    if (it == m_watches.end())
        return;
    release(*it);
    m_watches.erase(it);
}

void SandboxWatchdog::watch(const QString &id, std::optional<qint64> knownPid)
{
    forget(id);
    const quint64 generation = m_nextGeneration++;
    m_watches.insert(id, Watch{generation, 0, -1, nullptr});
    if (knownPid) {
        // Just started by runc, which wrote its pid: no `runc state` needed.
        arm(id, generation, *knownPid);
        return;
    }

    auto *p = new QProcess(this);
    auto *timer = new QTimer(p);
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, p, [p] { p->kill(); });
    connect(p, &QProcess::finished, this, [this, p, id, generation](int code, QProcess::ExitStatus status) {
        p->deleteLater();
        auto it = m_watches.find(id);
        if (it == m_watches.end() || it->generation != generation)
            return; // forgotten or replaced meanwhile
        const auto pid = status == QProcess::NormalExit && code == 0 ? initPid(p->readAllStandardOutput())
                                                                     : std::nullopt;
        if (!pid) {
            const QByteArray err = p->readAllStandardError();
            if (status == QProcess::NormalExit && (code == 0 || err.contains("does not exist"))) {
                died(id, deathSentence());
                return;
            }
            // runc itself failed (killed by its timeout, say): we know nothing;
            // the caller's next watch() tries again.
            qCWarning(lcRuntime) << "cannot find the init process of" << id << ":" << err.trimmed();
            m_watches.erase(it);
            return;
        }
        arm(id, generation, *pid);
    });
    connect(p, &QProcess::errorOccurred, this, [this, p, id, generation](QProcess::ProcessError e) {
        if (e != QProcess::FailedToStart)
            return;
        p->deleteLater();
        qCWarning(lcRuntime) << "cannot run" << m_runc->runtimePath() << "to watch" << id << ":" << p->errorString();
        auto it = m_watches.find(id);
        if (it != m_watches.end() && it->generation == generation)
            m_watches.erase(it);
    });
    p->start(m_runc->runtimePath(), {QStringLiteral("--root"), m_runc->stateRoot(), QStringLiteral("state"), id});
    timer->start(kRuncStateTimeoutMs);
}

void SandboxWatchdog::arm(const QString &id, quint64 generation, qint64 pid)
{
    auto it = m_watches.find(id);
    if (it == m_watches.end() || it->generation != generation)
        return;
    // The pidfd first: it pins this very process, so the checks below cannot
    // be fooled by a pid the kernel gave to someone else meanwhile.
    const int pidfd = int(::syscall(SYS_pidfd_open, pid_t(pid), 0));
    if (pidfd < 0) {
        if (errno == ESRCH) {
            died(id, deathSentence());
            return;
        }
        qCWarning(lcRuntime) << "cannot watch the init process of" << id << ":" << std::strerror(errno);
        m_watches.erase(it);
        return;
    }
    it->pid = pid;
    it->pidfd = pidfd;
    QFile cgroup(QStringLiteral("/proc/%1/cgroup").arg(pid));
    const QByteArray membership = cgroup.open(QIODevice::ReadOnly) ? cgroup.readAll() : QByteArray();
    if (!membership.contains(OciSpec::cgroupsPathFor(id).toUtf8())) {
        // Exited, and its pid reused, between `runc state` and the pidfd.
        died(id, deathSentence());
        return;
    }
    QFile adj(QStringLiteral("/proc/%1/oom_score_adj").arg(pid));
    if (!adj.open(QIODevice::WriteOnly | QIODevice::Unbuffered) || adj.write("-1000") != 5) {
        // Lowering a score needs CAP_SYS_RESOURCE, which an engine run in a
        // container may lack: the agent's children then still score 1000
        // against its 0 (see agent/OomScore.h). Said once, not per sandbox.
        static bool told = false;
        if (!told)
            qCWarning(lcRuntime) << "cannot give sandbox agents an OOM score of -1000:" << adj.errorString()
                                 << "(the engine needs CAP_SYS_RESOURCE); their own processes stay the OOM "
                                    "killer's first choice";
        told = true;
    }
    it->notifier = new QSocketNotifier(qintptr(pidfd), QSocketNotifier::Read, this);
    connect(it->notifier, &QSocketNotifier::activated, this, [this, id, generation] {
        auto w = m_watches.constFind(id);
        if (w != m_watches.cend() && w->generation == generation)
            died(id, deathSentence());
    });
}

void SandboxWatchdog::died(const QString &id, const QString &reason)
{
    forget(id);
    qCWarning(lcRuntime) << "the agent of" << id << "died";
    Q_EMIT agentDied(id, reason);
}
