// SPDX-License-Identifier: GPL-3.0-or-later
// SandboxManager, part two: bringing every sandbox back to a steady state
// when the engine starts (after a restart or a crash).
#include "SandboxManager.h"

#include "RuncDriver.h"
#include "SandboxRuntime.h"
#include "store/SandboxStore.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTimer>

#include <memory>

#include <unistd.h>

namespace {

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

QDateTime now()
{
    return QDateTime::currentDateTimeUtc();
}

constexpr int kStrayCallWaitMs = 10000;

// Whether a runtime call on `root` is still running: one the previous engine
// started and did not see end, because it was killed meanwhile.
bool strayRuntimeCall(const QString &root)
{
    const QByteArray wanted = QFile::encodeName(root);
    const QString self = QString::number(QCoreApplication::applicationPid());
    for (const QString &pid : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        if (pid == self || !pid.front().isDigit())
            continue;
        // Only the engine's own user runs its runtime: another local user
        // must not be able to hold the restore up with a look-alike.
        if (QFileInfo(QStringLiteral("/proc/") + pid).ownerId() != ::geteuid())
            continue;
        QFile f(QStringLiteral("/proc/%1/cmdline").arg(pid));
        if (!f.open(QIODevice::ReadOnly))
            continue;
        const QList<QByteArray> args = f.readAll().split('\0');
        for (qsizetype i = 0; i + 1 < args.size(); ++i) {
            if (args.at(i) == "--root" && args.at(i + 1) == wanted)
                return true;
        }
    }
    return false;
}

// An orphaned `runc run` or `runc delete` would race the restore (a container
// appearing after its creation was undone), so the restore waits for them.
void whenNoStrayCalls(QObject *context, const QString &root, QDeadlineTimer deadline, std::function<void()> then)
{
    if (!strayRuntimeCall(root) || deadline.hasExpired()) {
        then();
        return;
    }
    QTimer::singleShot(50, context, [context, root, deadline, then] { whenNoStrayCalls(context, root, deadline, then); });
}

// Runs `step` for each id in turn, then `done`.
void forEachInTurn(std::shared_ptr<QStringList> ids, std::function<void(const QString &, std::function<void()>)> step,
                   std::function<void()> done)
{
    if (ids->isEmpty()) {
        done();
        return;
    }
    const QString id = ids->takeFirst();
    step(id, [ids, step, done] { forEachInTurn(ids, step, done); });
}

} // namespace

// ---- restart ---------------------------------------------------------------

void SandboxManager::restore(std::function<void(Status)> done)
{
    whenNoStrayCalls(this, m_runtime->runc()->stateRoot(), QDeadlineTimer(kStrayCallWaitMs),
                     [this, done] { restoreRows(done); });
}

void SandboxManager::restoreRows(std::function<void(Status)> done)
{
    const auto rows = m_store->loadAll();
    if (!rows) {
        done(rows.error());
        return;
    }
    auto ids = std::make_shared<QStringList>();
    for (const SandboxRecord &r : *rows) {
        Entry &e = m_entries[r.info.id];
        e.rec = r;
        // The engine was away; nobody could be active meanwhile.
        e.rec.lastActivityMs = nowMs();
        // The node is this engine, whatever it was called before.
        e.rec.info.nodeId = m_options.nodeId;
        ids->append(r.info.id);
    }
    forEachInTurn(ids, [this](const QString &id, std::function<void()> next) { restoreOne(id, next); },
                  [this, done] {
                      sweepOrphans([this, done] {
                          m_reaper.start();
                          done(Done{});
                      });
                  });
}

void SandboxManager::restoreOne(const QString &id, std::function<void()> next)
{
    Entry &e = m_entries.at(id);
    const SandboxState s = e.rec.info.state;
    e.busy = true;
    auto release = [this, id, next] {
        auto it = m_entries.find(id);
        if (it != m_entries.end())
            it->second.busy = false;
        next();
    };
    switch (s) {
    case SandboxState::Creating:
    case SandboxState::Killing:
        // A creation that did not finish never reached its client: undo it.
        doKill(id, s == SandboxState::Creating ? QStringLiteral("its creation was interrupted")
                                               : QStringLiteral("finishing an interrupted kill"),
               [release](Status) { release(); });
        return;
    case SandboxState::Pausing:
    case SandboxState::Paused:
        m_runtime->runc()->state(id, [this, id, s, release](Result<QString> runcState) {
            auto it = m_entries.find(id);
            if (it == m_entries.end()) {
                release();
                return;
            }
            SandboxRecord &r = it->second.rec;
            if (runcState && *runcState == QLatin1String("paused")) {
                // Frozen with its memory: it stays so until resumed.
                r.info.state = SandboxState::Paused;
                r.info.pauseKind = QStringLiteral("freeze");
                if (!r.info.pausedAt.isValid())
                    r.info.pausedAt = now();
                save(r);
                qCInfo(lcRuntime) << "kept frozen" << id;
                release();
                return;
            }
            if (runcState && *runcState == QLatin1String("running") && r.info.pauseKind == QLatin1String("freeze")) {
                // A freeze cut short before it froze anything (the pause is
                // recorded first, so the store may already say "paused"):
                // nobody agreed to lose the processes, so the sandbox runs on
                // as it was.
                adoptRunning(id, release);
                return;
            }
            // Stopped, a stopping pause cut short, or a freeze whose container
            // is gone: a stopped pause on the kept files.
            stopPaused(id, release);
        });
        return;
    case SandboxState::Running:
    case SandboxState::Resuming:
        m_runtime->runc()->state(id, [this, id, release](Result<QString> runcState) {
            if (runcState && *runcState == QLatin1String("running")) {
                adoptRunning(id, release);
                return;
            }
            if (runcState && *runcState == QLatin1String("paused")) {
                // A resume of a frozen sandbox cut short before the thaw: thaw
                // it, so it comes back with its processes and memory.
                m_runtime->runc()->resume(id, [this, id, release](Status thawed) {
                    if (!thawed) {
                        qCWarning(lcRuntime) << thawed.error().message;
                        restartOnKeptFiles(id, release);
                        return;
                    }
                    auto it = m_entries.find(id);
                    if (it != m_entries.end()) {
                        SandboxRecord &r = it->second.rec;
                        r.info.startedAt = now();
                        r.info.pausedAt = QDateTime();
                        r.info.pauseKind.clear();
                    }
                    adoptRunning(id, release);
                });
                return;
            }
            // Gone (the host rebooted, or it died with the engine).
            restartOnKeptFiles(id, release);
        });
        return;
    case SandboxState::Error:
        break; // its PID 1 died: it stays in error, with its files, until killed
    }
    release();
}

void SandboxManager::adoptRunning(const QString &id, std::function<void()> done)
{
    // Still there: check its agent answers, then adopt it.
    m_runtime->waitForAgent(id, 5000, [this, id, done](Status alive) {
        auto it = m_entries.find(id);
        if (it == m_entries.end()) {
            done();
            return;
        }
        if (!alive) {
            restartOnKeptFiles(id, done);
            return;
        }
        SandboxRecord &r = it->second.rec;
        r.info.state = SandboxState::Running;
        r.info.pausedAt = QDateTime();
        r.info.pauseKind.clear();
        save(r);
        qCInfo(lcRuntime) << "adopted" << id;
        done();
    });
}

void SandboxManager::stopPaused(const QString &id, std::function<void()> done)
{
    m_runtime->stop(id, [this, id, done](Status st) {
        if (!st)
            qCWarning(lcRuntime) << st.error().message;
        auto it = m_entries.find(id);
        if (it != m_entries.end() && (it->second.rec.info.state != SandboxState::Paused ||
                                      it->second.rec.info.pauseKind != QLatin1String("stop"))) {
            if (it->second.rec.info.state != SandboxState::Paused || !it->second.rec.info.pausedAt.isValid())
                it->second.rec.info.pausedAt = now();
            it->second.rec.info.state = SandboxState::Paused;
            it->second.rec.info.pauseKind = QStringLiteral("stop");
            save(it->second.rec);
        }
        done();
    });
}

void SandboxManager::restartOnKeptFiles(const QString &id, std::function<void()> done)
{
    m_runtime->stop(id, [this, id, done](Status) {
        doStart(id, [this, id, done](Status st) {
            if (!st) {
                // Its files are kept: call it paused, so a resume can try again.
                qCWarning(lcRuntime) << "cannot restart" << id << st.error().message;
                auto it = m_entries.find(id);
                if (it != m_entries.end()) {
                    it->second.rec.info.state = SandboxState::Paused;
                    it->second.rec.info.pauseKind = QStringLiteral("stop");
                    it->second.rec.info.pausedAt = now();
                    save(it->second.rec);
                }
            } else {
                if (auto it = m_entries.find(id); it != m_entries.end())
                    save(it->second.rec);
                qCInfo(lcRuntime) << "restarted" << id;
            }
            done();
        });
    });
}

void SandboxManager::sweepOrphans(std::function<void()> done)
{
    // Containers and directories nobody has a row for are what a crash in the
    // middle of a creation can leave.
    m_runtime->runc()->list([this, done](Result<QStringList> ids) {
        auto orphans = std::make_shared<QStringList>();
        if (ids) {
            for (const QString &id : *ids) {
                if (!m_entries.count(id))
                    orphans->append(id);
            }
        }
        const QDir dir(m_runtime->paths(QStringLiteral("x")).dir.section(QLatin1Char('/'), 0, -2));
        for (const QString &name : dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
            if (!m_entries.count(name) && !orphans->contains(name))
                orphans->append(name);
        }
        forEachInTurn(orphans, [this](const QString &id, std::function<void()> next) {
            qCInfo(lcRuntime) << "removing leftover" << id;
            m_runtime->destroy(id, [next](Status s) {
                if (!s)
                    qCWarning(lcRuntime) << s.error().message;
                next();
            });
        }, done);
    });
}
