// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QObject>
#include <QPointer>
#include <QStringList>

class EngineClient;
class QNetworkReply;
class QSaveFile;

// One download from a sandbox to this computer: files, and folders with
// everything in them. Folders are listed first (`GET …/files?depth=16`, and
// again below that depth), then the files are read one after the other
// (`GET …/files/content`) straight to disk; a file appears under its name
// only once all of it has arrived.
class FileDownload : public QObject
{
    Q_OBJECT
public:
    FileDownload(EngineClient *client, const QString &sandbox, QObject *parent = nullptr);
    ~FileDownload() override;

    // `localPath` is the file to write, or for a folder the local folder
    // that receives its contents.
    void add(const QString &remotePath, bool isDir, const QString &localPath);
    void start();
    void cancel();

    bool isRunning() const { return m_running; }
    qint64 bytesReceived() const { return m_bytes; }
    int filesDone() const { return m_done; }
    int filesTotal() const { return int(m_files.size()); }
    QStringList localFiles() const;

Q_SIGNALS:
    void progress();
    // Once, at the end: ok, or the sentence of what went wrong.
    void finished(bool ok, const QString &sentence);

private:
    struct Item
    {
        QString remote;
        QString local;
    };
    void step();
    void listDir(const Item &dir);
    void fetch(const Item &file);
    void fail(const QString &sentence);
    void dropTransfer();

    EngineClient *m_client;
    QString m_sandbox;
    QList<Item> m_dirs;  // still to list
    QList<Item> m_files; // all files, in order
    int m_done = 0;
    qint64 m_bytes = 0;
    bool m_running = false;
    QPointer<QNetworkReply> m_reply;
    QSaveFile *m_out = nullptr;
};
