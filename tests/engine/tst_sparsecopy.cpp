// SPDX-License-Identifier: GPL-3.0-or-later
// SparseCopy: a copy reads the same as its source and takes no more room
// than the source's data (holes stay holes), as a blank disk image needs.

#include "SparseCopy.h"

#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

class tst_sparsecopy : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void copy_data();
    void copy();
    void missingSource();
};

namespace {

struct Piece
{
    qint64 offset;
    QByteArray bytes;
};

qint64 allocatedBytes(const QString &path)
{
    struct stat st{};
    return ::stat(QFile::encodeName(path).constData(), &st) == 0 ? qint64(st.st_blocks) * 512 : -1;
}

} // namespace

Q_DECLARE_METATYPE(QList<Piece>)

void tst_sparsecopy::copy_data()
{
    QTest::addColumn<qint64>("size");
    QTest::addColumn<QList<Piece>>("pieces");
    const QByteArray block(64 * 1024, 'x');
    QTest::newRow("empty") << qint64(0) << QList<Piece>{};
    QTest::newRow("only a hole") << (qint64(64) << 20) << QList<Piece>{};
    QTest::newRow("data at both ends") << (qint64(64) << 20)
                                       << QList<Piece>{{0, block}, {(qint64(64) << 20) - block.size(), block}};
    QTest::newRow("data in the middle, hole at the end")
        << (qint64(32) << 20) << QList<Piece>{{qint64(10) << 20, block + QByteArray(5000, 'y')}};
    QTest::newRow("no holes") << qint64(3 * block.size()) << QList<Piece>{{0, block + block + block}};
}

void tst_sparsecopy::copy()
{
    QFETCH(qint64, size);
    QFETCH(QList<Piece>, pieces);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString from = dir.filePath(QStringLiteral("from.img"));
    const QString to = dir.filePath(QStringLiteral("to.img"));
    {
        QFile f(from);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QVERIFY(f.resize(size));
        for (const Piece &p : pieces) {
            QVERIFY(f.seek(p.offset));
            QCOMPARE(f.write(p.bytes), p.bytes.size());
        }
    }
    // A copy over an older file replaces it.
    {
        QFile old(to);
        QVERIFY(old.open(QIODevice::WriteOnly));
        old.write(QByteArray(300000, 'o'));
    }
    QVERIFY(SparseCopy::copy(from, to));
    QCOMPARE(QFileInfo(to).size(), size);
    QFile a(from), b(to);
    QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
    while (!a.atEnd())
        QVERIFY(a.read(4 << 20) == b.read(4 << 20));
    QVERIFY(b.atEnd());
    // Holes stay holes: the copy takes about what the source's data takes.
    QVERIFY2(allocatedBytes(to) <= allocatedBytes(from) + 64 * 1024,
             qPrintable(QStringLiteral("%1 vs %2").arg(allocatedBytes(to)).arg(allocatedBytes(from))));
}

void tst_sparsecopy::missingSource()
{
    QTemporaryDir dir;
    const QString to = dir.filePath(QStringLiteral("to.img"));
    const Status s = SparseCopy::copy(dir.filePath(QStringLiteral("nothing.img")), to);
    QVERIFY(!s);
    QVERIFY2(s.error().message.contains(QStringLiteral("nothing.img")), qPrintable(s.error().message));
    QVERIFY(!QFile::exists(to));
}

QTEST_GUILESS_MAIN(tst_sparsecopy)
#include "tst_sparsecopy.moc"
