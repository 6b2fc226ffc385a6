// SPDX-License-Identifier: GPL-3.0-or-later
// The desktop model's pure parts, table by table: list diffing, the filter
// bar's language, value formatting, local credentials, error sentences and
// list parsing; and SandboxModel's row operations without an engine.
#include "EngineClient.h"
#include "FilterQuery.h"
#include "Formatting.h"
#include "LocalCredentials.h"
#include "SandboxFilterModel.h"
#include "SandboxListDiff.h"
#include "SandboxModel.h"
#include "SandboxNotifier.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

namespace {

SandboxInfo sbx(const QString &id, SandboxState state = SandboxState::Running, const StringMap &md = {})
{
    SandboxInfo s;
    s.id = id;
    s.templateName = QStringLiteral("base");
    s.state = state;
    s.startedAt = QDateTime::fromMSecsSinceEpoch(1'700'000'000'000, Qt::UTC);
    s.createdAt = s.startedAt;
    s.nodeId = QStringLiteral("n1");
    s.metadata = md;
    return s;
}

QList<SandboxInfo> list(const QString &spec)
{
    // "a b P:c": ids, "P:" marks paused.
    QList<SandboxInfo> out;
    for (const QString &w : spec.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        if (w.startsWith(QLatin1String("P:")))
            out.append(sbx(w.mid(2), SandboxState::Paused));
        else
            out.append(sbx(w));
    }
    return out;
}

using Ranges = QList<SandboxListDiff::Range>;
using Changes = QList<SandboxListDiff::Change>;

} // namespace

class TestDesktopUnits : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void diff_data();
    void diff();
    void diffFields();
    void filterQuery_data();
    void filterQuery();
    void formatting_data();
    void formatting();
    void snippet();
    void credentialsFile_data();
    void credentialsFile();
    void credentialsResolve();
    void errorSentences_data();
    void errorSentences();
    void parseList_data();
    void parseList();
    void modelAppliesMinimalChanges();
    void modelUnchangedListEmitsNothing();
    void modelKeepsEnginesApart();
    void sandboxIdOfPath_data();
    void sandboxIdOfPath();
    void routerSendsToTheOwner();
    void filterProxy();
    void notices_data();
    void notices();
};

void TestDesktopUnits::diff_data()
{
    QTest::addColumn<QString>("current");
    QTest::addColumn<QString>("fresh");
    QTest::addColumn<Ranges>("removed");
    QTest::addColumn<QList<int>>("added");
    QTest::addColumn<Changes>("changed");

    QTest::newRow("both empty") << "" << "" << Ranges{} << QList<int>{} << Changes{};
    QTest::newRow("same") << "a b c" << "a b c" << Ranges{} << QList<int>{} << Changes{};
    QTest::newRow("first list") << "" << "a b" << Ranges{} << QList<int>{0, 1} << Changes{};
    QTest::newRow("all gone") << "a b c" << "" << Ranges{{0, 2}} << QList<int>{} << Changes{};
    QTest::newRow("one appended") << "a b" << "a b c" << Ranges{} << QList<int>{2} << Changes{};
    QTest::newRow("middle removed") << "a b c" << "a c" << Ranges{{1, 1}} << QList<int>{} << Changes{};
    QTest::newRow("two runs removed, highest first")
        << "a b c d e f" << "a d" << Ranges{{4, 5}, {1, 2}} << QList<int>{} << Changes{};
    QTest::newRow("replaced") << "a b" << "c d" << Ranges{{0, 1}} << QList<int>{0, 1} << Changes{};
    QTest::newRow("paused, row after a removal")
        << "a b c" << "a P:c" << Ranges{{1, 1}} << QList<int>{} << Changes{{1, 1, SandboxListDiff::State}};
    QTest::newRow("new one in the middle of the fresh list is appended")
        << "a c" << "a b c" << Ranges{} << QList<int>{1} << Changes{};
    QTest::newRow("order change moves nothing") << "a b c" << "c b a" << Ranges{} << QList<int>{} << Changes{};
    QTest::newRow("duplicate ids in the fresh list count once") << "a" << "a b b" << Ranges{} << QList<int>{1} << Changes{};
}

void TestDesktopUnits::diff()
{
    QFETCH(QString, current);
    QFETCH(QString, fresh);
    const SandboxListDiff d = SandboxListDiff::compute(list(current), list(fresh));
    QTEST(d.removed, "removed");
    QTEST(d.added, "added");
    QTEST(d.changed, "changed");
}

void TestDesktopUnits::diffFields()
{
    const SandboxInfo a = sbx(QStringLiteral("a"));
    SandboxInfo b = a;
    QCOMPARE(SandboxListDiff::changedFields(a, b), 0u);
    b.metadata.insert(QStringLiteral("k"), QStringLiteral("v"));
    b.endAt = a.startedAt.addSecs(60);
    QCOMPARE(SandboxListDiff::changedFields(a, b), quint32(SandboxListDiff::Metadata | SandboxListDiff::EndAt));
    b = a;
    b.ports.append({3000, QStringLiteral("http://x")});
    QCOMPARE(SandboxListDiff::changedFields(a, b), quint32(SandboxListDiff::Ports));
    b = a;
    b.pauseKind = QStringLiteral("freeze");
    QCOMPARE(SandboxListDiff::changedFields(a, b), quint32(SandboxListDiff::Other));
}

void TestDesktopUnits::filterQuery_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("id");
    QTest::addColumn<StringMap>("metadata");
    QTest::addColumn<bool>("matches");
    const StringMap md{{QStringLiteral("agent"), QStringLiteral("Coder")}, {QStringLiteral("task"), QStringLiteral("fix tests")}};
    QTest::newRow("empty matches all") << "" << "sbx_a" << StringMap{} << true;
    QTest::newRow("blank matches all") << "   " << "sbx_a" << StringMap{} << true;
    QTest::newRow("id part") << "BX_A" << "sbx_abc" << StringMap{} << true;
    QTest::newRow("template") << "base" << "sbx_a" << StringMap{} << true;
    QTest::newRow("metadata value, any case") << "coder" << "sbx_a" << md << true;
    QTest::newRow("metadata key") << "agen" << "sbx_a" << md << true;
    QTest::newRow("every word must match") << "coder nothing" << "sbx_a" << md << false;
    QTest::newRow("key=value exact") << "agent=Coder" << "sbx_a" << md << true;
    QTest::newRow("key=value is case-sensitive") << "agent=coder" << "sbx_a" << md << false;
    QTest::newRow("key=value missing key") << "owner=x" << "sbx_a" << md << false;
    QTest::newRow("quoted value with a space") << "\"task=fix tests\"" << "sbx_a" << md << true;
    QTest::newRow("key=value and word") << "agent=Coder sbx_a" << "sbx_a" << md << true;
    QTest::newRow("empty value matches only empty") << "agent=" << "sbx_a" << md << false;
    QTest::newRow("=x is a word") << "=x" << "sbx_a" << md << false;
    QTest::newRow("no match") << "zzz" << "sbx_a" << md << false;
    QTest::newRow("hostile: unbalanced quote") << "\"coder" << "sbx_a" << md << true;
}

void TestDesktopUnits::filterQuery()
{
    QFETCH(QString, text);
    QFETCH(QString, id);
    QFETCH(StringMap, metadata);
    SandboxInfo s = sbx(id, SandboxState::Running, metadata);
    QTEST(FilterQuery::parse(text).matches(s), "matches");
}

void TestDesktopUnits::formatting_data()
{
    QTest::addColumn<QString>("got");
    QTest::addColumn<QString>("want");
    QTest::newRow("0 s") << Formatting::duration(0) << "0 s";
    QTest::newRow("negative") << Formatting::duration(-5) << "0 s";
    QTest::newRow("59 s") << Formatting::duration(59) << "59 s";
    QTest::newRow("minutes") << Formatting::duration(185) << "3 min 05 s";
    QTest::newRow("hours") << Formatting::duration(2 * 3600 + 7 * 60 + 9) << "2 h 07 min";
    QTest::newRow("days") << Formatting::duration(3 * 86400 + 4 * 3600) << "3 d 4 h";
    QTest::newRow("elapsed ms") << Formatting::elapsed(840) << "840 ms";
    QTest::newRow("elapsed s") << Formatting::elapsed(2540) << "2.5 s";
    QTest::newRow("elapsed s, 2 decimals") << Formatting::elapsed(2546, 2) << "2.55 s";
    QTest::newRow("elapsed minutes") << Formatting::elapsed(185000) << "3 min 05 s";
    QTest::newRow("coarse < 1 min") << Formatting::coarseDuration(30) << "< 1 min";
    QTest::newRow("coarse min") << Formatting::coarseDuration(150) << "2 min";
    const QDateTime now(QDate(2026, 11, 23), QTime(15, 0));
    QTest::newRow("start today") << Formatting::startTime(QDateTime(QDate(2026, 11, 23), QTime(14, 3, 7)), now) << "14:03:07";
    QTest::newRow("start this year") << Formatting::startTime(QDateTime(QDate(2026, 2, 1), QTime(9, 5)), now) << "1 Feb 09:05";
    QTest::newRow("start last year") << Formatting::startTime(QDateTime(QDate(2025, 12, 31), QTime(23, 59)), now) << "2025-12-31 23:59";
    QTest::newRow("no start") << Formatting::startTime(QDateTime(), now) << "";
    QTest::newRow("bytes") << Formatting::bytes(512) << "512 B";
    QTest::newRow("KiB") << Formatting::bytes(1536) << "1.5 KiB";
    QTest::newRow("MiB") << Formatting::bytes(12 * 1024 * 1024 + 300 * 1024) << "12.3 MiB";
    QTest::newRow("GiB") << Formatting::bytes(qint64(3) * 512 * 1024 * 1024) << "1.50 GiB";
    QTest::newRow("percent") << Formatting::percent(12.54) << "12.5 %";
    QTest::newRow("ports") << Formatting::ports({{3000, {}}, {8080, {}}}) << "3000, 8080";
    QTest::newRow("tags sorted") << Formatting::metadataTags({{QStringLiteral("b"), QStringLiteral("2")}, {QStringLiteral("a"), QStringLiteral("1")}}).join(QLatin1Char(' '))
                                 << "a=1 b=2";
}

void TestDesktopUnits::formatting()
{
    QFETCH(QString, got);
    QFETCH(QString, want);
    QCOMPARE(got, want);
}

void TestDesktopUnits::snippet()
{
    QCOMPARE(Formatting::pythonSnippet({QStringLiteral("sbx_a")}),
             QStringLiteral("from ai2in import Sandbox\n\nsandbox = Sandbox.connect(\"sbx_a\")\n"));
    const QString two = Formatting::pythonSnippet({QStringLiteral("sbx_a"), QStringLiteral("sbx_b")});
    QVERIFY(two.contains(QStringLiteral("    Sandbox.connect(\"sbx_a\"),\n    Sandbox.connect(\"sbx_b\"),\n]")));
}

void TestDesktopUnits::credentialsFile_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("key");
    QTest::newRow("engine's file") << QByteArray(R"({"api_key": "ai2in_live_x", "base_url": "http://127.0.0.1:7400"})") << true
                                   << "http://127.0.0.1:7400" << "ai2in_live_x";
    QTest::newRow("no url: default") << QByteArray(R"({"api_key": "k"})") << true << "http://127.0.0.1:7300" << "k";
    QTest::newRow("empty") << QByteArray() << false << "" << "";
    QTest::newRow("not json") << QByteArray("api_key=k") << false << "" << "";
    QTest::newRow("array") << QByteArray("[]") << false << "" << "";
    QTest::newRow("no key") << QByteArray(R"({"base_url": "http://h:1"})") << false << "" << "";
    QTest::newRow("key not a string") << QByteArray(R"({"api_key": 5})") << false << "" << "";
    QTest::newRow("hostile url") << QByteArray(R"({"api_key": "k", "base_url": "file:///etc/passwd"})") << false << "" << "";
}

void TestDesktopUnits::credentialsFile()
{
    QFETCH(QByteArray, json);
    QFETCH(bool, ok);
    const auto r = LocalCredentials::parseFile(json, QStringLiteral("/x/credentials.json"));
    QCOMPARE(r.ok(), ok);
    if (!ok) {
        QVERIFY(r.error().message.contains(QStringLiteral("/x/credentials.json")));
        return;
    }
    QTEST(r->baseUrl.toString(), "url");
    QTEST(r->apiKey, "key");
}

void TestDesktopUnits::credentialsResolve()
{
    LocalCredentials file;
    file.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:7300"));
    file.apiKey = QStringLiteral("from_file");
    file.source = QStringLiteral("/f");
    const Result<LocalCredentials> missing = ApiError::notFound(QStringLiteral("No engine credentials file at /f."));

    auto r = LocalCredentials::resolve({}, {}, file);
    QVERIFY(r.ok());
    QCOMPARE(r->apiKey, QStringLiteral("from_file"));
    r = LocalCredentials::resolve(QStringLiteral("http://h:9"), QStringLiteral("env_key"), file);
    QVERIFY(r.ok());
    QCOMPARE(r->apiKey, QStringLiteral("env_key"));
    QCOMPARE(r->baseUrl, QUrl(QStringLiteral("http://h:9")));
    QCOMPARE(r->source, QStringLiteral("AI2IN_API_KEY"));
    r = LocalCredentials::resolve({}, QStringLiteral("env_key"), missing);
    QVERIFY(r.ok());
    QCOMPARE(r->baseUrl, LocalCredentials::defaultBaseUrl());
    r = LocalCredentials::resolve({}, {}, missing);
    QVERIFY(!r.ok());
    QVERIFY2(r.error().message.contains(QStringLiteral("AI2IN_API_KEY")), qPrintable(r.error().message));
    r = LocalCredentials::resolve(QStringLiteral("ftp://x"), QStringLiteral("k"), file);
    QVERIFY(!r.ok());
    QVERIFY(r.error().message.contains(QStringLiteral("AI2IN_BASE_URL")));
}

void TestDesktopUnits::errorSentences_data()
{
    QTest::addColumn<int>("netError");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("contains");
    QTest::newRow("refused") << int(QNetworkReply::ConnectionRefusedError) << 0 << QByteArray() << "unreachable" << "connection refused";
    QTest::newRow("closed") << int(QNetworkReply::RemoteHostClosedError) << 0 << QByteArray() << "unreachable" << "closed the connection";
    QTest::newRow("timeout") << int(QNetworkReply::OperationCanceledError) << 0 << QByteArray() << "unreachable" << "in time";
    QTest::newRow("host") << int(QNetworkReply::HostNotFoundError) << 0 << QByteArray() << "unreachable" << "not found";
    QTest::newRow("bad key") << int(QNetworkReply::AuthenticationRequiredError) << 401
                             << QByteArray(R"({"error":{"code":"unauthorized","message":"Unknown API key."}})")
                             << "unauthorized" << "does not accept this API key: Unknown API key.";
    QTest::newRow("conflict") << int(QNetworkReply::ContentConflictError) << 409
                              << QByteArray(R"({"error":{"code":"conflict","message":"Sandbox sbx_a is already paused."}})")
                              << "conflict" << "already paused";
    QTest::newRow("proxy page") << int(QNetworkReply::InternalServerError) << 502 << QByteArray("<html>bad gateway</html>")
                                << "" << "";
}

void TestDesktopUnits::errorSentences()
{
    QFETCH(int, netError);
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(QString, code);
    QFETCH(QString, contains);
    const ApiError e = EngineClient::errorFor(QNetworkReply::NetworkError(netError), QStringLiteral("x"), status, body,
                                              QUrl(QStringLiteral("http://127.0.0.1:7300")));
    if (!code.isEmpty())
        QCOMPARE(e.code, code);
    QVERIFY2(!e.message.trimmed().isEmpty(), "every error is a sentence");
    QVERIFY2(e.message.contains(contains), qPrintable(e.message));
    if (status == 0)
        QVERIFY(e.message.contains(QStringLiteral("http://127.0.0.1:7300")));
}

void TestDesktopUnits::parseList_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("count");
    QTest::newRow("empty list") << QByteArray(R"({"sandboxes": []})") << 0;
    QTest::newRow("two") << QByteArray(R"({"sandboxes": [{"sandbox_id":"sbx_a","status":"paused"},{"sandbox_id":"sbx_b"}]})") << 2;
    QTest::newRow("empty body") << QByteArray() << -1;
    QTest::newRow("truncated") << QByteArray(R"({"sandboxes": [{"sandbox_id":)") << -1;
    QTest::newRow("no array") << QByteArray(R"({"sandboxes": {}})") << -1;
    QTest::newRow("entry without id") << QByteArray(R"({"sandboxes": [{"status":"running"}]})") << -1;
}

void TestDesktopUnits::parseList()
{
    QFETCH(QByteArray, body);
    QFETCH(int, count);
    const auto r = EngineClient::parseList(body);
    QCOMPARE(r.ok(), count >= 0);
    if (count >= 0)
        QCOMPARE(r->size(), count);
    else
        QVERIFY(!r.error().message.isEmpty());
}

void TestDesktopUnits::modelAppliesMinimalChanges()
{
    SandboxModel model;
    model.setTickInterval(0);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy reset(&model, &QAbstractItemModel::modelAboutToBeReset);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

    model.applyList(list(QStringLiteral("a b c d")));
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(inserted.size(), 1);
    QList<SandboxInfo> next = list(QStringLiteral("a P:c d e"));
    next[2].metadata.insert(QStringLiteral("k"), QStringLiteral("v"));
    next[3].endAt = QDateTime::currentDateTimeUtc().addSecs(60);
    model.applyList(next);
    QCOMPARE(removed.size(), 1); // b
    QCOMPARE(inserted.size(), 2); // + e
    QCOMPARE(changed.size(), 1); // c and d neighbour: one batched signal
    const QModelIndex tl = changed.first().at(0).value<QModelIndex>();
    const QModelIndex br = changed.first().at(1).value<QModelIndex>();
    QCOMPARE(tl.row(), 1);
    QCOMPARE(br.row(), 2);
    QCOMPARE(tl.column(), int(SandboxModel::StateColumn));
    QCOMPARE(br.column(), int(SandboxModel::PortsColumn));
    QCOMPARE(model.index(1, SandboxModel::IdColumn).data().toString(), QStringLiteral("c"));
    QCOMPARE(model.index(1, 0).data(SandboxModel::StateRole).toString(), QStringLiteral("paused"));
    QCOMPARE(model.index(3, SandboxModel::IdColumn).data().toString(), QStringLiteral("e"));
    QVERIFY(model.index(3, SandboxModel::TimeLeftColumn).data().toString().contains(QLatin1String(" s")));
    QCOMPARE(reset.size(), 0);

    // The countdown ticks only its own column, only for rows with an end.
    changed.clear();
    model.setTickInterval(50);
    QTRY_VERIFY(changed.size() >= 1);
    model.setTickInterval(0);
    for (const auto &args : changed) {
        QCOMPARE(args.at(0).value<QModelIndex>().column(), int(SandboxModel::TimeLeftColumn));
        QCOMPARE(args.at(1).value<QModelIndex>().column(), int(SandboxModel::TimeLeftColumn));
        QCOMPARE(args.at(0).value<QModelIndex>().row(), 3);
    }

    SandboxMetrics m;
    m.cpuPercent = 12.5;
    m.memoryBytes = 1024 * 1024;
    changed.clear();
    model.setMetrics(QStringLiteral("a"), m);
    model.setMetrics(QStringLiteral("a"), m);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(model.index(0, SandboxModel::CpuColumn).data().toString(), QStringLiteral("12.5 %"));
    model.applyList({});
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(reset.size(), 0);
}

void TestDesktopUnits::modelUnchangedListEmitsNothing()
{
    SandboxModel model;
    model.setTickInterval(0);
    model.applyList(list(QStringLiteral("a P:b c")));
    QList<QSignalSpy *> spies;
    const QMetaObject *mo = model.metaObject();
    for (int i = 0; i < mo->methodCount(); ++i) {
        const QMetaMethod m = mo->method(i);
        if (m.methodType() == QMetaMethod::Signal && m.access() != QMetaMethod::Private)
            spies.append(new QSignalSpy(&model, m));
    }
    model.applyList(list(QStringLiteral("a P:b c")));
    model.applyList(list(QStringLiteral("c a P:b")));
    for (QSignalSpy *s : spies) {
        QVERIFY2(s->isEmpty(), s->signal().constData());
        delete s;
    }
}

// Two engines' lists in one model: a list from one engine touches only its
// own rows; an id the other engine has stays the other's; an engine's rows
// go together.
void TestDesktopUnits::modelKeepsEnginesApart()
{
    SandboxModel model;
    model.setTickInterval(0);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.applyList(list(QStringLiteral("a b")), QStringLiteral("One"));
    model.applyList(list(QStringLiteral("x y z")), QStringLiteral("Two"));
    model.applyList(list(QStringLiteral("c")), QStringLiteral("One")); // a, b gone; c new
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(model.rowCountOf(QStringLiteral("One")), 1);
    QCOMPARE(model.rowCountOf(QStringLiteral("Two")), 3);
    QCOMPARE(model.engineOf(QStringLiteral("y")), QStringLiteral("Two"));
    QCOMPARE(model.index(model.rowOf(QStringLiteral("c")), SandboxModel::EngineColumn).data().toString(), QStringLiteral("One"));
    // A change on Two is a change of that row, wherever it is.
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.applyList(list(QStringLiteral("x P:y z")), QStringLiteral("Two"));
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.first().at(0).value<QModelIndex>().row(), model.rowOf(QStringLiteral("y")));
    QCOMPARE(model.runningIds(QStringLiteral("Two")), (QStringList{QStringLiteral("x"), QStringLiteral("z")}));
    // The same engine under a second name: its ids stay with the first.
    model.applyList(list(QStringLiteral("x w")), QStringLiteral("Three"));
    QCOMPARE(model.engineOf(QStringLiteral("x")), QStringLiteral("Two"));
    QCOMPARE(model.engineOf(QStringLiteral("w")), QStringLiteral("Three"));
    QCOMPARE(model.rowCount(), 5);
    model.clearEngine(QStringLiteral("Two"));
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.rowOf(QStringLiteral("z")), -1);
    QCOMPARE(model.engineOf(QStringLiteral("w")), QStringLiteral("Three"));
    // The filter shows one engine or all.
    SandboxFilterModel proxy;
    proxy.setSandboxModel(&model);
    proxy.setEngineFilter(QStringLiteral("One"));
    QCOMPARE(proxy.rowCount(), 1);
    proxy.setEngineFilter({});
    QCOMPARE(proxy.rowCount(), 2);
}

void TestDesktopUnits::sandboxIdOfPath_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("id");
    QTest::newRow("sandbox") << "/v1/sandboxes/sbx_1" << "sbx_1";
    QTest::newRow("under it") << "/v1/sandboxes/sbx_1/files?path=/a" << "sbx_1";
    QTest::newRow("query") << "/v1/sandboxes/sbx_1?x=1" << "sbx_1";
    QTest::newRow("encoded") << "/v1/sandboxes/a%2Fb/pty" << "a/b";
    QTest::newRow("list") << "/v1/sandboxes" << "";
    QTest::newRow("list slash") << "/v1/sandboxes/" << "";
    QTest::newRow("templates") << "/v1/templates" << "";
    QTest::newRow("health") << "/v1/health" << "";
}

void TestDesktopUnits::sandboxIdOfPath()
{
    QFETCH(QString, path);
    QFETCH(QString, id);
    QCOMPARE(EngineClient::sandboxIdOf(path), id);
}

void TestDesktopUnits::routerSendsToTheOwner()
{
    EngineClient client;
    client.setEndpoint(QUrl(QStringLiteral("http://127.0.0.1:7300")), QStringLiteral("key-one"));
    QCOMPARE(client.urlFor(QStringLiteral("/v1/sandboxes/b/files")).toString(), QStringLiteral("http://127.0.0.1:7300/v1/sandboxes/b/files"));
    client.setRouter([](const QString &id) -> std::optional<EngineClient::Endpoint> {
        if (id == QLatin1String("b"))
            return EngineClient::Endpoint{QUrl(QStringLiteral("http://127.0.0.1:7400/base")), QStringLiteral("key-two")};
        return std::nullopt;
    });
    QCOMPARE(client.urlFor(QStringLiteral("/v1/sandboxes/b/files?path=/x")).toString(),
             QStringLiteral("http://127.0.0.1:7400/base/v1/sandboxes/b/files?path=/x"));
    QCOMPARE(client.urlFor(QStringLiteral("/v1/sandboxes/b/pty/1/ws"), true).scheme(), QStringLiteral("ws"));
    QCOMPARE(client.apiKeyFor(QStringLiteral("/v1/sandboxes/b")), QStringLiteral("key-two"));
    // Ids the router does not know, and what is about no sandbox: the client's own.
    QCOMPARE(client.apiKeyFor(QStringLiteral("/v1/sandboxes/a")), QStringLiteral("key-one"));
    QCOMPARE(client.urlFor(QStringLiteral("/v1/templates")).port(), 7300);
}

void TestDesktopUnits::filterProxy()
{
    SandboxModel model;
    model.setTickInterval(0);
    SandboxFilterModel proxy;
    proxy.setSandboxModel(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QList<SandboxInfo> l = list(QStringLiteral("sbx_a P:sbx_b sbx_c"));
    l[0].metadata.insert(QStringLiteral("agent"), QStringLiteral("x"));
    l[1].metadata.insert(QStringLiteral("agent"), QStringLiteral("x"));
    model.applyList(l);
    QCOMPARE(proxy.rowCount(), 3);
    proxy.setStateFilter(SandboxFilterModel::StateFilter::Paused);
    QCOMPARE(proxy.rowCount(), 1);
    proxy.setStateFilter(SandboxFilterModel::StateFilter::Running);
    QCOMPARE(proxy.rowCount(), 2);
    proxy.setFilterText(QStringLiteral("agent=x"));
    QCOMPARE(proxy.rowCount(), 1);
    QCOMPARE(proxy.index(0, SandboxModel::IdColumn).data().toString(), QStringLiteral("sbx_a"));
    proxy.setStateFilter(SandboxFilterModel::StateFilter::Any);
    proxy.setFilterText({});
    proxy.sort(SandboxModel::IdColumn, Qt::DescendingOrder);
    QCOMPARE(proxy.index(0, SandboxModel::IdColumn).data().toString(), QStringLiteral("sbx_c"));
    proxy.sort(SandboxModel::StateColumn, Qt::AscendingOrder);
    QCOMPARE(proxy.index(0, SandboxModel::StateColumn).data(SandboxModel::StateRole).toString(), QStringLiteral("paused"));
}

// What the app tells a person as a sandbox changes: each row is a
// sandbox seen before (or not) and seen again.
void TestDesktopUnits::notices_data()
{
    using K = SandboxNotifier::Notice::Kind;
    QTest::addColumn<bool>("seenBefore");
    QTest::addColumn<int>("stateBefore"); // SandboxState
    QTest::addColumn<qint64>("oomBefore");
    QTest::addColumn<int>("warnedBefore"); // minutes from now of the end already warned of, -1 none
    QTest::addColumn<int>("state");
    QTest::addColumn<qint64>("oom"); // -1: no metrics in this reading
    QTest::addColumn<int>("endInSeconds"); // -1: no end time
    QTest::addColumn<bool>("enabled");
    QTest::addColumn<QList<int>>("kinds");
    QTest::addColumn<QString>("text"); // a part of the last notice's text

    const int running = int(SandboxState::Running), error = int(SandboxState::Error), paused = int(SandboxState::Paused);
    QTest::newRow("first seen failed: already so") << false << running << 0ll << -1 << error << 0ll << -1 << true << QList<int>{} << "";
    QTest::newRow("fails") << true << running << 0ll << -1 << error << 0ll << -1 << true << QList<int>{int(K::Failed)} << "PID 1 died";
    QTest::newRow("still failed") << true << error << 0ll << -1 << error << 0ll << -1 << true << QList<int>{} << "";
    QTest::newRow("an OOM kill") << true << running << 0ll << -1 << running << 1ll << -1 << true << QList<int>{int(K::OutOfMemory)} << "ended a process";
    QTest::newRow("two more") << true << running << 1ll << -1 << running << 3ll << -1 << true << QList<int>{int(K::OutOfMemory)} << "ended 2 processes";
    QTest::newRow("no new kill") << true << running << 3ll << -1 << running << 3ll << -1 << true << QList<int>{} << "";
    QTest::newRow("paused: no metrics") << true << running << 3ll << -1 << paused << -1ll << -1 << true << QList<int>{} << "";
    QTest::newRow("a new cgroup counts afresh") << true << running << 3ll << -1 << running << 1ll << -1 << true << QList<int>{int(K::OutOfMemory)} << "ended a process";
    QTest::newRow("first seen with kills: already so") << false << running << 0ll << -1 << running << 2ll << -1 << true << QList<int>{} << "";
    QTest::newRow("ends in 4 minutes") << true << running << 0ll << -1 << running << 0ll << 230 << true << QList<int>{int(K::EndingSoon)} << "in 4 minutes";
    QTest::newRow("ends in 30 s") << false << running << 0ll << -1 << running << 0ll << 30 << true << QList<int>{int(K::EndingSoon)} << "less than a minute";
    QTest::newRow("already warned of that end") << true << running << 0ll << 4 << running << 0ll << 240 << true << QList<int>{} << "";
    QTest::newRow("ends in an hour") << true << running << 0ll << -1 << running << 0ll << 3600 << true << QList<int>{} << "";
    QTest::newRow("all switched off") << true << running << 0ll << -1 << error << 2ll << 60 << false << QList<int>{} << "";
}

void TestDesktopUnits::notices()
{
    QFETCH(bool, seenBefore);
    QFETCH(int, stateBefore);
    QFETCH(qint64, oomBefore);
    QFETCH(int, warnedBefore);
    QFETCH(int, state);
    QFETCH(qint64, oom);
    QFETCH(int, endInSeconds);
    QFETCH(bool, enabled);
    QFETCH(QList<int>, kinds);
    QFETCH(QString, text);
    const QDateTime now = QDateTime::fromString(QStringLiteral("2026-12-07T12:00:00Z"), Qt::ISODate);
    SandboxInfo info;
    info.id = QStringLiteral("sbx_1");
    info.state = SandboxState(state);
    info.memoryMb = 256;
    info.errorReason = QStringLiteral("its PID 1 died");
    if (endInSeconds >= 0)
        info.endAt = now.addSecs(endInSeconds);
    std::optional<SandboxNotifier::Seen> before;
    if (seenBefore) {
        before = SandboxNotifier::Seen{SandboxState(stateBefore), oomBefore, QDateTime()};
        if (warnedBefore >= 0)
            before->warnedEndAt = info.endAt; // that very end time
    }
    std::optional<SandboxMetrics> metrics;
    if (oom >= 0)
        metrics = SandboxMetrics{0, 0, 0, 0, oom};
    SandboxNotifier::Settings settings;
    if (!enabled)
        settings = {false, false, 0};
    SandboxNotifier::Seen after;
    const QList<SandboxNotifier::Notice> got = SandboxNotifier::notices(before, info, metrics, now, settings, &after);
    QList<int> gotKinds;
    for (const auto &n : got) {
        gotKinds << int(n.kind);
        QCOMPARE(n.sandboxId, QStringLiteral("sbx_1"));
        QVERIFY(!n.title.isEmpty());
    }
    QCOMPARE(gotKinds, kinds);
    if (!got.isEmpty())
        QVERIFY2(got.last().text.contains(text), qPrintable(got.last().text));
    // What is remembered: the state, the count (kept when unread), and the
    // end warned of, so the same event is not told twice.
    QCOMPARE(int(after.state), state);
    QCOMPARE(after.oomKills, oom >= 0 ? oom : oomBefore);
    std::optional<SandboxNotifier::Seen> again = after;
    QVERIFY(SandboxNotifier::notices(again, info, metrics, now, settings, &after).isEmpty());
}

QTEST_GUILESS_MAIN(TestDesktopUnits)
#include "tst_desktop_units.moc"
