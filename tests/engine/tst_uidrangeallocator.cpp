// SPDX-License-Identifier: GPL-3.0-or-later
// The pool that gives every sandbox its own host ids, as data: which slot a
// new sandbox gets given the ranges in use and reserved, when the pool is
// exhausted or unusable, and how /etc/subuid lines are read.

#include "UidRangeAllocator.h"

#include <QTest>

class tst_uidrangeallocator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void allocate_data();
    void allocate();
    void checkPool_data();
    void checkPool();
    void isSlot_data();
    void isSlot();
    void reservedSlots();
    void parseSubordinateIds_data();
    void parseSubordinateIds();
};

namespace {

constexpr uint kBase = 1u << 30;
constexpr uint kSize = 65536;

uint slot(int i)
{
    return kBase + uint(i) * kSize;
}

// "base+count,base+count" ↔ ranges, so the tables read as numbers.
QList<IdRange> ranges(const QString &text)
{
    QList<IdRange> out;
    for (const QString &item : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QStringList parts = item.split(QLatin1Char('+'));
        out.append({parts.value(0).toUInt(), parts.value(1).toUInt()});
    }
    return out;
}

QString text(const QList<IdRange> &list)
{
    QStringList items;
    for (const IdRange &r : list)
        items.append(QStringLiteral("%1+%2").arg(r.base).arg(r.count));
    return items.join(QLatin1Char(','));
}

QString s(int i)
{
    return QStringLiteral("%1+%2").arg(slot(i)).arg(kSize);
}

} // namespace

void tst_uidrangeallocator::allocate_data()
{
    QTest::addColumn<uint>("base");
    QTest::addColumn<uint>("slots");
    QTest::addColumn<QString>("reserved");
    QTest::addColumn<QString>("inUse");
    QTest::addColumn<QString>("alsoReserved");
    QTest::addColumn<qint64>("want"); // a slot's first id, -1 for none

    const QString none;
    QTest::newRow("empty pool: first slot") << kBase << 8u << none << none << none << qint64(slot(0));
    QTest::newRow("first taken") << kBase << 8u << none << s(0) << none << qint64(slot(1));
    QTest::newRow("a killed sandbox's slot is reused first") << kBase << 8u << none << s(0) + "," + s(2) << none
                                                             << qint64(slot(1));
    QTest::newRow("in use given unsorted") << kBase << 8u << none << s(3) + "," + s(1) + "," + s(0) + "," + s(2)
                                           << none << qint64(slot(4));
    QTest::newRow("every slot taken") << kBase << 3u << none << s(0) + "," + s(1) + "," + s(2) << none << qint64(-1);
    QTest::newRow("one subuid id blocks its whole slot")
        << kBase << 8u << QStringLiteral("%1+1").arg(slot(0) + 70000 - kSize) << none << none << qint64(slot(1));
    QTest::newRow("a reserved range spanning three slots")
        << kBase << 8u << QStringLiteral("%1+%2").arg(slot(0) + 5).arg(2 * kSize) << none << none << qint64(slot(3));
    QTest::newRow("reserved ends where a slot starts") << kBase << 8u << QStringLiteral("%1+%2").arg(kBase - 10).arg(10)
                                                       << none << none << qint64(slot(0));
    QTest::newRow("a template built into the pool later") << kBase << 8u << none << s(0)
                                                          << QStringLiteral("%1+1000").arg(slot(1) + 100)
                                                          << qint64(slot(2));
    QTest::newRow("a long blocker hides short ones after it")
        << kBase << 8u << none << QStringLiteral("%1+%2,%3+1").arg(kBase).arg(3 * kSize).arg(slot(1) + 5) << none
        << qint64(slot(3));
    QTest::newRow("a legacy row in the template's range blocks nothing") << kBase << 8u << none
                                                                         << QStringLiteral("100000+65536") << none
                                                                         << qint64(slot(0));
    QTest::newRow("empty ranges block nothing") << kBase << 2u << QStringLiteral("%1+0").arg(kBase) << none << none
                                                << qint64(slot(0));
    QTest::newRow("disabled pool") << kBase << 0u << none << none << none << qint64(-1);
    QTest::newRow("never up to (uid_t)-1") << uint(0xffffffffu - kSize + 1) << 1u << none << none << none
                                           << qint64(-1);
    QTest::newRow("last id below (uid_t)-1") << uint(0xffffffffu - kSize) << 1u << none << none << none
                                             << qint64(0xffffffffu - kSize);
}

void tst_uidrangeallocator::allocate()
{
    QFETCH(uint, base);
    QFETCH(uint, slots);
    QFETCH(QString, reserved);
    QFETCH(QString, inUse);
    QFETCH(QString, alsoReserved);
    QFETCH(qint64, want);

    UidRangeAllocator pool(base, slots);
    pool.setReserved(ranges(reserved));
    const auto got = pool.allocate(ranges(inUse), ranges(alsoReserved));
    if (want < 0) {
        QVERIFY2(!got, qPrintable(text({got.value_or(IdRange{})})));
        return;
    }
    QVERIFY(got);
    QCOMPARE(qint64(got->base), want);
    QCOMPARE(got->count, kSize);
    QVERIFY(pool.isSlot(*got));
    // Whatever it hands out overlaps nothing it was told about.
    for (const IdRange &r : ranges(reserved) + ranges(inUse) + ranges(alsoReserved))
        QVERIFY2(!got->overlaps(r), qPrintable(text({*got, r})));
}

void tst_uidrangeallocator::checkPool_data()
{
    QTest::addColumn<uint>("base");
    QTest::addColumn<uint>("slots");
    QTest::addColumn<uint>("size");
    QTest::addColumn<QString>("wantInError"); // "" for a usable pool

    QTest::newRow("defaults") << UidRangeAllocator::kDefaultBase << UidRangeAllocator::kDefaultSlots << kSize
                              << QString();
    QTest::newRow("disabled") << 0u << 0u << kSize << QString();
    QTest::newRow("ends exactly at 2^31") << uint((1u << 31) - 2 * kSize) << 2u << kSize << QString();
    QTest::newRow("one id past 2^31") << uint((1u << 31) - 2 * kSize + 1) << 2u << kSize << QStringLiteral("2147483647");
    QTest::newRow("too many slots") << kBase << 20000u << kSize << QStringLiteral("--uid-pool-size");
    QTest::newRow("among the host's users") << 1000u << 4u << kSize << QStringLiteral("65536 or above");
    QTest::newRow("slots too small") << kBase << 4u << 1000u << QStringLiteral("at least 65536");
}

void tst_uidrangeallocator::checkPool()
{
    QFETCH(uint, base);
    QFETCH(uint, slots);
    QFETCH(uint, size);
    QFETCH(QString, wantInError);
    const QString error = UidRangeAllocator(base, slots, size).checkPool();
    if (wantInError.isEmpty())
        QVERIFY2(error.isEmpty(), qPrintable(error));
    else
        QVERIFY2(error.contains(wantInError) && error.endsWith(QLatin1Char('.')), qPrintable(error));
}

void tst_uidrangeallocator::isSlot_data()
{
    QTest::addColumn<uint>("base");
    QTest::addColumn<uint>("count");
    QTest::addColumn<bool>("want");
    QTest::newRow("first") << slot(0) << kSize << true;
    QTest::newRow("last") << slot(7) << kSize << true;
    QTest::newRow("past the last") << slot(8) << kSize << false;
    QTest::newRow("below the pool") << kBase - kSize << kSize << false;
    QTest::newRow("misaligned") << slot(1) + 1 << kSize << false;
    QTest::newRow("wrong size") << slot(1) << kSize * 2 << false;
    QTest::newRow("a template's range") << 100000u << kSize << false;
}

void tst_uidrangeallocator::isSlot()
{
    QFETCH(uint, base);
    QFETCH(uint, count);
    QFETCH(bool, want);
    QCOMPARE(UidRangeAllocator(kBase, 8).isSlot({base, count}), want);
}

void tst_uidrangeallocator::reservedSlots()
{
    UidRangeAllocator pool(kBase, 8);
    QCOMPARE(pool.reservedSlots(), 0);
    pool.setReserved(ranges(QStringLiteral("100000+65536,%1+1,%2+%3").arg(slot(2)).arg(slot(4) + 1).arg(kSize)));
    QCOMPARE(pool.reservedSlots(), 3); // slot 2, and 4 and 5 by one range
}

void tst_uidrangeallocator::parseSubordinateIds_data()
{
    QTest::addColumn<QByteArray>("file");
    QTest::addColumn<QString>("want");

    QTest::newRow("empty") << QByteArray() << QString();
    QTest::newRow("one user") << QByteArray("alice:100000:65536\n") << QStringLiteral("100000+65536");
    QTest::newRow("no final newline, two users") << QByteArray("alice:100000:65536\nbob:165536:65536")
                                                 << QStringLiteral("100000+65536,165536+65536");
    QTest::newRow("by uid") << QByteArray("1000:231072:65536\n") << QStringLiteral("231072+65536");
    QTest::newRow("comments and blanks") << QByteArray("# podman\n\n   \ncarol:300000:10\n")
                                         << QStringLiteral("300000+10");
    QTest::newRow("blanks around a line") << QByteArray("  dave:400000:5  \r\n") << QStringLiteral("400000+5");
    QTest::newRow("two fields") << QByteArray("alice:100000\n") << QString();
    QTest::newRow("four fields") << QByteArray("alice:1:2:3\n") << QString();
    QTest::newRow("no name") << QByteArray(":100000:65536\n") << QString();
    QTest::newRow("not a number") << QByteArray("alice:x:5\nbob:5:y\n") << QString();
    QTest::newRow("signs") << QByteArray("alice:-1:5\nbob:+5:5\ncarol:5:-5\n") << QString();
    QTest::newRow("zero ids") << QByteArray("alice:100000:0\n") << QString();
    QTest::newRow("start past the id space") << QByteArray("alice:4294967296:1\n") << QString();
    QTest::newRow("huge") << QByteArray("alice:99999999999999999999999:1\n") << QString();
    QTest::newRow("runs past the id space: clipped") << QByteArray("alice:4294967000:1000\n")
                                                     << QStringLiteral("4294967000+295");
    QTest::newRow("bad lines between good ones") << QByteArray("a:1:1\ngarbage\nb:2:2\n")
                                                 << QStringLiteral("1+1,2+2");
    QTest::newRow("binary") << QByteArray("\0\xff:\x01:\x02\n", 7) << QString();
}

void tst_uidrangeallocator::parseSubordinateIds()
{
    QFETCH(QByteArray, file);
    QFETCH(QString, want);
    QCOMPARE(text(UidRangeAllocator::parseSubordinateIds(file)), want);
}

QTEST_APPLESS_MAIN(tst_uidrangeallocator)
#include "tst_uidrangeallocator.moc"
