// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "EngineClient.h"

#include <QByteArray>
#include <QObject>

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
    // `GET …/files/content`, read as it arrives: at most `maxBytes` of the
    // file's start, and whether there was more (the rest is not read). The
    // read stops when `context` goes.
    struct Head
    {
        QByteArray bytes;
        bool truncated = false;
    };
    void readHead(const QString &sandbox, const QString &path, qsizetype maxBytes, int timeoutMs, QObject *context,
                  EngineClient::Handler<Head> done);

private:
    EngineClient *m_client;
};
