// SPDX-License-Identifier: GPL-3.0-or-later
// API times: the hand-written ISO 8601 path agrees with Qt's own.
#include "Timestamps.h"

#include <QRandomGenerator>
#include <QTest>

class TestTimestamps : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void known_data()
    {
        QTest::addColumn<qint64>("ms");
        QTest::addColumn<QString>("text");
        QTest::newRow("epoch") << qint64(0) << QStringLiteral("1970-01-01T00:00:00.000Z");
        QTest::newRow("before the epoch") << qint64(-1) << QStringLiteral("1969-12-31T23:59:59.999Z");
        QTest::newRow("leap day") << qint64(1709209845123) << QStringLiteral("2024-02-29T12:30:45.123Z");
        QTest::newRow("2000 is a leap year") << qint64(951782400000) << QStringLiteral("2000-02-29T00:00:00.000Z");
        QTest::newRow("end of a year") << qint64(1798761599999) << QStringLiteral("2026-12-31T23:59:59.999Z");
    }

    void known()
    {
        QFETCH(qint64, ms);
        QFETCH(QString, text);
        const QDateTime t = QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
        QCOMPARE(Timestamps::toJson(t).toString(), text);
        QCOMPARE(Timestamps::fromJson(text).toMSecsSinceEpoch(), ms);
    }

    // Thousands of times from 1900 to 2200, each written and read both ways.
    void agreesWithQt()
    {
        QRandomGenerator rng(42);
        for (int i = 0; i < 5000; ++i) {
            const qint64 ms = qint64(rng.bounded(Q_INT64_C(9467280000000))) - Q_INT64_C(2208988800000);
            const QDateTime t = QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
            const QString ours = Timestamps::toJson(t).toString();
            QCOMPARE(ours, t.toString(Qt::ISODateWithMs));
            QCOMPARE(Timestamps::fromJson(ours).toMSecsSinceEpoch(), ms);
        }
    }

    void otherFormsStillRead_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::newRow("with an offset") << QStringLiteral("2026-12-07T16:00:00.000+01:00") << true;
        QTest::newRow("no milliseconds") << QStringLiteral("2026-12-07T16:00:00Z") << true;
        QTest::newRow("31 February") << QStringLiteral("2026-02-31T00:00:00.000Z") << false;
        QTest::newRow("24:00, as Qt reads it") << QStringLiteral("2026-02-01T24:00:00.000Z") << true;
        QTest::newRow("minute 60") << QStringLiteral("2026-02-01T10:60:00.000Z") << false;
        QTest::newRow("not a time") << QStringLiteral("yesterday") << false;
    }

    void otherFormsStillRead()
    {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        const QDateTime ours = Timestamps::fromJson(text);
        QCOMPARE(ours.isValid(), valid);
        if (valid)
            QCOMPARE(ours, QDateTime::fromString(text, Qt::ISODateWithMs));
    }
};

QTEST_APPLESS_MAIN(TestTimestamps)
#include "tst_timestamps.moc"
