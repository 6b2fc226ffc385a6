// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

// One framed answer of the agent, or why none could be read.
struct AgentReply {
    bool received = false; // a complete header line (and body) arrived
    QString transportError;
    QJsonObject header;
    QByteArray body;

    bool ok() const { return received && header.value(QLatin1String("ok")).toBool(); }
    QString errorCode() const
    {
        return header.value(QLatin1String("error")).toObject().value(QLatin1String("code")).toString();
    }
    QString errorMessage() const
    {
        return header.value(QLatin1String("error")).toObject().value(QLatin1String("message")).toString();
    }
};
