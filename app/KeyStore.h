// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>

#include <functional>

// API keys of Remote profiles: in the platform's keychain through QtKeychain
// when the app was built with it and a keychain answers, otherwise in a file
// in the app's config directory that only the user can read. Asynchronous,
// like the keychains themselves.
class KeyStore : public QObject
{
    Q_OBJECT
public:
    enum class Backend { KeychainFirst, FileOnly };
    explicit KeyStore(QObject *parent = nullptr, Backend backend = Backend::KeychainFirst);

    // done(key, "" or a sentence why there is none)
    void read(const QString &profile, std::function<void(QString, QString)> done);
    void write(const QString &profile, const QString &key, std::function<void(QString)> done);

    static QString fallbackPath(const QString &profile);

private:
    Backend m_backend;
    static QString readFile(const QString &profile, QString *error);
    static bool writeFile(const QString &profile, const QString &key, QString *error);
};
