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
    // The tar of every added and modified path (GET …/changes/archive;
    // gzipped when `fileName` ends in .tar.gz or .tgz), written to it as it arrives, never held whole in memory; the
    // file appears only once all of it has (QSaveFile), so a failure leaves
    // nothing. `done` gets the archive's size or the error; `progress` the
    // bytes written so far. Nothing is called once `context` is gone, and
    // the download stops.
    void saveArchive(const QString &sandbox, const QString &fileName, QObject *context,
                     std::function<void(qint64 bytes)> progress, EngineClient::Handler<qint64> done);

    // Pure: the paths these ask for.
    static QString listPath(const QString &sandbox);
    static QString diffPath(const QString &sandbox, const QString &path);
    static QString patchPath(const QString &sandbox);
    static QString archivePath(const QString &sandbox, bool gzip = false);

private:
    EngineClient *m_client;
};
