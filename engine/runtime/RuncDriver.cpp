// SPDX-License-Identifier: GPL-3.0-or-later
#include "RuncDriver.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

#include <sys/stat.h>
#include <QRegularExpression>
#include <QTimer>

#include <fcntl.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcRuntime, "ai2in.engine.runtime")

namespace {
constexpr int kRuntimeCallTimeoutMs = 60000;
}

void RuncDriver::startRuntime(QProcess *p, const QStringList &args)
{
    // The engine's own files are private (umask 077), but what the runtime
    // makes for the container must be as the container expects: a cgroup
    // directory of mode 0700 would keep the sandbox (another user on the
    // host) out of its own cgroup files, which it reads for OOM kills. The
    // child inherits the umask at fork, inside start(): set it for that
    // moment only (the event loop is the one thread that makes files).
    const mode_t engineUmask = ::umask(022);
    p->start(m_runtime, args);
    ::umask(engineUmask);
}

RuncDriver::RuncDriver(QString runtimePath, QString stateRoot, QObject *parent)
    : QObject(parent)
    , m_runtime(std::move(runtimePath))
    , m_root(std::move(stateRoot))
{
}

QString RuncDriver::errorSentence(const QByteArray &runtimeOutput)
{
    // runc logs as `time="…" level=error msg="…"`; the last error line is the
    // one that explains the failure.
    static const QRegularExpression msgRe(QStringLiteral("msg=\"((?:[^\"\\\\]|\\\\.)*)\""));
    QString last;
    for (const QByteArray &line : runtimeOutput.split('\n')) {
        const QString l = QString::fromUtf8(line).trimmed();
        if (l.isEmpty())
            continue;
        const auto m = msgRe.match(l);
        last = m.hasMatch() ? m.captured(1).replace(QStringLiteral("\\\""), QStringLiteral("\"")) : l;
    }
    return last.isEmpty() ? QStringLiteral("no explanation given") : last;
}

void RuncDriver::exec(const QStringList &args, std::function<void(const Outcome &)> done)
{
    auto *p = new QProcess(this);
    auto *timer = new QTimer(p);
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, p, [p] { p->kill(); });
    connect(p, &QProcess::finished, this, [p, done](int code, QProcess::ExitStatus status) {
        Outcome o;
        o.exitCode = code;
        o.crashed = status == QProcess::CrashExit;
        o.out = p->readAllStandardOutput();
        o.err = p->readAllStandardError();
        p->deleteLater();
        done(o);
    });
    connect(p, &QProcess::errorOccurred, this, [this, p, done](QProcess::ProcessError e) {
        if (e != QProcess::FailedToStart)
            return;
        Outcome o;
        o.startError = QStringLiteral("Cannot start the container runtime %1: %2.").arg(m_runtime, p->errorString());
        p->deleteLater();
        done(o);
    });
    QStringList full{QStringLiteral("--root"), m_root};
    full += args;
    qCDebug(lcRuntime) << m_runtime << full;
    startRuntime(p, full);
    timer->start(kRuntimeCallTimeoutMs);
}

void RuncDriver::run(const QString &id, const QString &bundle, int listenFd, const QString &logPath,
                     const QString &pidFile, Callback done)
{
    auto *p = new QProcess(this);
    // With --detach the container inherits runc's stdio: point it at a file,
    // never at a pipe whose reader (us) may go away.
    p->setStandardInputFile(QProcess::nullDevice());
    p->setStandardOutputFile(logPath, QIODevice::Append);
    p->setStandardErrorFile(logPath, QIODevice::Append);
    p->setChildProcessModifier([listenFd] {
        // Runs in the child between fork and exec: hand the socket over as fd 3.
        if (listenFd == 3)
            ::fcntl(3, F_SETFD, 0);
        else
            ::dup2(listenFd, 3);
    });
    const qint64 logStart = QFile(logPath).size();
    auto *timer = new QTimer(p);
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, p, [p] { p->kill(); });
    connect(p, &QProcess::finished, this, [p, id, logPath, logStart, done](int code, QProcess::ExitStatus status) {
        p->deleteLater();
        if (status == QProcess::NormalExit && code == 0) {
            done(Done{});
            return;
        }
        QFile log(logPath);
        QByteArray tail;
        if (log.open(QIODevice::ReadOnly)) {
            log.seek(logStart);
            tail = log.read(64 * 1024);
        }
        done(ApiError::internal(QStringLiteral("The container runtime could not start sandbox %1: %2.")
                                    .arg(id, errorSentence(tail))));
    });
    connect(p, &QProcess::errorOccurred, this, [this, p, done](QProcess::ProcessError e) {
        if (e != QProcess::FailedToStart)
            return;
        p->deleteLater();
        done(ApiError::internal(
            QStringLiteral("Cannot start the container runtime %1: %2.").arg(m_runtime, p->errorString())));
    });
    startRuntime(p, {QStringLiteral("--root"), m_root, QStringLiteral("run"), QStringLiteral("--detach"),
                         QStringLiteral("--preserve-fds"), QStringLiteral("1"), QStringLiteral("--pid-file"), pidFile,
                         QStringLiteral("--bundle"), bundle, id});
    timer->start(kRuntimeCallTimeoutMs);
}

void RuncDriver::remove(const QString &id, Callback done)
{
    exec({QStringLiteral("delete"), QStringLiteral("--force"), id}, [id, done](const Outcome &o) {
        if (!o.startError.isEmpty()) {
            done(ApiError::internal(o.startError));
            return;
        }
        const QString why = errorSentence(o.err);
        if (o.exitCode == 0 || why.contains(QStringLiteral("does not exist")) ||
            why.contains(QStringLiteral("not exist"))) {
            done(Done{});
            return;
        }
        done(ApiError::internal(QStringLiteral("The container runtime could not remove sandbox %1: %2.").arg(id, why)));
    });
}

void RuncDriver::pause(const QString &id, Callback done)
{
    exec({QStringLiteral("pause"), id}, [id, done](const Outcome &o) {
        if (!o.startError.isEmpty())
            done(ApiError::internal(o.startError));
        else if (o.exitCode != 0)
            done(ApiError::internal(
                QStringLiteral("The container runtime could not freeze sandbox %1: %2.").arg(id, errorSentence(o.err))));
        else
            done(Done{});
    });
}

void RuncDriver::resume(const QString &id, Callback done)
{
    exec({QStringLiteral("resume"), id}, [id, done](const Outcome &o) {
        if (!o.startError.isEmpty())
            done(ApiError::internal(o.startError));
        else if (o.exitCode != 0)
            done(ApiError::internal(
                QStringLiteral("The container runtime could not thaw sandbox %1: %2.").arg(id, errorSentence(o.err))));
        else
            done(Done{});
    });
}

void RuncDriver::state(const QString &id, std::function<void(Result<QString>)> done)
{
    exec({QStringLiteral("state"), id}, [id, done](const Outcome &o) {
        if (!o.startError.isEmpty()) {
            done(ApiError::internal(o.startError));
            return;
        }
        if (o.exitCode != 0) {
            const QString why = errorSentence(o.err);
            if (why.contains(QStringLiteral("does not exist")) || why.contains(QStringLiteral("not exist"))) {
                done(QString());
                return;
            }
            done(ApiError::internal(
                QStringLiteral("The container runtime could not tell the state of sandbox %1: %2.").arg(id, why)));
            return;
        }
        done(QJsonDocument::fromJson(o.out).object().value(QStringLiteral("status")).toString());
    });
}

void RuncDriver::list(std::function<void(Result<QStringList>)> done)
{
    exec({QStringLiteral("list"), QStringLiteral("--format"), QStringLiteral("json")}, [done](const Outcome &o) {
        if (!o.startError.isEmpty()) {
            done(ApiError::internal(o.startError));
            return;
        }
        if (o.exitCode != 0) {
            done(ApiError::internal(
                QStringLiteral("The container runtime could not list containers: %1.").arg(errorSentence(o.err))));
            return;
        }
        QStringList ids;
        for (const QJsonValue &v : QJsonDocument::fromJson(o.out).array())
            ids.append(v.toObject().value(QStringLiteral("id")).toString());
        done(ids);
    });
}
