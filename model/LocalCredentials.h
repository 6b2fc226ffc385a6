// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Result.h"

#include <QByteArray>
#include <QString>
#include <QUrl>

// Where the Local profile finds the engine on this machine: AI2IN_BASE_URL and
// AI2IN_API_KEY (the Python SDK reads the same two), else the engine's
// credentials file, else the default address without a key.
struct LocalCredentials
{
    QUrl baseUrl;
    QString apiKey;
    QString source; // for people: "AI2IN_API_KEY", "/var/lib/ai2in/credentials.json", …

    static QString defaultCredentialsPath();
    static QUrl defaultBaseUrl();

    // Pure: the credentials file's JSON ({"api_key": …, "base_url": …}).
    static Result<LocalCredentials> parseFile(const QByteArray &json, const QString &path);
    // Pure: envKey/envUrl are the variables' values ("" when unset); fileResult
    // is what reading the file gave (an error when it could not be read).
    static Result<LocalCredentials> resolve(const QString &envUrl, const QString &envKey,
                                            const Result<LocalCredentials> &fileResult);
    // Reads the environment and the file (a small local file: no network).
    static Result<LocalCredentials> discover(const QString &credentialsPath = defaultCredentialsPath());
};
