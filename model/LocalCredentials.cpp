// SPDX-License-Identifier: GPL-3.0-or-later
#include "LocalCredentials.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

QString LocalCredentials::defaultCredentialsPath()
{
    return QStringLiteral("/var/lib/ai2in/credentials.json");
}

QUrl LocalCredentials::defaultBaseUrl()
{
    return QUrl(QStringLiteral("http://127.0.0.1:7300"));
}

Result<LocalCredentials> LocalCredentials::parseFile(const QByteArray &json, const QString &path)
{
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &err);
    if (err.error != QJsonParseError::NoError || !doc.isObject())
        return ApiError::badRequest(QStringLiteral("%1 is not the engine's credentials file (not a JSON object).").arg(path));
    const QJsonObject o = doc.object();
    LocalCredentials c;
    c.apiKey = o.value(QStringLiteral("api_key")).toString();
    if (c.apiKey.isEmpty())
        return ApiError::badRequest(QStringLiteral("%1 holds no API key.").arg(path));
    const QString url = o.value(QStringLiteral("base_url")).toString();
    c.baseUrl = url.isEmpty() ? defaultBaseUrl() : QUrl(url);
    if (!c.baseUrl.isValid() || (c.baseUrl.scheme() != QLatin1String("http") && c.baseUrl.scheme() != QLatin1String("https")))
        return ApiError::badRequest(QStringLiteral("%1 names an engine address that is not an http(s) URL: '%2'.").arg(path, url));
    c.source = path;
    return c;
}

Result<LocalCredentials> LocalCredentials::resolve(const QString &envUrl, const QString &envKey,
                                                   const Result<LocalCredentials> &fileResult)
{
    LocalCredentials c;
    if (fileResult.ok())
        c = fileResult.value();
    if (!envUrl.isEmpty()) {
        const QUrl url(envUrl);
        if (!url.isValid() || (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")))
            return ApiError::badRequest(QStringLiteral("AI2IN_BASE_URL is not an http(s) URL: '%1'.").arg(envUrl));
        c.baseUrl = url;
    }
    if (!envKey.isEmpty()) {
        c.apiKey = envKey;
        c.source = QStringLiteral("AI2IN_API_KEY");
    }
    if (c.baseUrl.isEmpty())
        c.baseUrl = defaultBaseUrl();
    if (c.apiKey.isEmpty())
        return ApiError::unauthorized(fileResult.ok() ? QStringLiteral("No API key was found.")
                                                      : fileResult.error().message
                                                            + QStringLiteral(" Set AI2IN_API_KEY, or use a Remote profile with a key."));
    return c;
}

Result<LocalCredentials> LocalCredentials::discover(const QString &path)
{
    Result<LocalCredentials> fromFile = ApiError::notFound(QStringLiteral("No engine credentials file at %1.").arg(path));
    QFile f(path);
    if (f.exists()) {
        if (f.open(QIODevice::ReadOnly))
            fromFile = parseFile(f.read(64 * 1024), path);
        else
            fromFile = ApiError::unauthorized(QStringLiteral("Cannot read %1 (%2).").arg(path, f.errorString()));
    }
    return resolve(qEnvironmentVariable("AI2IN_BASE_URL"), qEnvironmentVariable("AI2IN_API_KEY"), fromFile);
}
