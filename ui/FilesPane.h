// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "UploadQueue.h"

#include <QAbstractItemModel>
#include <QHash>
#include <QSet>
#include <QTemporaryDir>
#include <QUrl>
#include <QWidget>

#include <memory>

class EngineClient;
class FileDownload;
class FileTreeView;
class FileViewerDialog;
class FilesClient;
class FileWatch;
class QCheckBox;
class QLabel;
class QLineEdit;
class QMimeData;
class QAction;
class QMenu;
class QToolButton;
class QTreeView;
class RemoteFileModel;
class TransferPanel;

// The Files tab: a sandbox's files as a lazy tree under a root (default
// /home/sandbox) that follows changes made inside the sandbox by itself (a
// recursive file watch). Local files and folders dropped on a directory row
// (or the empty area: the root) are uploaded, with progress, cancel and a
// choice for names that are taken; files are dragged out or downloaded
// (folders recursively); new folder, rename in place, delete, and a
// read-only viewer.
//
// The engine is read only while the pane is visible; uploads and downloads
// in progress carry on when it is hidden.
class FilesPane : public QWidget
{
    Q_OBJECT
public:
    explicit FilesPane(EngineClient *client, QWidget *parent = nullptr);
    ~FilesPane() override;

    // "" shows a sentence instead of files; a paused sandbox says so and is
    // not read; the same id and state again change nothing.
    void setSandbox(const QString &id, bool running);
    QString sandbox() const { return m_id; }
    // Shows `path` (as typing it in the path bar and Enter does).
    void setRoot(const QString &path);
    QString root() const;
    void setShowHidden(bool on);
    void refresh();

    // Uploads local files and folders into `targetDir` of the sandbox.
    void uploadFiles(const QList<QUrl> &urls, const QString &targetDir);
    // What a drop on the tree does: uploads the local files of `data` into
    // the directory `target` (its directory when it is a file; the root when
    // invalid). False when there is nothing to upload.
    bool handleDrop(const QMimeData *data, const QModelIndex &target);
    // Downloads `items` into `localDir` (each under its own name; folders
    // with everything in them).
    FileDownload *downloadTo(const QModelIndexList &items, const QString &localDir);
    // Makes `name` in the sandbox directory `dirPath`.
    void createFolder(const QString &dirPath, const QString &name);
    // Renames in place, as editing the name does.
    bool renameItem(const QModelIndex &index, const QString &newName);
    // Deletes without asking (deleteSelected() asks first).
    void removePaths(const QStringList &paths);
    void deleteSelected();
    FileViewerDialog *openViewer(const QModelIndex &index);
    // The drag-out data for the selection: file URLs of local copies, or
    // nullptr while they are still being fetched.
    QMimeData *dragOutData();

    RemoteFileModel *model() const { return m_model; }
    QTreeView *view() const;
    UploadQueue *uploads() const { return m_queue; }
    FileWatch *watch() const { return m_watch; }
    TransferPanel *transferPanel() const { return m_transfers; }
    QLineEdit *pathBar() const { return m_path; }
    // The sentence shown instead of the tree ("" while files show).
    QString message() const;
    // The last thing done or the last problem, under the tree.
    QString statusText() const;
    bool isWatching() const;
    // The sentence under the tree before anything happened.
    static QString dropHint();
    // The context menu for a click at `pos` of the tree's viewport (the
    // caller shows and deletes it).
    QMenu *contextMenuAt(const QPoint &pos);

Q_SIGNALS:
    // A request of the pane (not an upload) finished: ok, and its sentence.
    void operationFinished(bool ok, const QString &sentence);

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void buildUi();
    void startReading();
    void stopReading();
    void rememberOpenFolders();
    void reopenFolders(const QModelIndex &parent, int first, int last);
    void showMessage(const QString &sentence);
    void setStatus(const QString &text, bool problem);
    void askClash(int jobId);
    void onUploadFinished(int jobId);
    void downloadWithDialog();
    void uploadWithDialog();
    void newFolderWithDialog();
    void prefetchForDrag(const QModelIndex &current);
    QString targetDirOf(const QModelIndex &index) const;
    QModelIndexList selectedItems() const;
    void updateEnabled();

    EngineClient *m_client;
    FilesClient *m_files;
    RemoteFileModel *m_model;
    FileWatch *m_watch;
    UploadQueue *m_queue;
    QString m_id;
    bool m_running = false;
    bool m_reading = false;
    QString m_root;
    QTemporaryDir m_dragDir;
    QHash<QString, QString> m_dragCopies; // remote path → local copy
    // Open before a reload, to open again (see rememberOpenFolders).
    QSet<QString> m_reopen;
    QString m_reopenCurrent;
    QString m_reopenWhere; // sandbox + root they belong to
    int m_dragFetches = 0;

    QLineEdit *m_path = nullptr;
    QToolButton *m_up = nullptr;
    QToolButton *m_refresh = nullptr;
    QCheckBox *m_hidden = nullptr;
    QToolButton *m_newFolder = nullptr;
    QToolButton *m_download = nullptr;
    QToolButton *m_upload = nullptr;
    QAction *m_openAction = nullptr;
    QAction *m_renameAction = nullptr;
    QAction *m_downloadAction = nullptr;
    QAction *m_uploadAction = nullptr;
    QAction *m_newFolderAction = nullptr;
    QAction *m_deleteAction = nullptr;
    QToolButton *m_delete = nullptr;
    QLabel *m_message = nullptr;
    FileTreeView *m_view = nullptr;
    QLabel *m_status = nullptr;
    TransferPanel *m_transfers = nullptr;
};
