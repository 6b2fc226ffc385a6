// SPDX-License-Identifier: GPL-3.0-or-later
#include "TestHost.h"

#include <QCoreApplication>

TestHost::TestHost()
{
    const qint64 pid = QCoreApplication::applicationPid();
    m_net = QStringLiteral("198.18.%1").arg(pid % 250 + 1);
    m_ns = QStringLiteral("ai2in-tnet%1").arg(pid % 100000);
    m_hostLink = QStringLiteral("tnh%1").arg(pid % 100000);
}

TestHost::~TestHost()
{
    down();
}

QByteArray TestHost::tool(const QString &program, const QStringList &args, bool *ok)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(program, args);
    const bool done = p.waitForFinished(30000);
    if (ok)
        *ok = done && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
    return p.readAll();
}

bool TestHost::up(QString *error)
{
    m_up = true;
    bool ok = false;
    // Before anything else: nothing for 198.18.0.0/15 may leave the machine.
    const QByteArray routes = tool(QStringLiteral("ip"), {QStringLiteral("route"), QStringLiteral("show"),
                                                          QStringLiteral("198.18.0.0/15")});
    if (!routes.contains("blackhole")) {
        tool(QStringLiteral("ip"), {QStringLiteral("route"), QStringLiteral("add"), QStringLiteral("blackhole"),
                                    QStringLiteral("198.18.0.0/15")},
             &ok);
        if (!ok) {
            *error = QStringLiteral("cannot add the blackhole route for 198.18.0.0/15");
            return false;
        }
        m_addedBlackhole = true;
    }
    const QString ip = QStringLiteral("ip");
    const QStringList steps[] = {
        {QStringLiteral("netns"), QStringLiteral("add"), m_ns},
        {QStringLiteral("link"), QStringLiteral("add"), m_hostLink, QStringLiteral("type"), QStringLiteral("veth"),
         QStringLiteral("peer"), QStringLiteral("name"), QStringLiteral("eth0"), QStringLiteral("netns"), m_ns},
        {QStringLiteral("addr"), QStringLiteral("add"), address(1) + QStringLiteral("/24"), QStringLiteral("dev"), m_hostLink},
        {QStringLiteral("link"), QStringLiteral("set"), m_hostLink, QStringLiteral("up")},
        {QStringLiteral("-n"), m_ns, QStringLiteral("addr"), QStringLiteral("add"), address(2) + QStringLiteral("/24"),
         QStringLiteral("dev"), QStringLiteral("eth0")},
        {QStringLiteral("-n"), m_ns, QStringLiteral("addr"), QStringLiteral("add"), address(3) + QStringLiteral("/24"),
         QStringLiteral("dev"), QStringLiteral("eth0")},
        {QStringLiteral("-n"), m_ns, QStringLiteral("link"), QStringLiteral("set"), QStringLiteral("eth0"), QStringLiteral("up")},
        {QStringLiteral("-n"), m_ns, QStringLiteral("link"), QStringLiteral("set"), QStringLiteral("lo"), QStringLiteral("up")},
        {QStringLiteral("-n"), m_ns, QStringLiteral("route"), QStringLiteral("add"), QStringLiteral("default"),
         QStringLiteral("via"), address(1)},
    };
    for (const QStringList &step : steps) {
        const QByteArray out = tool(ip, step, &ok);
        if (!ok) {
            *error = QStringLiteral("ip %1: %2").arg(step.join(QLatin1Char(' ')), QString::fromUtf8(out.trimmed()));
            down();
            return false;
        }
    }
    return true;
}

QProcess *TestHost::run(const QString &program, const QStringList &args)
{
    auto p = std::make_unique<QProcess>();
    p->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    p->start(QStringLiteral("ip"), QStringList{QStringLiteral("netns"), QStringLiteral("exec"), m_ns, program} + args);
    p->waitForStarted();
    m_processes.push_back(std::move(p));
    return m_processes.back().get();
}

void TestHost::down()
{
    if (!m_up)
        return;
    m_up = false;
    for (auto &p : m_processes) {
        p->kill();
        p->waitForFinished(5000);
    }
    m_processes.clear();
    tool(QStringLiteral("ip"), {QStringLiteral("link"), QStringLiteral("del"), m_hostLink});
    tool(QStringLiteral("ip"), {QStringLiteral("netns"), QStringLiteral("del"), m_ns});
    if (m_addedBlackhole)
        tool(QStringLiteral("ip"), {QStringLiteral("route"), QStringLiteral("del"), QStringLiteral("blackhole"),
                                    QStringLiteral("198.18.0.0/15")});
    m_addedBlackhole = false;
}
