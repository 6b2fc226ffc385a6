// SPDX-License-Identifier: GPL-3.0-or-later
// The pure rules behind disk sizes, host-size refusals, the data dir's
// reserve and team budgets; and the parsers of their inputs.

#include "CapacityRules.h"
#include "CreateSandboxRequest.h"
#include "Database.h"
#include "KeyStore.h"
#include "Limits.h"
#include "MegabyteOption.h"

#include <QTemporaryDir>
#include <QTest>

class tst_capacityrules : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void megabytes_data();
    void megabytes();
    void diskMbField_data();
    void diskMbField();
    void fitsHost_data();
    void fitsHost();
    void diskRoom_data();
    void diskRoom();
    void budget_data();
    void budget();
    void budgetStore_data();
    void budgetStore();
};

void tst_capacityrules::megabytes_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("max");
    QTest::addColumn<qint64>("want"); // -1: refused

    const qint64 big = 1LL << 40;
    QTest::newRow("bare MiB") << "512" << big << qint64(512);
    QTest::newRow("M") << "512M" << big << qint64(512);
    QTest::newRow("MB") << "512MB" << big << qint64(512);
    QTest::newRow("MiB lower") << "512mib" << big << qint64(512);
    QTest::newRow("G") << "4G" << big << qint64(4096);
    QTest::newRow("GiB spaces") << " 4GiB " << big << qint64(4096);
    QTest::newRow("T") << "1T" << big << qint64(1024 * 1024);
    QTest::newRow("empty") << "" << big << qint64(-1);
    QTest::newRow("unit only") << "G" << big << qint64(-1);
    QTest::newRow("zero") << "0" << big << qint64(-1);
    QTest::newRow("negative") << "-5" << big << qint64(-1);
    QTest::newRow("bytes") << "512B" << big << qint64(-1);
    QTest::newRow("fraction") << "1.5G" << big << qint64(-1);
    QTest::newRow("hex") << "0x10" << big << qint64(-1);
    QTest::newRow("unknown unit") << "4K" << big << qint64(-1);
    QTest::newRow("arabic-indic digits") << QString::fromUtf8("٤G") << big << qint64(-1);
    QTest::newRow("at max") << "2G" << qint64(2048) << qint64(2048);
    QTest::newRow("over max") << "3G" << qint64(2048) << qint64(-1);
    QTest::newRow("overflow") << "99999999999T" << big << qint64(-1);
}

void tst_capacityrules::megabytes()
{
    QFETCH(QString, text);
    QFETCH(qint64, max);
    QFETCH(qint64, want);
    const auto got = MegabyteOption::parse(text, max);
    QCOMPARE(got.value_or(-1), want);
}

void tst_capacityrules::diskMbField_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("want"); // -1: 400 with a sentence naming disk_mb

    QTest::newRow("absent: the default") << QByteArray("{}") << 0;
    QTest::newRow("1 GiB") << QByteArray(R"({"disk_mb": 1024})") << 1024;
    QTest::newRow("minimum") << QByteArray(R"({"disk_mb": 64})") << 64;
    QTest::newRow("maximum") << QByteArray(R"({"disk_mb": 1048576})") << 1048576;
    QTest::newRow("below minimum") << QByteArray(R"({"disk_mb": 63})") << -1;
    QTest::newRow("zero") << QByteArray(R"({"disk_mb": 0})") << -1;
    QTest::newRow("negative") << QByteArray(R"({"disk_mb": -1024})") << -1;
    QTest::newRow("above maximum") << QByteArray(R"({"disk_mb": 1048577})") << -1;
    QTest::newRow("huge") << QByteArray(R"({"disk_mb": 1e300})") << -1;
    QTest::newRow("fraction") << QByteArray(R"({"disk_mb": 100.5})") << -1;
    QTest::newRow("string") << QByteArray(R"({"disk_mb": "1024"})") << -1;
    QTest::newRow("null") << QByteArray(R"({"disk_mb": null})") << -1;
}

void tst_capacityrules::diskMbField()
{
    QFETCH(QByteArray, body);
    QFETCH(int, want);
    const auto r = CreateSandboxRequest::parse(body);
    if (want < 0) {
        QVERIFY(!r);
        QCOMPARE(r.error().httpStatus, 400);
        QVERIFY2(r.error().message.contains(QStringLiteral("disk_mb")), qPrintable(r.error().message));
        return;
    }
    QVERIFY2(r, r ? "" : qPrintable(r.error().message));
    QCOMPARE(r->diskMb, want);
}

void tst_capacityrules::fitsHost_data()
{
    QTest::addColumn<int>("cpus");
    QTest::addColumn<qint64>("memoryMb");
    QTest::addColumn<int>("status"); // 0: fits
    QTest::addColumn<QString>("mentions");

    QTest::newRow("small") << 1 << qint64(512) << 0 << QString();
    QTest::newRow("all of the host") << 4 << qint64(8192) << 0 << QString();
    QTest::newRow("one CPU too many") << 5 << qint64(512) << 400 << QStringLiteral("only 4");
    QTest::newRow("64 CPUs") << 64 << qint64(512) << 400 << QStringLiteral("64 CPUs");
    QTest::newRow("1 MiB too much") << 1 << qint64(8193) << 400 << QStringLiteral("8192 MiB");
    QTest::newRow("64 GiB") << 2 << qint64(65536) << 400 << QStringLiteral("65536 MiB");
}

void tst_capacityrules::fitsHost()
{
    QFETCH(int, cpus);
    QFETCH(qint64, memoryMb);
    QFETCH(int, status);
    QFETCH(QString, mentions);
    HostCapacity host;
    host.cpus = 4;
    host.memoryMb = 8192;
    const Status s = CapacityRules::fitsHost({cpus, memoryMb, 1024}, host);
    if (status == 0) {
        QVERIFY2(s, s ? "" : qPrintable(s.error().message));
        return;
    }
    QVERIFY(!s);
    QCOMPARE(s.error().httpStatus, status);
    QVERIFY2(s.error().message.contains(mentions), qPrintable(s.error().message));
}

void tst_capacityrules::diskRoom_data()
{
    QTest::addColumn<qint64>("freeMb");
    QTest::addColumn<qint64>("reserveMb");
    QTest::addColumn<qint64>("newDiskMb");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("mentions");

    QTest::newRow("plenty") << qint64(100000) << qint64(2048) << qint64(10240) << 0 << QString();
    QTest::newRow("exactly fits") << qint64(12288) << qint64(2048) << qint64(10240) << 0 << QString();
    QTest::newRow("one MiB short") << qint64(12287) << qint64(2048) << qint64(10240) << 507
                                   << QStringLiteral("at most 10239 MiB");
    QTest::newRow("below the reserve") << qint64(1000) << qint64(2048) << qint64(64) << 507
                                       << QStringLiteral("2048 MiB it keeps in reserve");
    QTest::newRow("resume below the reserve") << qint64(2047) << qint64(2048) << qint64(0) << 507
                                              << QStringLiteral("--disk-reserve-mb");
    QTest::newRow("resume at the reserve") << qint64(2048) << qint64(2048) << qint64(0) << 0 << QString();
    QTest::newRow("no reserve, full disk") << qint64(0) << qint64(0) << qint64(64) << 507
                                           << QStringLiteral("at most 0 MiB");
}

void tst_capacityrules::diskRoom()
{
    QFETCH(qint64, freeMb);
    QFETCH(qint64, reserveMb);
    QFETCH(qint64, newDiskMb);
    QFETCH(int, status);
    QFETCH(QString, mentions);
    HostCapacity host;
    host.dataDirFreeMb = freeMb;
    host.reserveMb = reserveMb;
    const Status s = CapacityRules::diskRoom(host, newDiskMb);
    if (status == 0) {
        QVERIFY2(s, s ? "" : qPrintable(s.error().message));
        return;
    }
    QVERIFY(!s);
    QCOMPARE(s.error().httpStatus, status);
    QCOMPARE(s.error().code, QStringLiteral("insufficient_storage"));
    QVERIFY2(s.error().message.contains(mentions), qPrintable(s.error().message));
}

void tst_capacityrules::budget_data()
{
    QTest::addColumn<int>("maxCpu");      // 0: no limit
    QTest::addColumn<int>("maxMemoryMb"); // 0: no limit
    QTest::addColumn<int>("maxDiskMb");   // 0: no limit
    QTest::addColumn<int>("usedCpu");
    QTest::addColumn<int>("usedMemoryMb");
    QTest::addColumn<int>("usedDiskMb");
    QTest::addColumn<int>("wantCpu");
    QTest::addColumn<int>("wantMemoryMb");
    QTest::addColumn<int>("wantDiskMb");
    QTest::addColumn<QString>("refusal"); // empty: allowed

    QTest::newRow("no budget") << 0 << 0 << 0 << 100 << 100000 << 100000 << 64 << 65536 << 100000 << QString();
    QTest::newRow("memory fits exactly") << 0 << 1024 << 0 << 0 << 512 << 0 << 1 << 512 << 0 << QString();
    QTest::newRow("memory over")
        << 0 << 1024 << 0 << 0 << 768 << 0 << 1 << 512 << 0
        << QStringLiteral("Team 'blue' has a budget of 1024 MiB of memory; its sandboxes hold 768 MiB of memory and "
                          "this one asks for 512 MiB of memory.");
    QTest::newRow("cpu over") << 3 << 0 << 0 << 2 << 0 << 0 << 2 << 0 << 0
                              << QStringLiteral("a budget of 3 CPUs; its sandboxes hold 2 CPUs and this one asks for 2 CPUs");
    QTest::newRow("one cpu") << 1 << 0 << 0 << 0 << 0 << 0 << 2 << 0 << 0
                             << QStringLiteral("a budget of 1 CPU;");
    QTest::newRow("disk over") << 0 << 0 << 2048 << 0 << 0 << 1024 << 1 << 64 << 1025
                               << QStringLiteral("paused ones keep their disk");
    QTest::newRow("disk fits") << 0 << 0 << 2048 << 0 << 0 << 1024 << 1 << 64 << 1024 << QString();
    QTest::newRow("cpu checked first") << 1 << 1 << 1 << 1 << 1 << 1 << 1 << 1 << 1 << QStringLiteral("CPU");
}

void tst_capacityrules::budget()
{
    QFETCH(int, maxCpu);
    QFETCH(int, maxMemoryMb);
    QFETCH(int, maxDiskMb);
    QFETCH(int, usedCpu);
    QFETCH(int, usedMemoryMb);
    QFETCH(int, usedDiskMb);
    QFETCH(int, wantCpu);
    QFETCH(int, wantMemoryMb);
    QFETCH(int, wantDiskMb);
    QFETCH(QString, refusal);
    TeamBudget b;
    if (maxCpu)
        b.maxCpu = maxCpu;
    if (maxMemoryMb)
        b.maxMemoryMb = maxMemoryMb;
    if (maxDiskMb)
        b.maxDiskMb = maxDiskMb;
    const Status s = CapacityRules::withinBudget(QStringLiteral("blue"), b, {usedCpu, usedMemoryMb, usedDiskMb},
                                                 {wantCpu, wantMemoryMb, wantDiskMb});
    if (refusal.isEmpty()) {
        QVERIFY2(s, s ? "" : qPrintable(s.error().message));
        return;
    }
    QVERIFY(!s);
    QCOMPARE(s.error().httpStatus, 429);
    QVERIFY2(s.error().message.contains(refusal), qPrintable(s.error().message));
}

// A team's budget in the key store: set, changed field by field, cleared,
// and shown next to every key of the team. Each row applies its steps to a
// fresh store; -1 means "not given" (or "no limit" in the expected columns).
void tst_capacityrules::budgetStore_data()
{
    QTest::addColumn<QList<QList<int>>>("steps"); // {cpu, memory, disk, clear}
    QTest::addColumn<QList<int>>("want");         // {cpu, memory, disk}

    QTest::newRow("none set") << QList<QList<int>>{} << QList<int>{-1, -1, -1};
    QTest::newRow("all at once") << QList<QList<int>>{{4, 8192, 20480, 0}} << QList<int>{4, 8192, 20480};
    QTest::newRow("one field keeps the others")
        << QList<QList<int>>{{4, 8192, 20480, 0}, {-1, 1024, -1, 0}} << QList<int>{4, 1024, 20480};
    QTest::newRow("clear then one") << QList<QList<int>>{{4, 8192, 20480, 0}, {-1, -1, 100, 1}}
                                    << QList<int>{-1, -1, 100};
    QTest::newRow("clear all") << QList<QList<int>>{{4, 8192, 20480, 0}, {-1, -1, -1, 1}} << QList<int>{-1, -1, -1};
}

void tst_capacityrules::budgetStore()
{
    QFETCH(QList<QList<int>>, steps);
    QFETCH(QList<int>, want);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    Database db(QStringLiteral("budget-test"));
    QVERIFY(db.open(dir.filePath(QStringLiteral("state.db"))));
    KeyStore keys(db.db());
    QVERIFY(keys.create(QStringLiteral("blue")));
    QVERIFY(keys.create(QStringLiteral("red")));
    auto opt = [](int v) { return v < 0 ? std::optional<int>() : std::optional<int>(v); };
    for (const QList<int> &step : steps) {
        const TeamBudget change{opt(step[0]), opt(step[1]), opt(step[2])};
        QVERIFY(keys.setBudget(QStringLiteral("blue"), change, step[3] != 0));
    }
    const auto b = keys.budget(QStringLiteral("blue"));
    QVERIFY(b);
    QCOMPARE(b->maxCpu, opt(want[0]));
    QCOMPARE(b->maxMemoryMb, opt(want[1]));
    QCOMPARE(b->maxDiskMb, opt(want[2]));
    // Another team is untouched, and the list joins each key to its team's.
    QVERIFY(!keys.budget(QStringLiteral("red"))->any());
    const auto list = keys.list();
    QVERIFY(list);
    QCOMPARE(list->size(), 2);
    for (const ApiKeyInfo &k : *list) {
        if (k.team == QLatin1String("blue"))
            QCOMPARE(k.budget.maxMemoryMb, opt(want[1]));
        else
            QVERIFY(!k.budget.any());
    }
}

QTEST_GUILESS_MAIN(tst_capacityrules)
#include "tst_capacityrules.moc"
