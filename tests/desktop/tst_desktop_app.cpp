// SPDX-License-Identifier: GPL-3.0-or-later
// The app layer without an engine: API keys in the private file (the
// fallback when no keychain answers) and connection profiles in settings.
#include "ConnectionProfile.h"
#include "KeyStore.h"
#include "LocalEngineLauncher.h"

#include <QFile>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <QTest>

class tst_desktop_app : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void keyFileIsPrivate();
    void missingKeyIsASentence();
    void profilesPersist();
    void launcherServesOnlyTheLocalAddress();
};

void tst_desktop_app::launcherServesOnlyTheLocalAddress()
{
    // The app starts the engine of its own Local profile, where that profile
    // points, and never one on the default port for another address.
    QCOMPARE(LocalEngineLauncher::listenFor(QUrl(QStringLiteral("http://127.0.0.1:7390"))), QStringLiteral("127.0.0.1:7390"));
    QCOMPARE(LocalEngineLauncher::listenFor(QUrl(QStringLiteral("http://localhost"))), QStringLiteral("127.0.0.1:7300"));
    const QString remote = LocalEngineLauncher::whyNotStartable(QUrl(QStringLiteral("http://engine.example:7300")));
    QVERIFY2(remote.contains(QLatin1String("not an address of this computer")), qPrintable(remote));
    QVERIFY(!LocalEngineLauncher::whyNotStartable(QUrl(QStringLiteral("https://127.0.0.1:7300"))).isEmpty());
}

void tst_desktop_app::initTestCase()
{
    // Keys and settings go under ~/.qttest, never into the user's own.
    QStandardPaths::setTestModeEnabled(true);
}

void tst_desktop_app::keyFileIsPrivate()
{
    KeyStore store(nullptr, KeyStore::Backend::FileOnly);
    const QString profile = QStringLiteral("remote: büro/../x");
    QString writeError = QStringLiteral("not called");
    store.write(profile, QStringLiteral("ai2in_live_secret"), [&](const QString &e) { writeError = e; });
    QTRY_VERIFY(writeError != QLatin1String("not called"));
    QVERIFY2(writeError.isEmpty(), qPrintable(writeError));

    const QString path = KeyStore::fallbackPath(profile);
    QVERIFY2(path.endsWith(QLatin1String(".key")) && !path.contains(QLatin1String("..")), qPrintable(path));
    const QFile::Permissions perms = QFile::permissions(path);
    QVERIFY(perms & QFile::ReadOwner);
    QVERIFY2(!(perms & (QFile::ReadGroup | QFile::ReadOther | QFile::WriteGroup | QFile::WriteOther)),
             qPrintable(QString::number(int(perms), 16)));

    QString key;
    QString readError = QStringLiteral("not called");
    store.read(profile, [&](const QString &k, const QString &e) {
        key = k;
        readError = e;
    });
    QTRY_VERIFY(readError != QLatin1String("not called"));
    QCOMPARE(key, QStringLiteral("ai2in_live_secret"));
    QFile::remove(path);
}

void tst_desktop_app::missingKeyIsASentence()
{
    KeyStore store(nullptr, KeyStore::Backend::FileOnly);
    QString key = QStringLiteral("x");
    QString error;
    store.read(QStringLiteral("never stored"), [&](const QString &k, const QString &e) {
        key = k;
        error = e;
    });
    QTRY_VERIFY(!error.isEmpty());
    QVERIFY(key.isEmpty());
    QVERIFY2(error.contains(QLatin1String("never stored")), qPrintable(error));
}

void tst_desktop_app::profilesPersist()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString ini = dir.filePath(QStringLiteral("s.ini"));
    {
        QSettings s(ini, QSettings::IniFormat);
        const QList<ConnectionProfile> fresh = ConnectionProfile::loadAll(s);
        QCOMPARE(fresh.size(), 1);
        QCOMPARE(fresh.first().name, ConnectionProfile::localName());
        QCOMPARE(ConnectionProfile::watched(s), QStringList{ConnectionProfile::localName()});
        ConnectionProfile::saveRemote(s, {QStringLiteral("lab"), true, QUrl(QStringLiteral("https://lab.example:7300"))});
        ConnectionProfile::saveRemote(s, {QStringLiteral("ci"), true, QUrl(QStringLiteral("http://10.0.0.2:7300"))});
        // Saving again under a name replaces that profile.
        ConnectionProfile::saveRemote(s, {QStringLiteral("lab"), true, QUrl(QStringLiteral("https://lab2.example:7300"))});
        ConnectionProfile::setWatched(s, {QStringLiteral("ci"), QStringLiteral("Local")});
    }
    QSettings s(ini, QSettings::IniFormat);
    const QList<ConnectionProfile> all = ConnectionProfile::loadAll(s);
    QCOMPARE(all.size(), 3);
    QCOMPARE(all.at(1).name, QStringLiteral("ci"));
    QCOMPARE(all.at(2).name, QStringLiteral("lab"));
    QCOMPARE(all.at(2).baseUrl, QUrl(QStringLiteral("https://lab2.example:7300")));
    QVERIFY(all.at(2).remote);
    // Several engines are watched at once, and remembered.
    QCOMPARE(ConnectionProfile::watched(s), (QStringList{QStringLiteral("ci"), QStringLiteral("Local")}));
    {
        // Settings from before: the one connection used last is watched.
        QSettings old(dir.filePath(QStringLiteral("old.ini")), QSettings::IniFormat);
        old.setValue(QStringLiteral("connection/last"), QStringLiteral("lab"));
        QCOMPARE(ConnectionProfile::watched(old), QStringList{QStringLiteral("lab")});
    }
    // No key ever lands in the settings file.
    QFile f(ini);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QVERIFY(!f.readAll().contains("ai2in_live"));
}

QTEST_GUILESS_MAIN(tst_desktop_app)
#include "tst_desktop_app.moc"
