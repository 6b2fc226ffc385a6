// SPDX-License-Identifier: GPL-3.0-or-later
#include "ChangeTreeModel.h"

#include "Formatting.h"

#include <algorithm>

ChangeTreeModel::ChangeTreeModel(QObject *parent)
    : QAbstractItemModel(parent)
{
    m_root.path = QStringLiteral("/");
}

ChangeTreeModel::~ChangeTreeModel() = default;

void ChangeTreeModel::setChanges(const QList<ChangeEntry> &changes)
{
    QHash<QString, const ChangeEntry *> wanted;
    for (const ChangeEntry &c : changes)
        wanted.insert(c.path, &c);
    prune(&m_root, wanted);
    for (const ChangeEntry &c : changes) {
        Node *n = ensure(c.path, c);
        if (n->change != c) {
            n->change = c;
            Q_EMIT dataChanged(indexOf(n, NameColumn), indexOf(n, ColumnCount - 1));
        }
    }
    m_count = int(wanted.size());
}

bool ChangeTreeModel::prune(Node *node, const QHash<QString, const ChangeEntry *> &wanted)
{
    for (int row = int(node->children.size()) - 1; row >= 0; --row) {
        if (!prune(node->children[size_t(row)].get(), wanted))
            continue;
        beginRemoveRows(indexOf(node), row, row);
        node->children.erase(node->children.begin() + row);
        endRemoveRows();
    }
    if (node == &m_root)
        return false;
    if (node->change && !wanted.contains(node->path)) {
        node->change.reset();
        if (!node->children.empty())
            Q_EMIT dataChanged(indexOf(node, NameColumn), indexOf(node, ColumnCount - 1));
    }
    return node->children.empty() && !wanted.contains(node->path);
}

ChangeTreeModel::Node *ChangeTreeModel::ensure(const QString &path, const ChangeEntry &change)
{
    Node *at = &m_root;
    const QStringList names = path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    for (qsizetype i = 0; i < names.size(); ++i) {
        const QString &name = names[i];
        auto &kids = at->children;
        const auto it = std::lower_bound(kids.begin(), kids.end(), name,
                                         [](const std::unique_ptr<Node> &n, const QString &v) { return n->name < v; });
        if (it != kids.end() && (*it)->name == name) {
            at = it->get();
            continue;
        }
        const int row = int(it - kids.begin());
        beginInsertRows(indexOf(at), row, row);
        auto node = std::make_unique<Node>();
        node->name = name;
        node->path = (at == &m_root ? QString() : at->path) + QLatin1Char('/') + name;
        node->parent = at;
        // A new changed path arrives with its change: one insert, no update.
        if (i == names.size() - 1)
            node->change = change;
        Node *made = node.get();
        kids.insert(kids.begin() + row, std::move(node));
        endInsertRows();
        at = made;
    }
    return at;
}

std::optional<ChangeEntry> ChangeTreeModel::changeAt(const QString &path) const
{
    const Node *n = nodeOf(indexOf(path));
    return n ? n->change : std::nullopt;
}

QModelIndex ChangeTreeModel::indexOf(const QString &path) const
{
    const Node *at = &m_root;
    for (const QString &name : path.split(QLatin1Char('/'), Qt::SkipEmptyParts)) {
        const auto &kids = at->children;
        const auto it = std::lower_bound(kids.begin(), kids.end(), name,
                                         [](const std::unique_ptr<Node> &n, const QString &v) { return n->name < v; });
        if (it == kids.end() || (*it)->name != name)
            return {};
        at = it->get();
    }
    return indexOf(at);
}

ChangeTreeModel::Node *ChangeTreeModel::nodeOf(const QModelIndex &index) const
{
    return index.isValid() ? static_cast<Node *>(index.internalPointer()) : nullptr;
}

int ChangeTreeModel::rowOf(const Node *node) const
{
    const auto &kids = node->parent->children;
    const auto it = std::find_if(kids.begin(), kids.end(), [node](const std::unique_ptr<Node> &n) { return n.get() == node; });
    return int(it - kids.begin());
}

QModelIndex ChangeTreeModel::indexOf(const Node *node, int column) const
{
    if (!node || node == &m_root)
        return {};
    return createIndex(rowOf(node), column, const_cast<Node *>(node));
}

QModelIndex ChangeTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    const Node *p = parent.isValid() ? nodeOf(parent) : &m_root;
    if (row < 0 || column < 0 || column >= ColumnCount || size_t(row) >= p->children.size())
        return {};
    return createIndex(row, column, p->children[size_t(row)].get());
}

QModelIndex ChangeTreeModel::parent(const QModelIndex &child) const
{
    const Node *n = nodeOf(child);
    return n ? indexOf(n->parent) : QModelIndex();
}

int ChangeTreeModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return 0;
    const Node *p = parent.isValid() ? nodeOf(parent) : &m_root;
    return int(p->children.size());
}

int ChangeTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant ChangeTreeModel::data(const QModelIndex &index, int role) const
{
    const Node *n = nodeOf(index);
    if (!n)
        return {};
    const std::optional<ChangeEntry> &c = n->change;
    switch (role) {
    case PathRole: return n->path;
    case KindRole: return c ? int(c->kind) : -1;
    case TypeRole: return c ? c->type : QString();
    case ChangedRole: return bool(c);
    case Qt::ToolTipRole:
        if (!c)
            return n->path;
        return c->symlinkTarget ? tr("%1 (%2) → %3").arg(n->path, ChangeEntry::kindName(c->kind), *c->symlinkTarget)
                                : tr("%1 (%2)").arg(n->path, ChangeEntry::kindName(c->kind));
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn: return n->name;
        case ChangeColumn: return c ? QString(c->mark()) : QString();
        case SizeColumn: return c && c->type == QLatin1String("file") ? Formatting::bytes(c->size) : QString();
        }
        return {};
    case Qt::TextAlignmentRole:
        return index.column() == NameColumn ? QVariant() : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    }
    return {};
}

QVariant ChangeTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn: return tr("Path");
    case ChangeColumn: return tr("Change");
    case SizeColumn: return tr("Size");
    }
    return {};
}
