// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>

// One HTTP answer as a test sees it. status is 0 when no answer came at all
// (connection refused, transfer timeout); networkError then says why.
struct ApiResponse
{
    int status = 0;
    QByteArray body;
    QHash<QByteArray, QByteArray> headers; // names in lower case
    QString networkError;

    QByteArray header(const QByteArray &name) const { return headers.value(name.toLower()); }
    // The body as a JSON object; an empty object when it is not one, so a
    // test asserting on a field fails on the field, not on a crash.
    QJsonObject json() const;
    bool isJsonObject() const;
    // error.code and error.message of an error answer ("" when absent).
    QString errorCode() const;
    QString errorMessage() const;
    // One line for QVERIFY2 messages: "409 {…body…}".
    QByteArray describe() const;
};
