// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "EngineClient.h"

#include <QObject>

class QNetworkReply;

// The file endpoints the Files tab and its viewer call directly (the
// listing, uploads and downloads have models of their own: RemoteFileModel,
// UploadQueue, FileDownload). The widgets ask through this and never build
// an API path themselves.
class FilesClient : public QObject
{
    Q_OBJECT
public:
    explicit FilesClient(EngineClient *client, QObject *parent = nullptr);

    // `POST …/files/mkdir`: a folder at `path` (and the folders on the way).
    void makeFolder(const QString &sandbox, const QString &path, QObject *context, EngineClient::Handler<Done> done);
    // `DELETE …/files?path=`: a file, or a folder with what it holds.
    void remove(const QString &sandbox, const QString &path, QObject *context, EngineClient::Handler<Done> done);
    // `GET …/files/content`: the file's bytes as they arrive; the caller
    // reads and deletes the reply.
    QNetworkReply *openContent(const QString &sandbox, const QString &path, int timeoutMs);

private:
    EngineClient *m_client;
};
