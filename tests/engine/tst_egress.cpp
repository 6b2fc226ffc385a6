// SPDX-License-Identifier: GPL-3.0-or-later
// What agents do first with a network, through the real egress path and the
// host's own resolvers: install a Debian package as root (sudo apt-get) and
// ask the npm registry (npm view). The only hosts reached are the two
// registries this machine may use, and only through apt and npm, once per
// run. Closed by policy, both fail within a second; with an allow list of
// the npm registry's name only, npm works and apt is refused at once.

#include "ApiClient.h"
#include "E2eHelpers.h"
#include "EngineProcess.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QRegularExpression>
#include <QTest>

#include <memory>

using namespace E2e;

namespace {

// apt-get update fails on any source it could not fetch.
const QString kAptUpdate = QStringLiteral("sudo apt-get -q -o APT::Update::Error-Mode=any update");
// No retries: a refusal is the answer.
const QString kNpmView = QStringLiteral("npm view is-number version --fetch-retries=0 --fetch-timeout=10000");

} // namespace

class tst_egress : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void aptAndNpmWork();
    void closedByPolicyFailsFast();
    void allowListOfOneName();

private:
    // Runs `cmd`; its exit code, output and how long it took.
    int timed(const QString &id, const QString &cmd, QString *output, qint64 *ms);
    QString createWith(const QJsonObject &body);

    std::unique_ptr<EngineProcess> m_engine;
    std::unique_ptr<ApiClient> m_api;
};

void tst_egress::initTestCase()
{
    E2E_START_ENGINE(m_engine, m_api);
}

void tst_egress::cleanupTestCase()
{
    if (m_api)
        m_api->killAllSandboxes();
    m_engine.reset();
}

QString tst_egress::createWith(const QJsonObject &body)
{
    const ApiResponse r = m_api->createSandbox(body);
    return r.status == 201 ? r.json().value(QStringLiteral("sandbox_id")).toString() : QString();
}

int tst_egress::timed(const QString &id, const QString &cmd, QString *output, qint64 *ms)
{
    QElapsedTimer t;
    t.start();
    const ApiResponse r = m_api->run(id, cmd, QJsonObject{{QStringLiteral("timeout"), 110}});
    *ms = t.elapsed();
    *output = r.json().value(QStringLiteral("stdout")).toString() + r.json().value(QStringLiteral("stderr")).toString();
    return r.status == 200 ? r.json().value(QStringLiteral("exit_code")).toInt(-1) : -1;
}

void tst_egress::aptAndNpmWork()
{
    E2E_CREATE(id, *m_api, QJsonObject{});
    QString out;
    qint64 ms = 0;
    QVERIFY2(timed(id, kAptUpdate, &out, &ms) == 0, qPrintable(out.right(2000)));
    QVERIFY2(timed(id, QStringLiteral("sudo apt-get install -y -q cowsay && /usr/games/cowsay moo"), &out, &ms) == 0,
             qPrintable(out.right(2000)));
    QVERIFY2(out.contains(QStringLiteral("< moo >")), qPrintable(out.right(500)));
    QVERIFY2(timed(id, kNpmView, &out, &ms) == 0, qPrintable(out.right(2000)));
    QVERIFY2(QRegularExpression(QStringLiteral("^\\d+\\.\\d+\\.\\d+\\s*$")).match(out).hasMatch(), qPrintable(out));
    QCOMPARE(m_api->del(sbx(id)).status, 204);
}

void tst_egress::closedByPolicyFailsFast()
{
    const QString id = createWith(QJsonObject{{QStringLiteral("allow_internet_access"), false}});
    QVERIFY(!id.isEmpty());
    QString out;
    qint64 ms = 0;
    QVERIFY2(timed(id, kAptUpdate, &out, &ms) != 0, qPrintable(out));
    QVERIFY2(ms < 1000, qPrintable(QStringLiteral("apt-get update took %1 ms to fail: %2").arg(ms).arg(out.right(500))));
    QVERIFY2(timed(id, kNpmView, &out, &ms) != 0, qPrintable(out));
    QVERIFY2(ms < 1000 + 600, qPrintable(QStringLiteral("npm view took %1 ms to fail: %2").arg(ms).arg(out.right(500))));
    QCOMPARE(m_api->del(sbx(id)).status, 204);
}

void tst_egress::allowListOfOneName()
{
    const QString id = createWith(QJsonObject{
        {QStringLiteral("network"),
         QJsonObject{{QStringLiteral("deny_out"), QJsonArray{QStringLiteral("0.0.0.0/0")}},
                     {QStringLiteral("allow_out"), QJsonArray{QStringLiteral("registry.npmjs.org")}}}}});
    QVERIFY(!id.isEmpty());
    QString out;
    qint64 ms = 0;
    QVERIFY2(timed(id, kNpmView, &out, &ms) == 0, qPrintable(out.right(2000)));
    QVERIFY2(timed(id, kAptUpdate, &out, &ms) != 0, qPrintable(out));
    QVERIFY2(ms < 1000, qPrintable(QStringLiteral("apt-get update took %1 ms to fail: %2").arg(ms).arg(out.right(500))));
    QCOMPARE(m_api->del(sbx(id)).status, 204);
}

QTEST_GUILESS_MAIN(tst_egress)
#include "tst_egress.moc"
