// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "HttpReply.h"

#include <QByteArray>
#include <QUrlQuery>

// What a route handler needs of a request, copied out of it so the handler
// may answer later, after the request object is gone.
struct ApiCall
{
    QString team;
    QByteArray body;
    QUrlQuery query;
    QByteArray ifNoneMatch;
    HttpReplyPtr reply;

    QString param(const QString &name) const { return query.queryItemValue(name, QUrl::FullyDecoded); }
    bool hasParam(const QString &name) const { return query.hasQueryItem(name); }
};
