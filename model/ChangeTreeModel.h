// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ChangeEntry.h"

#include <QAbstractItemModel>

#include <memory>
#include <vector>

// A sandbox's changes as a tree of paths: each changed path is a node with
// its change; the folders on the way to it are nodes without one. setChanges()
// brings the tree to a new listing row by row (inserts, removals, changed
// rows), so a view keeps its expanded folders and selection while an agent
// works. Data only: the view decides how a mark looks.
class ChangeTreeModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column { NameColumn, ChangeColumn, SizeColumn, ColumnCount };
    enum Role {
        PathRole = Qt::UserRole + 1, // the node's absolute path
        KindRole,                    // int(ChangeEntry::Kind), or -1 for a folder on the way
        TypeRole,                    // file, dir, symlink, other ("" on the way)
        ChangedRole,                 // bool: the node itself changed
    };

    explicit ChangeTreeModel(QObject *parent = nullptr);
    ~ChangeTreeModel() override;

    void setChanges(const QList<ChangeEntry> &changes);
    int changeCount() const { return m_count; }
    // The change at `path`, if it changed.
    std::optional<ChangeEntry> changeAt(const QString &path) const;
    QModelIndex indexOf(const QString &path) const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Node
    {
        QString name;
        QString path;
        Node *parent = nullptr;
        std::optional<ChangeEntry> change;
        std::vector<std::unique_ptr<Node>> children; // sorted by name
    };

    Node *nodeOf(const QModelIndex &index) const;
    QModelIndex indexOf(const Node *node, int column = 0) const;
    int rowOf(const Node *node) const;
    // Drops what `wanted` no longer has; true when `node` itself may go.
    bool prune(Node *node, const QHash<QString, const ChangeEntry *> &wanted);
    // The node of `path`, made (with `change` on a new last node) if missing.
    Node *ensure(const QString &path, const ChangeEntry &change);

    Node m_root;
    int m_count = 0;
};
