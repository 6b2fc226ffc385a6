// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "FileEntry.h"
#include "FileWatch.h"

#include <QAbstractItemModel>
#include <QHash>

#include <memory>
#include <vector>

class EngineClient;

// A sandbox's files as a lazy tree under one root directory. A directory is
// listed only when a view asks (fetchMore), and its rows are inserted when
// the engine's answer arrives. Watch events change loaded directories row by
// row. Directories sort first, then names, case-insensitively.
class RemoteFileModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column { NameColumn, SizeColumn, ModifiedColumn, PermissionsColumn, ColumnCount };
    enum Role { PathRole = Qt::UserRole + 1, IsDirRole, SizeRole, EntryTypeRole };

    explicit RemoteFileModel(EngineClient *client, QObject *parent = nullptr);
    ~RemoteFileModel() override;

    // "" empties the model. Changing either reloads.
    void setLocation(const QString &sandbox, const QString &root);
    QString sandbox() const { return m_sandbox; }
    QString root() const;
    void setShowHidden(bool on);
    bool showHidden() const { return m_showHidden; }
    // Lists the root again (a reset: the one real reload).
    void reload();

    QModelIndex indexOf(const QString &path) const;
    const FileEntry *entryAt(const QModelIndex &index) const;
    // A directory's listing is in (the root: an invalid index).
    bool isLoaded(const QModelIndex &dir) const;
    int requestsInFlight() const { return m_inFlight; }

    // Applies watch events to the loaded directories: a create inserts the
    // entry (asked for with a stat), a remove removes its row, a modify
    // updates size and time.
    void applyEvents(const QList<FileWatch::Event> &events);
    // As a create or modify event of `path` would (after an upload, mkdir…).
    void refreshPath(const QString &path);

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool hasChildren(const QModelIndex &parent = {}) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

    // Pure: whether `a` sorts before `b` (directories first, then names).
    static bool lessThan(const FileEntry &a, const FileEntry &b);

Q_SIGNALS:
    // A directory's listing came in (its rows are inserted).
    void directoryLoaded(const QString &path);
    // A listing, stat or rename failed: the sentence to show.
    void problem(const QString &sentence);
    void renamed(const QString &from, const QString &to);

private:
    struct Node;
    Node *nodeOf(const QModelIndex &index) const;
    Node *findNode(const QString &path) const;
    QModelIndex indexOfNode(const Node *node, int column = 0) const;
    void list(Node *dir);
    void onListed(const QString &dirPath, quint64 generation, Result<QByteArray> reply);
    void stat(const QString &path);
    void onStat(const QString &path, quint64 generation, Result<QByteArray> reply);
    void insertEntry(Node *dir, FileEntry entry);
    void removeNode(Node *node);
    void updateEntry(Node *node, FileEntry entry);
    void renameTo(Node *node, const QString &newName);
    bool shows(const QString &name) const { return m_showHidden || !name.startsWith(QLatin1Char('.')); }

    EngineClient *m_client;
    std::unique_ptr<Node> m_root;
    QString m_sandbox;
    bool m_showHidden = false;
    quint64 m_generation = 0;
    int m_inFlight = 0;
    QHash<QString, bool> m_statting; // path → changed again while asked
};
