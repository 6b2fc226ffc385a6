// SPDX-License-Identifier: GPL-3.0-or-later
// The desktop's live model against a real engine: rows follow what another
// client does, unchanged polls cost a 304 and no model signal, metrics fill
// in, and failures (bad key, 4xx, the engine going away) arrive as
// sentences. One engine for the whole program.
#include "DesktopE2e.h"
#include "EngineClient.h"
#include "SandboxFilterModel.h"
#include "SandboxModel.h"
#include "SandboxPoller.h"

#include <QAbstractItemModelTester>
#include <QMetaMethod>
#include <QSignalSpy>

#include <memory>

using namespace E2e;
using namespace DesktopE2e;

class tst_desktop_model : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void rowsFollowAnotherClient();
    void unchangedPollsEmitNothing();
    void metricsFillIn();
    void pollsNeverOverlap();
    void wrongKeyIsSaidPlainly();
    void clientErrorsAreSentences();
    void engineGoneAndBack();

private:
    int rowOf(const QString &id) const { return m_model->rowOf(id); }
    QString cell(const QString &id, int column) const
    {
        const int row = rowOf(id);
        return row < 0 ? QString() : m_model->index(row, column).data().toString();
    }

    std::unique_ptr<EngineProcess> m_engine;
    std::unique_ptr<ApiClient> m_api;
    EngineClient *m_client = nullptr;
    SandboxModel *m_model = nullptr;
    SandboxFilterModel *m_proxy = nullptr;
    SandboxPoller *m_poller = nullptr;
    QAbstractItemModelTester *m_tester = nullptr;
    QAbstractItemModelTester *m_proxyTester = nullptr;
};

void tst_desktop_model::initTestCase()
{
    QVERIFY2(EngineProcess::templateExists(), "no base template (build it with ./dev.sh)");
    m_engine = std::make_unique<EngineProcess>();
    QVERIFY2(m_engine->start(), qPrintable(m_engine->errorString()));
    m_api = std::make_unique<ApiClient>(m_engine->baseUrl(), m_engine->apiKey());

    m_client = new EngineClient(this);
    m_client->setEndpoint(m_engine->baseUrl(), m_engine->apiKey());
    m_model = new SandboxModel(this);
    m_proxy = new SandboxFilterModel(this);
    m_proxy->setSandboxModel(m_model);
    m_proxy->sort(SandboxModel::IdColumn);
    // Every change the live model makes is checked for consistency.
    m_tester = new QAbstractItemModelTester(m_model, QAbstractItemModelTester::FailureReportingMode::QtTest, this);
    m_proxyTester = new QAbstractItemModelTester(m_proxy, QAbstractItemModelTester::FailureReportingMode::QtTest, this);
    m_poller = new SandboxPoller(m_client, m_model, this);
    m_poller->setInterval(300);
    m_poller->setMetricsInterval(0);
    m_poller->start();
    QTRY_COMPARE(m_poller->connection(), SandboxPoller::Connection::Connected);
    QVERIFY(m_poller->hasData());
    QCOMPARE(m_poller->engineVersion(), QStringLiteral(AI2IN_VERSION));
    QVERIFY(!m_poller->nodeId().isEmpty());
}

void tst_desktop_model::cleanupTestCase()
{
    if (m_api && m_engine && m_engine->isRunning())
        m_api->killAllSandboxes();
}

void tst_desktop_model::rowsFollowAnotherClient()
{
    E2E_CREATE(a, *m_api, obj({{QStringLiteral("metadata"), obj({{QStringLiteral("agent"), QStringLiteral("a1")}})}}));
    E2E_CREATE(b, *m_api, obj({{QStringLiteral("timeout"), 600}}));
    QTRY_VERIFY_WITH_TIMEOUT(rowOf(a) >= 0 && rowOf(b) >= 0, 5000);
    QCOMPARE(cell(a, SandboxModel::StateColumn), QStringLiteral("Running"));
    QCOMPARE(cell(a, SandboxModel::MetadataColumn), QStringLiteral("agent=a1"));
    QCOMPARE(cell(a, SandboxModel::TimeLeftColumn), QStringLiteral("—"));
    QVERIFY2(cell(b, SandboxModel::TimeLeftColumn).contains(QLatin1String(" min ")), qPrintable(cell(b, SandboxModel::TimeLeftColumn)));
    QCOMPARE(cell(a, SandboxModel::TemplateColumn), QStringLiteral("base"));
    QCOMPARE(cell(a, SandboxModel::NodeColumn), m_poller->nodeId());

    // Paused by someone else: the row changes in place.
    const int rowBefore = rowOf(a);
    E2E_EXPECT(paused, m_api->post(sbx(a, QStringLiteral("/pause")), {}), 200);
    QTRY_COMPARE_WITH_TIMEOUT(cell(a, SandboxModel::StateColumn), QStringLiteral("Paused"), 5000);
    QCOMPARE(rowOf(a), rowBefore);
    QCOMPARE(m_model->index(rowOf(a), 0).data(SandboxModel::StateRole).toString(), QStringLiteral("paused"));

    // The proxy's state filter sees it too.
    m_proxy->setStateFilter(SandboxFilterModel::StateFilter::Paused);
    QCOMPARE(m_proxy->rowCount(), 1);
    m_proxy->setStateFilter(SandboxFilterModel::StateFilter::Any);

    // A new timeout shows up in the countdown column.
    E2E_EXPECT(timed, m_api->post(sbx(a, QStringLiteral("/timeout")), obj({{QStringLiteral("timeout"), 7200}})), 200);
    QTRY_VERIFY_WITH_TIMEOUT(cell(a, SandboxModel::TimeLeftColumn).startsWith(QLatin1String("1 h ")), 5000);

    // Killed by someone else: the row goes.
    E2E_EXPECT(killed, m_api->del(sbx(a)), 204);
    QTRY_COMPARE_WITH_TIMEOUT(rowOf(a), -1, 5000);
    QVERIFY(rowOf(b) >= 0);
}

void tst_desktop_model::unchangedPollsEmitNothing()
{
    // A settled list: no ports, no countdown ticking (the ticker is the one
    // thing that may touch the model between polls, and it is off here).
    m_model->setTickInterval(0);
    const int pollsBefore = m_poller->pollCount();
    QTRY_VERIFY(m_poller->pollCount() >= pollsBefore + 2);

    QList<QSignalSpy *> spies;
    const QMetaObject *mo = m_model->metaObject();
    for (int i = 0; i < mo->methodCount(); ++i) {
        const QMetaMethod m = mo->method(i);
        if (m.methodType() == QMetaMethod::Signal && m.access() != QMetaMethod::Private
            && m.name() != QByteArrayLiteral("destroyed") && m.name() != QByteArrayLiteral("objectNameChanged"))
            spies.append(new QSignalSpy(m_model, m));
    }
    const int notModifiedBefore = m_poller->notModifiedCount();
    const int polls = m_poller->pollCount();
    QTRY_VERIFY_WITH_TIMEOUT(m_poller->pollCount() >= polls + 5, 10000);
    const int notModified = m_poller->notModifiedCount() - notModifiedBefore;
    QVERIFY2(notModified >= 5, qPrintable(QStringLiteral("%1 of the polls were 304").arg(notModified)));
    for (QSignalSpy *s : spies) {
        QVERIFY2(s->isEmpty(), qPrintable(QStringLiteral("%1 was emitted %2 times").arg(QString::fromLatin1(s->signal())).arg(s->size())));
    }
    qDeleteAll(spies);
    m_model->setTickInterval(1000);
}

void tst_desktop_model::metricsFillIn()
{
    const QStringList running = m_model->runningIds();
    QVERIFY(!running.isEmpty());
    const QString id = running.first();
    QCOMPARE(cell(id, SandboxModel::CpuColumn), QStringLiteral("—"));
    m_poller->setMetricsInterval(300);
    QTRY_VERIFY_WITH_TIMEOUT(cell(id, SandboxModel::MemoryColumn).endsWith(QLatin1String("iB")), 10000);
    QVERIFY(cell(id, SandboxModel::CpuColumn).endsWith(QLatin1String(" %")));
    m_poller->setMetricsInterval(0);
}

void tst_desktop_model::pollsNeverOverlap()
{
    // pollNow() while a poll is in flight queues one more, never a second
    // request at the same time.
    const int before = m_poller->pollCount();
    for (int i = 0; i < 20; ++i)
        m_poller->pollNow();
    QTRY_VERIFY(m_poller->pollCount() >= before + 1);
    QTest::qWait(200);
    QVERIFY2(m_poller->pollCount() <= before + 4, qPrintable(QString::number(m_poller->pollCount() - before)));
}

void tst_desktop_model::wrongKeyIsSaidPlainly()
{
    EngineClient client;
    client.setEndpoint(m_engine->baseUrl(), QStringLiteral("ai2in_live_notarealkey000000000000000"));
    SandboxModel model;
    SandboxPoller poller(&client, &model);
    poller.setInterval(300);
    poller.start();
    QTRY_COMPARE(poller.connection(), SandboxPoller::Connection::Unauthorized);
    QVERIFY2(poller.problem().contains(QLatin1String("does not accept this API key")), qPrintable(poller.problem()));
    QCOMPARE(model.rowCount(), 0);
}

void tst_desktop_model::clientErrorsAreSentences()
{
    E2E_CREATE(id, *m_api, QJsonObject());
    std::optional<Result<SandboxInfo>> got;
    m_client->resume(id, this, [&](Result<SandboxInfo> r) { got = std::move(r); });
    QTRY_VERIFY(got.has_value());
    QVERIFY(!got->ok());
    QCOMPARE(got->error().httpStatus, 409);
    QVERIFY2(!got->error().message.trimmed().isEmpty(), "a sentence");

    got.reset();
    m_client->setTimeout(id, 999999, this, [&](Result<SandboxInfo> r) { got = std::move(r); });
    QTRY_VERIFY(got.has_value());
    QCOMPARE(got->error().httpStatus, 400);
    QVERIFY2(got->error().message.contains(QLatin1String("timeout")), qPrintable(got->error().message));

    std::optional<Status> killed;
    m_client->kill(QStringLiteral("sbx_0000000000000000"), this, [&](Status s) { killed = std::move(s); });
    QTRY_VERIFY(killed.has_value());
    QCOMPARE(killed->error().httpStatus, 404);
    QVERIFY(killed->error().message.contains(QLatin1String("sbx_0000000000000000")));
    E2E_EXPECT(gone, m_api->del(sbx(id)), 204);
}

void tst_desktop_model::engineGoneAndBack()
{
    QTRY_COMPARE(m_poller->connection(), SandboxPoller::Connection::Connected);
    // Settled: the model holds what the engine has.
    const int rows = int(m_api->sandboxIds().size());
    QVERIFY(rows > 0);
    QTRY_COMPARE(m_model->rowCount(), rows);
    QSignalSpy removed(m_model, &QAbstractItemModel::rowsRemoved);
    m_engine->stop();
    QTRY_COMPARE_WITH_TIMEOUT(m_poller->connection(), SandboxPoller::Connection::Unreachable, 10000);
    QVERIFY2(m_poller->problem().contains(QLatin1String("No engine answers")), qPrintable(m_poller->problem()));
    // The list stays: it is the last known state, not an empty engine.
    QCOMPARE(m_model->rowCount(), rows);
    QVERIFY(removed.isEmpty());

    QVERIFY2(m_engine->restart(), qPrintable(m_engine->errorString()));
    QTRY_COMPARE_WITH_TIMEOUT(m_poller->connection(), SandboxPoller::Connection::Connected, 20000);
    QVERIFY(m_poller->problem().isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(m_model->rowCount(), rows, 20000);
}

QTEST_GUILESS_MAIN(tst_desktop_model)
#include "tst_desktop_model.moc"
