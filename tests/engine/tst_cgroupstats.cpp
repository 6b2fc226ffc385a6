// SPDX-License-Identifier: GPL-3.0-or-later
// The cgroup counter parsers, and reading whole (fake) cgroup v1 and v2
// trees laid out as runc leaves them.

#include "CgroupLimits.h"
#include "CgroupStats.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <limits>

using FileMap = QMap<QString, QByteArray>; // path under the cgroup root → content
Q_DECLARE_METATYPE(FileMap)

class tst_cgroupstats : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parseNumber_data();
    void parseNumber();
    void parseKeyedValue_data();
    void parseKeyedValue();
    void readV1_data();
    void readV1();
    void readV2_data();
    void readV2();
    void missingCgroup_data();
    void missingCgroup();
    // CgroupLimits writes what CgroupStats reads back, on both layouts.
    void limits_data();
    void limits();
    void limitsOfMissingCgroup();
};

namespace {

constexpr qint64 kMax = std::numeric_limits<qint64>::max();
constexpr qint64 kNone = -1; // nullopt in the tables

const QString kCgroup = QStringLiteral("/ai2in/sbx_x");

bool writeTree(const QString &root, const FileMap &files)
{
    for (auto it = files.cbegin(); it != files.cend(); ++it) {
        const QString path = root + QLatin1Char('/') + it.key();
        if (!QDir().mkpath(QFileInfo(path).absolutePath()))
            return false;
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write(it.value()) != it.value().size())
            return false;
    }
    return true;
}

FileMap v1Files(const QByteArray &cpu, const QByteArray &usage, const QByteArray &stat, const QByteArray &limit,
                const QByteArray &pids)
{
    FileMap m;
    const QString c = QStringLiteral("ai2in/sbx_x/");
    m.insert(QStringLiteral("cpuacct/") + c + QStringLiteral("cpuacct.usage"), cpu);
    if (!usage.isNull())
        m.insert(QStringLiteral("memory/") + c + QStringLiteral("memory.usage_in_bytes"), usage);
    if (!stat.isNull())
        m.insert(QStringLiteral("memory/") + c + QStringLiteral("memory.stat"), stat);
    if (!limit.isNull())
        m.insert(QStringLiteral("memory/") + c + QStringLiteral("memory.limit_in_bytes"), limit);
    if (!pids.isNull())
        m.insert(QStringLiteral("pids/") + c + QStringLiteral("pids.current"), pids);
    return m;
}

FileMap v2Files(const QByteArray &cpuStat, const QByteArray &current, const QByteArray &max, const QByteArray &pids)
{
    FileMap m;
    m.insert(QStringLiteral("cgroup.controllers"), "cpuset cpu io memory pids\n");
    const QString c = QStringLiteral("ai2in/sbx_x/");
    m.insert(c + QStringLiteral("cpu.stat"), cpuStat);
    if (!current.isNull())
        m.insert(c + QStringLiteral("memory.current"), current);
    if (!max.isNull())
        m.insert(c + QStringLiteral("memory.max"), max);
    if (!pids.isNull())
        m.insert(c + QStringLiteral("pids.current"), pids);
    return m;
}

} // namespace

void tst_cgroupstats::parseNumber_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<qint64>("expected");

    QTest::newRow("zero") << QByteArray("0") << qint64(0);
    QTest::newRow("with newline") << QByteArray("123\n") << qint64(123);
    QTest::newRow("padded") << QByteArray("  42 \t\n") << qint64(42);
    QTest::newRow("CRLF") << QByteArray("7\r\n") << qint64(7);
    QTest::newRow("max") << QByteArray("max") << kMax;
    QTest::newRow("max with newline") << QByteArray("max\n") << kMax;
    QTest::newRow("largest qint64") << QByteArray("9223372036854775807\n") << kMax;
    QTest::newRow("v1 unlimited") << QByteArray("9223372036854771712\n") << qint64(9223372036854771712LL);
    QTest::newRow("empty") << QByteArray() << kNone;
    QTest::newRow("blank") << QByteArray(" \n") << kNone;
    QTest::newRow("word") << QByteArray("abc") << kNone;
    QTest::newRow("MAX upper case") << QByteArray("MAX") << kNone;
    QTest::newRow("maximum") << QByteArray("maximum") << kNone;
    QTest::newRow("negative") << QByteArray("-1") << kNone;
    QTest::newRow("trailing junk") << QByteArray("12abc") << kNone;
    QTest::newRow("two numbers") << QByteArray("1 2") << kNone;
    QTest::newRow("two lines") << QByteArray("1\n2\n") << kNone;
    QTest::newRow("fraction") << QByteArray("1.5") << kNone;
    QTest::newRow("hex") << QByteArray("0x10") << kNone;
    QTest::newRow("overflow by one") << QByteArray("9223372036854775808") << kNone;
    QTest::newRow("overflow, long") << QByteArray(400, '9') << kNone;
    QTest::newRow("NUL before digits") << QByteArray("\0" "5", 2) << kNone;
}

void tst_cgroupstats::parseNumber()
{
    QFETCH(QByteArray, text);
    QFETCH(qint64, expected);
    QCOMPARE(CgroupStats::parseNumber(text).value_or(kNone), expected);
}

void tst_cgroupstats::parseKeyedValue_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<qint64>("expected");

    const QByteArray cpuStat = "usage_usec 5000\nuser_usec 3000\nsystem_usec 2000\n"
                               "nr_periods 0\nnr_throttled 0\nthrottled_usec 0\n";
    QTest::newRow("first key") << cpuStat << QByteArray("usage_usec") << qint64(5000);
    QTest::newRow("middle key") << cpuStat << QByteArray("user_usec") << qint64(3000);
    QTest::newRow("last key, trailing newline") << cpuStat << QByteArray("throttled_usec") << qint64(0);
    QTest::newRow("no trailing newline") << QByteArray("a 1\nb 2") << QByteArray("b") << qint64(2);
    QTest::newRow("absent key") << cpuStat << QByteArray("nr_bursts") << kNone;
    QTest::newRow("prefix of a key") << cpuStat << QByteArray("usage") << kNone;
    QTest::newRow("key is a suffix") << QByteArray("total_inactive_file 10\n") << QByteArray("inactive_file") << kNone;
    QTest::newRow("longer key first")
        << QByteArray("usage_usec_total 9\nusage_usec 4\n") << QByteArray("usage_usec") << qint64(4);
    QTest::newRow("v1 memory.stat")
        << QByteArray("cache 8192\nrss 4096\ninactive_file 100\ntotal_cache 8192\ntotal_inactive_file 4096\n")
        << QByteArray("total_inactive_file") << qint64(4096);
    QTest::newRow("first of duplicates") << QByteArray("a 1\na 2\n") << QByteArray("a") << qint64(1);
    QTest::newRow("tab separated") << QByteArray("a\t7\n") << QByteArray("a") << qint64(7);
    QTest::newRow("extra spaces") << QByteArray("  a   8  \n") << QByteArray("a") << qint64(8);
    QTest::newRow("CRLF") << QByteArray("a 1\r\nb 2\r\n") << QByteArray("b") << qint64(2);
    QTest::newRow("max value") << QByteArray("a max\n") << QByteArray("a") << kMax;
    QTest::newRow("empty text") << QByteArray() << QByteArray("a") << kNone;
    QTest::newRow("only newlines") << QByteArray("\n\n\n") << QByteArray("a") << kNone;
    QTest::newRow("key without value") << QByteArray("a\n") << QByteArray("a") << kNone;
    QTest::newRow("three fields") << QByteArray("a 1 2\n") << QByteArray("a") << kNone;
    QTest::newRow("non-numeric value") << QByteArray("a b\n") << QByteArray("a") << kNone;
    QTest::newRow("negative value") << QByteArray("a -3\n") << QByteArray("a") << kNone;
    QTest::newRow("overflowing value") << QByteArray("a 99999999999999999999\n") << QByteArray("a") << kNone;
    QTest::newRow("empty key") << QByteArray(" 5\n") << QByteArray() << kNone;
    QTest::newRow("key case differs") << QByteArray("A 5\n") << QByteArray("a") << kNone;
    QTest::newRow("one huge line") << QByteArray(1 << 20, 'x') << QByteArray("a") << kNone;
}

void tst_cgroupstats::parseKeyedValue()
{
    QFETCH(QByteArray, text);
    QFETCH(QByteArray, key);
    QFETCH(qint64, expected);
    QCOMPARE(CgroupStats::parseKeyedValue(text, key).value_or(kNone), expected);
}

void tst_cgroupstats::readV1_data()
{
    QTest::addColumn<FileMap>("files");
    QTest::addColumn<qint64>("cpuUsageNs");
    QTest::addColumn<qint64>("memoryBytes");
    QTest::addColumn<qint64>("memoryLimitBytes");
    QTest::addColumn<qint64>("pids");

    const QByteArray stat = "cache 1000\nrss 2000\ntotal_cache 1000\ntotal_inactive_file 4096\n";
    QTest::newRow("typical") << v1Files("123456789\n", "1052672\n", stat, "536870912\n", "3\n") << qint64(123456789)
                             << qint64(1052672 - 4096) << qint64(536870912) << qint64(3);
    QTest::newRow("unlimited memory")
        << v1Files("0\n", "4096\n", "total_inactive_file 0\n", "9223372036854771712\n", "1\n") << qint64(0)
        << qint64(4096) << qint64(9223372036854771712LL) << qint64(1);
    QTest::newRow("cache larger than usage")
        << v1Files("5\n", "1000\n", "total_inactive_file 5000\n", "1000000\n", "2\n") << qint64(5) << qint64(0)
        << qint64(1000000) << qint64(2);
    QTest::newRow("no memory.stat") << v1Files("5\n", "8192\n", QByteArray(), "1000000\n", "2\n") << qint64(5)
                                    << qint64(8192) << qint64(1000000) << qint64(2);
    QTest::newRow("only the non-hierarchical key")
        << v1Files("5\n", "8192\n", "inactive_file 4096\n", "1000000\n", "2\n") << qint64(5) << qint64(8192)
        << qint64(1000000) << qint64(2);
    QTest::newRow("only cpuacct") << v1Files("77\n", QByteArray(), QByteArray(), QByteArray(), QByteArray())
                                  << qint64(77) << qint64(0) << qint64(0) << qint64(0);
    QTest::newRow("garbage everywhere")
        << v1Files("abc", "-1", "total_inactive_file x\n", "lots", "\xff\xfe") << qint64(0) << qint64(0)
        << qint64(0) << qint64(0);
    QTest::newRow("empty files") << v1Files("", "", "", "", "") << qint64(0) << qint64(0) << qint64(0) << qint64(0);
}

void tst_cgroupstats::readV1()
{
    QFETCH(FileMap, files);
    QFETCH(qint64, cpuUsageNs);
    QFETCH(qint64, memoryBytes);
    QFETCH(qint64, memoryLimitBytes);
    QFETCH(qint64, pids);

    QTemporaryDir root;
    QVERIFY(root.isValid());
    QVERIFY(writeTree(root.path(), files));
    const CgroupStats stats(root.path());
    QVERIFY(!stats.isUnified());
    const auto s = stats.read(kCgroup);
    QVERIFY(s.has_value());
    QCOMPARE(s->cpuUsageNs, cpuUsageNs);
    QCOMPARE(s->memoryBytes, memoryBytes);
    QCOMPARE(s->memoryLimitBytes, memoryLimitBytes);
    QCOMPARE(s->pids, pids);
}

void tst_cgroupstats::readV2_data()
{
    QTest::addColumn<FileMap>("files");
    QTest::addColumn<qint64>("cpuUsageNs");
    QTest::addColumn<qint64>("memoryBytes");
    QTest::addColumn<qint64>("memoryLimitBytes");
    QTest::addColumn<qint64>("pids");

    const QByteArray cpuStat = "usage_usec 1500\nuser_usec 1000\nsystem_usec 500\n";
    QTest::newRow("typical") << v2Files(cpuStat, "1048576\n", "536870912\n", "3\n") << qint64(1500000)
                             << qint64(1048576) << qint64(536870912) << qint64(3);
    QTest::newRow("no memory limit") << v2Files(cpuStat, "4096\n", "max\n", "1\n") << qint64(1500000) << qint64(4096)
                                     << kMax << qint64(1);
    QTest::newRow("no usage_usec line") << v2Files("user_usec 1\n", "4096\n", "max\n", "1\n") << qint64(0)
                                        << qint64(4096) << kMax << qint64(1);
    QTest::newRow("only cpu.stat") << v2Files(cpuStat, QByteArray(), QByteArray(), QByteArray()) << qint64(1500000)
                                   << qint64(0) << qint64(0) << qint64(0);
    QTest::newRow("empty cpu.stat") << v2Files("", "", "", "") << qint64(0) << qint64(0) << qint64(0) << qint64(0);
    QTest::newRow("garbage everywhere")
        << v2Files("usage_usec lots\n", "-5\n", "unlimited\n", "many\n") << qint64(0) << qint64(0) << qint64(0)
        << qint64(0);
}

void tst_cgroupstats::readV2()
{
    QFETCH(FileMap, files);
    QFETCH(qint64, cpuUsageNs);
    QFETCH(qint64, memoryBytes);
    QFETCH(qint64, memoryLimitBytes);
    QFETCH(qint64, pids);

    QTemporaryDir root;
    QVERIFY(root.isValid());
    QVERIFY(writeTree(root.path(), files));
    const CgroupStats stats(root.path());
    QVERIFY(stats.isUnified());
    const auto s = stats.read(kCgroup);
    QVERIFY(s.has_value());
    QCOMPARE(s->cpuUsageNs, cpuUsageNs);
    QCOMPARE(s->memoryBytes, memoryBytes);
    QCOMPARE(s->memoryLimitBytes, memoryLimitBytes);
    QCOMPARE(s->pids, pids);
}

void tst_cgroupstats::missingCgroup_data()
{
    QTest::addColumn<FileMap>("files");
    QTest::addColumn<bool>("unified");
    QTest::addColumn<QString>("cgroupsPath");

    const FileMap v1 = v1Files("1\n", "1\n", "", "1\n", "1\n");
    const FileMap v2 = v2Files("usage_usec 1\n", "1\n", "max\n", "1\n");
    QTest::newRow("v1, other sandbox") << v1 << false << QStringLiteral("/ai2in/sbx_y");
    QTest::newRow("v2, other sandbox") << v2 << true << QStringLiteral("/ai2in/sbx_y");
    QTest::newRow("v1, parent of the cgroup") << v1 << false << QStringLiteral("/ai2in");
    QTest::newRow("v2, parent of the cgroup") << v2 << true << QStringLiteral("/ai2in");
    QTest::newRow("v1, empty tree") << FileMap() << false << kCgroup;
    QTest::newRow("v2, empty tree")
        << FileMap{{QStringLiteral("cgroup.controllers"), "cpu memory pids\n"}} << true << kCgroup;
    FileMap memoryOnly = v1;
    memoryOnly.remove(QStringLiteral("cpuacct/ai2in/sbx_x/cpuacct.usage"));
    QTest::newRow("v1, cpuacct gone") << memoryOnly << false << kCgroup;
    FileMap noCpuStat = v2;
    noCpuStat.remove(QStringLiteral("ai2in/sbx_x/cpu.stat"));
    QTest::newRow("v2, cpu.stat gone") << noCpuStat << true << kCgroup;
    QTest::newRow("v2, escaping path") << v2 << true << QStringLiteral("/../../etc");
}

void tst_cgroupstats::missingCgroup()
{
    QFETCH(FileMap, files);
    QFETCH(bool, unified);
    QFETCH(QString, cgroupsPath);

    QTemporaryDir root;
    QVERIFY(root.isValid());
    QVERIFY(writeTree(root.path(), files));
    const CgroupStats stats(root.path());
    QCOMPARE(stats.isUnified(), unified);
    QVERIFY(!stats.read(cgroupsPath).has_value());

    // A root that is not there at all.
    const CgroupStats nowhere(root.path() + QStringLiteral("/does-not-exist"));
    QVERIFY(!nowhere.isUnified());
    QVERIFY(!nowhere.read(kCgroup).has_value());
}

void tst_cgroupstats::limits_data()
{
    QTest::addColumn<bool>("unified");
    QTest::addColumn<int>("cpus");
    QTest::addColumn<qint64>("memory");
    QTest::addColumn<QString>("cpuFile");
    QTest::addColumn<QByteArray>("cpuText");
    QTest::newRow("v2, 1 cpu, 256 MiB") << true << 1 << (qint64(256) << 20) << QStringLiteral("ai2in/sbx_x/cpu.max")
                                        << QByteArray("100000 100000");
    QTest::newRow("v2, 4 cpus, 8 GiB") << true << 4 << (qint64(8) << 30) << QStringLiteral("ai2in/sbx_x/cpu.max")
                                       << QByteArray("400000 100000");
    QTest::newRow("v1, 2 cpus, 512 MiB") << false << 2 << (qint64(512) << 20)
                                         << QStringLiteral("cpu/ai2in/sbx_x/cpu.cfs_quota_us") << QByteArray("200000");
}

void tst_cgroupstats::limits()
{
    QFETCH(bool, unified);
    QFETCH(int, cpus);
    QFETCH(qint64, memory);
    QFETCH(QString, cpuFile);
    QFETCH(QByteArray, cpuText);
    QTemporaryDir root;
    QVERIFY(root.isValid());
    // The files as runc leaves them: the start's limits.
    const FileMap files = unified ? v2Files("usage_usec 0\n", "4096\n", "536870912\n", {})
                                  : v1Files("0\n", "4096\n", {}, "536870912\n", {});
    QVERIFY(writeTree(root.path(), files));
    QVERIFY(writeTree(root.path(), {{cpuFile, "200000"}}));
    QVERIFY(CgroupLimits(root.path()).apply(kCgroup, cpus, memory));
    QFile cpu(root.path() + QLatin1Char('/') + cpuFile);
    QVERIFY(cpu.open(QIODevice::ReadOnly));
    QCOMPARE(cpu.readAll(), cpuText);
    const auto sample = CgroupStats(root.path()).read(kCgroup);
    QVERIFY(sample.has_value());
    QCOMPARE(sample->memoryLimitBytes, memory);
}

void tst_cgroupstats::limitsOfMissingCgroup()
{
    QTemporaryDir root;
    QVERIFY(root.isValid());
    QVERIFY(writeTree(root.path(), {{QStringLiteral("cgroup.controllers"), "memory\n"}}));
    const Status s = CgroupLimits(root.path()).apply(QStringLiteral("/ai2in/gone"), 1, 64 << 20);
    QVERIFY(!s);
    QVERIFY2(s.error().message.contains(QStringLiteral("memory.max")), qPrintable(s.error().message));
}

QTEST_GUILESS_MAIN(tst_cgroupstats)
#include "tst_cgroupstats.moc"
