// SPDX-License-Identifier: GPL-3.0-or-later
#include "KeyStore.h"

#include "AppLogging.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QSaveFile>
#include <QStandardPaths>

#ifdef AI2IN_HAVE_KEYCHAIN
#include <qt6keychain/keychain.h>
#endif

namespace {
const QString kService = QStringLiteral("ai2in-desktop");
}

KeyStore::KeyStore(QObject *parent, Backend backend)
    : QObject(parent)
    , m_backend(backend)
{
}

QString KeyStore::fallbackPath(const QString &profile)
{
    // Profile names are free text: hash them into a safe file name.
    const QByteArray h = QCryptographicHash::hash(profile.toUtf8(), QCryptographicHash::Sha256).toHex().left(24);
    return QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation) + QStringLiteral("/keys/")
        + QString::fromLatin1(h) + QStringLiteral(".key");
}

QString KeyStore::readFile(const QString &profile, QString *error)
{
    QFile f(fallbackPath(profile));
    if (!f.open(QIODevice::ReadOnly)) {
        *error = tr("No API key is stored for '%1'.").arg(profile);
        return {};
    }
    return QString::fromUtf8(f.readAll()).trimmed();
}

bool KeyStore::writeFile(const QString &profile, const QString &key, QString *error)
{
    const QString path = fallbackPath(profile);
    const QString dir = QFileInfo(path).absolutePath();
    if (!QDir().mkpath(dir)) {
        *error = tr("Cannot create %1.").arg(dir);
        return false;
    }
    QFile::setPermissions(dir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    QSaveFile out(path);
    if (!out.open(QIODevice::WriteOnly)) {
        *error = tr("Cannot write %1: %2.").arg(path, out.errorString());
        return false;
    }
    // Before the key is in it: the file is never readable by others.
    out.setPermissions(QFile::ReadOwner | QFile::WriteOwner);
    out.write(key.toUtf8());
    if (!out.commit()) {
        *error = tr("Cannot write %1: %2.").arg(path, out.errorString());
        return false;
    }
    return true;
}

void KeyStore::read(const QString &profile, std::function<void(QString, QString)> done)
{
#ifdef AI2IN_HAVE_KEYCHAIN
    if (m_backend == Backend::FileOnly) {
        QString error;
        const QString key = readFile(profile, &error);
        done(key, key.isEmpty() ? error : QString());
        return;
    }
    auto *job = new QKeychain::ReadPasswordJob(kService, this);
    job->setAutoDelete(true);
    job->setKey(profile);
    connect(job, &QKeychain::Job::finished, this, [profile, done, job] {
        if (job->error() == QKeychain::NoError) {
            done(job->textData(), {});
            return;
        }
        qCInfo(lcApp) << "keychain read failed, trying the key file:" << job->errorString();
        QString error;
        const QString key = readFile(profile, &error);
        done(key, key.isEmpty() ? error : QString());
    });
    job->start();
#else
    QString error;
    const QString key = readFile(profile, &error);
    done(key, key.isEmpty() ? error : QString());
#endif
}

void KeyStore::write(const QString &profile, const QString &key, std::function<void(QString)> done)
{
#ifdef AI2IN_HAVE_KEYCHAIN
    if (m_backend == Backend::FileOnly) {
        QString error;
        writeFile(profile, key, &error);
        done(error);
        return;
    }
    auto *job = new QKeychain::WritePasswordJob(kService, this);
    job->setAutoDelete(true);
    job->setKey(profile);
    job->setTextData(key);
    connect(job, &QKeychain::Job::finished, this, [profile, key, done, job] {
        if (job->error() == QKeychain::NoError) {
            done({});
            return;
        }
        qCInfo(lcApp) << "no keychain, keeping the key in a private file:" << job->errorString();
        QString error;
        writeFile(profile, key, &error);
        done(error);
    });
    job->start();
#else
    QString error;
    writeFile(profile, key, &error);
    done(error);
#endif
}
