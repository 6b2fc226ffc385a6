// SPDX-License-Identifier: GPL-3.0-or-later
#include "ApiResponse.h"

#include <QJsonDocument>

QJsonObject ApiResponse::json() const
{
    return QJsonDocument::fromJson(body).object();
}

bool ApiResponse::isJsonObject() const
{
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &err);
    return err.error == QJsonParseError::NoError && doc.isObject();
}

QString ApiResponse::errorCode() const
{
    return json().value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString();
}

QString ApiResponse::errorMessage() const
{
    return json().value(QStringLiteral("error")).toObject().value(QStringLiteral("message")).toString();
}

QByteArray ApiResponse::describe() const
{
    // Bodies can be megabytes of file content; a failure message needs the start.
    QByteArray shown = body.left(600);
    if (body.size() > 600)
        shown += "…(" + QByteArray::number(body.size()) + " bytes)";
    QByteArray line = QByteArray::number(status) + ' ' + shown;
    if (!networkError.isEmpty())
        line += " [" + networkError.toUtf8() + ']';
    return line;
}
