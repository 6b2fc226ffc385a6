// SPDX-License-Identifier: GPL-3.0-or-later
#include "ApiError.h"

#include <QJsonDocument>

QJsonObject ApiError::toJson() const
{
    QJsonObject e = details;
    e.insert(QStringLiteral("code"), code);
    e.insert(QStringLiteral("message"), message);
    return QJsonObject{{QStringLiteral("error"), e}};
}

ApiError ApiError::fromResponse(int httpStatus, const QByteArray &body)
{
    const QJsonObject err = QJsonDocument::fromJson(body).object().value(QStringLiteral("error")).toObject();
    ApiError e;
    e.httpStatus = httpStatus;
    e.code = err.value(QStringLiteral("code")).toString();
    e.message = err.value(QStringLiteral("message")).toString();
    e.details = err;
    e.details.remove(QStringLiteral("code"));
    e.details.remove(QStringLiteral("message"));
    if (e.code.isEmpty())
        e.code = httpStatus >= 500 ? QStringLiteral("internal") : QStringLiteral("http_error");
    if (e.message.isEmpty())
        e.message = QStringLiteral("The engine answered HTTP %1 without an explanation.").arg(httpStatus);
    return e;
}
