// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ChangeEntry.h"
#include "EngineClient.h"

#include <QObject>

// The Changes endpoints for the app: what a sandbox changed relative to its
// template, one path's diff, and the whole patch, as protocol types. The
// panes ask through this and never build an API path themselves.
class ChangesClient : public QObject
{
    Q_OBJECT
public:
    explicit ChangesClient(EngineClient *client, QObject *parent = nullptr);

    void list(const QString &sandbox, QObject *context, EngineClient::Handler<ChangeList> done);
    void diff(const QString &sandbox, const QString &path, QObject *context, EngineClient::Handler<ChangeDiff> done);
    // The unified diff of every text change, as `git apply` takes it.
    void patch(const QString &sandbox, QObject *context, EngineClient::Handler<QByteArray> done);

    // Pure: the paths these ask for.
    static QString listPath(const QString &sandbox);
    static QString diffPath(const QString &sandbox, const QString &path);
    static QString patchPath(const QString &sandbox);

private:
    EngineClient *m_client;
};
