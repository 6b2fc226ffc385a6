// SPDX-License-Identifier: GPL-3.0-or-later
#include "ApiError.h"

#include <QJsonDocument>

QJsonObject ApiError::toJson() const
{
    return QJsonObject{{QStringLiteral("error"),
                        QJsonObject{{QStringLiteral("code"), code}, {QStringLiteral("message"), message}}}};
}

ApiError ApiError::fromResponse(int httpStatus, const QByteArray &body)
{
    const QJsonObject err = QJsonDocument::fromJson(body).object().value(QStringLiteral("error")).toObject();
    ApiError e;
    e.httpStatus = httpStatus;
    e.code = err.value(QStringLiteral("code")).toString();
    e.message = err.value(QStringLiteral("message")).toString();
    if (e.code.isEmpty())
        e.code = httpStatus >= 500 ? QStringLiteral("internal") : QStringLiteral("http_error");
    if (e.message.isEmpty())
        e.message = QStringLiteral("The engine answered HTTP %1 without an explanation.").arg(httpStatus);
    return e;
}
