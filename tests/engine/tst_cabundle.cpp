// SPDX-License-Identifier: GPL-3.0-or-later
// The CA bundle a sandbox trusts (engine/runtime/CaBundle): the template's
// bundle with the host's own CAs added once, whatever the files around them.

#include "CaBundle.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

class tst_cabundle : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void certificates_data();
    void certificates();
    void compose_data();
    void compose();
    void fromDirectory();
};

namespace {

QByteArray cert(const char *body)
{
    return QByteArray("-----BEGIN CERTIFICATE-----\n") + body + "\n-----END CERTIFICATE-----\n";
}

} // namespace

void tst_cabundle::certificates_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("count");
    QTest::newRow("none") << QByteArray("# nothing here\n") << 0;
    QTest::newRow("one") << cert("AAAA") << 1;
    QTest::newRow("two with comments between") << QByteArray("# A\n") + cert("AAAA") + "junk\n" + cert("BBBB") << 2;
    QTest::newRow("a key is not a certificate") << QByteArray("-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----\n") << 0;
    QTest::newRow("unterminated") << QByteArray("-----BEGIN CERTIFICATE-----\nAAAA\n") << 0;
    QTest::newRow("no final newline") << cert("AAAA").chopped(1) << 1;
}

void tst_cabundle::certificates()
{
    QFETCH(QByteArray, text);
    QFETCH(int, count);
    const QList<QByteArray> certs = CaBundle::certificates(text);
    QCOMPARE(certs.size(), count);
    for (const QByteArray &c : certs)
        QVERIFY(c.startsWith("-----BEGIN CERTIFICATE-----") && c.endsWith("-----END CERTIFICATE-----\n"));
}

void tst_cabundle::compose_data()
{
    QTest::addColumn<QByteArray>("base");
    QTest::addColumn<QList<QByteArray>>("extra");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("added") << cert("AAAA") << QList<QByteArray>{cert("BBBB")} << cert("AAAA") + cert("BBBB");
    QTest::newRow("already there") << cert("AAAA") << QList<QByteArray>{cert("AAAA")} << cert("AAAA");
    QTest::newRow("twice in extra") << cert("AAAA") << QList<QByteArray>{cert("BBBB"), cert("BBBB")}
                                    << cert("AAAA") + cert("BBBB");
    QTest::newRow("base without final newline") << cert("AAAA").chopped(1) << QList<QByteArray>{cert("BBBB")}
                                                << cert("AAAA") + cert("BBBB");
    QTest::newRow("no template bundle") << QByteArray() << QList<QByteArray>{cert("BBBB")} << cert("BBBB");
}

void tst_cabundle::compose()
{
    QFETCH(QByteArray, base);
    QFETCH(QList<QByteArray>, extra);
    QFETCH(QByteArray, expected);
    QCOMPARE(CaBundle::compose(base, extra), expected);
}

void tst_cabundle::fromDirectory()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QDir().mkpath(dir.filePath(QStringLiteral("corp")));
    auto write = [&](const QString &name, const QByteArray &content) {
        QFile f(dir.filePath(name));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(content);
    };
    write(QStringLiteral("b.crt"), cert("BBBB"));
    write(QStringLiteral("corp/a.crt"), cert("AAAA") + cert("CCCC"));
    write(QStringLiteral("notes.txt"), cert("DDDD")); // not a .crt: update-ca-certificates skips it too
    const QList<QByteArray> certs = CaBundle::fromDirectory(dir.path());
    QCOMPARE(certs, (QList<QByteArray>{cert("BBBB"), cert("AAAA"), cert("CCCC")}));
    QVERIFY(CaBundle::fromDirectory(dir.filePath(QStringLiteral("missing"))).isEmpty());
}

QTEST_APPLESS_MAIN(tst_cabundle)
#include "tst_cabundle.moc"
