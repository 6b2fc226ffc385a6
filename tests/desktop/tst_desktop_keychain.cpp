// SPDX-License-Identifier: GPL-3.0-or-later
// API keys in a real keychain: run by ctest inside a private D-Bus session
// with an unlocked gnome-keyring (the Secret Service most Linux desktops
// have), see tests/desktop/with-keyring.sh.
#include "KeyStore.h"

#include <QFile>
#include <QStandardPaths>
#include <QTest>

class tst_desktop_keychain : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void keyGoesToTheKeychain();

private:
    static QString readKey(KeyStore &store, const QString &profile, QString *error);
};

void tst_desktop_keychain::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

QString tst_desktop_keychain::readKey(KeyStore &store, const QString &profile, QString *error)
{
    QString key;
    *error = QStringLiteral("not called");
    store.read(profile, [&](const QString &k, const QString &e) {
        key = k;
        *error = e;
    });
    if (!QTest::qWaitFor([&] { return *error != QLatin1String("not called"); }, 20000))
        *error = QStringLiteral("The keychain did not answer within 20 s.");
    return key;
}

void tst_desktop_keychain::keyGoesToTheKeychain()
{
    const QString profile = QStringLiteral("remote: keychain test %1").arg(QCoreApplication::applicationPid());
    KeyStore keychain(nullptr, KeyStore::Backend::KeychainFirst);
    QString writeError = QStringLiteral("not called");
    keychain.write(profile, QStringLiteral("ai2in_live_in_keychain"), [&](const QString &e) { writeError = e; });
    QTRY_VERIFY_WITH_TIMEOUT(writeError != QLatin1String("not called"), 20000);
    QVERIFY2(writeError.isEmpty(), qPrintable(writeError));

    // In the keychain, not in the fallback file.
    QVERIFY2(!QFile::exists(KeyStore::fallbackPath(profile)), qPrintable(KeyStore::fallbackPath(profile)));
    QString error;
    QCOMPARE(readKey(keychain, profile, &error), QStringLiteral("ai2in_live_in_keychain"));
    QVERIFY2(error.isEmpty(), qPrintable(error));
    KeyStore fileOnly(nullptr, KeyStore::Backend::FileOnly);
    QVERIFY(readKey(fileOnly, profile, &error).isEmpty());
    QVERIFY(!error.isEmpty());
}

QTEST_GUILESS_MAIN(tst_desktop_keychain)
#include "tst_desktop_keychain.moc"
