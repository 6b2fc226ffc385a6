// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QProcess>
#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

// A test host for the network suite and benchmark: a network namespace of
// the test's own, linked to the host by a veth pair, with addresses from
// 198.18.0.0/15 (.1 the host's end, .2 and .3 the test host's). A blackhole
// route for the whole range goes in before anything else, so a half-made
// set-up sends nothing off the machine. down() (also the destructor) removes
// everything it made, the processes it started first.
class TestHost
{
public:
    TestHost();
    ~TestHost();
    TestHost(const TestHost &) = delete;
    TestHost &operator=(const TestHost &) = delete;

    // False with *error when a step failed (what was made is removed).
    bool up(QString *error);
    void down();

    // 198.18.N.<last>
    QString address(int last) const { return m_net + QLatin1Char('.') + QString::number(last); }
    QString namespaceName() const { return m_ns; }
    // Starts a program inside the test host; it is killed by down().
    QProcess *run(const QString &program, const QStringList &args);

    // Runs a host tool and waits (30 s); its output, success in *ok.
    static QByteArray tool(const QString &program, const QStringList &args, bool *ok = nullptr);

private:
    QString m_net;
    QString m_ns;
    QString m_hostLink;
    bool m_addedBlackhole = false;
    bool m_up = false;
    std::vector<std::unique_ptr<QProcess>> m_processes;
};
