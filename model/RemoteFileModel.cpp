// SPDX-License-Identifier: GPL-3.0-or-later
#include "RemoteFileModel.h"

#include "ApiPaths.h"
#include "EngineClient.h"
#include "FileNames.h"
#include "FilesLogging.h"
#include "Formatting.h"

#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace {
constexpr int kListMs = 30000;
constexpr int kShortMs = 15000;
// More creates than this in one directory within one batch: list the
// directory again instead of asking for each entry.
constexpr int kRelistThreshold = 64;
} // namespace

struct RemoteFileModel::Node
{
    FileEntry entry;
    Node *parent = nullptr;
    std::vector<std::unique_ptr<Node>> children;
    int row = 0;
    bool loaded = false;
    bool fetching = false;

    Node *child(const QString &name) const
    {
        for (const auto &c : children) {
            if (c->entry.name == name)
                return c.get();
        }
        return nullptr;
    }
    void renumber(size_t from = 0)
    {
        for (size_t i = from; i < children.size(); ++i)
            children[i]->row = int(i);
    }
    // Where an entry belongs among the children (sorted).
    int slotFor(const FileEntry &e) const
    {
        const auto it = std::lower_bound(children.begin(), children.end(), e,
                                         [](const std::unique_ptr<Node> &n, const FileEntry &v) {
                                             return RemoteFileModel::lessThan(n->entry, v);
                                         });
        return int(it - children.begin());
    }
};

RemoteFileModel::RemoteFileModel(EngineClient *client, QObject *parent)
    : QAbstractItemModel(parent)
    , m_client(client)
    , m_root(std::make_unique<Node>())
{
    m_root->entry.type = FileEntry::Type::Dir;
}

RemoteFileModel::~RemoteFileModel() = default;

bool RemoteFileModel::lessThan(const FileEntry &a, const FileEntry &b)
{
    if (a.isDir() != b.isDir())
        return a.isDir();
    const int c = a.name.compare(b.name, Qt::CaseInsensitive);
    return c != 0 ? c < 0 : a.name < b.name;
}

QString RemoteFileModel::root() const
{
    return m_root->entry.path;
}

void RemoteFileModel::setLocation(const QString &sandbox, const QString &root)
{
    const QString path = FileNames::normalized(root);
    if (sandbox == m_sandbox && path == m_root->entry.path)
        return;
    m_sandbox = sandbox;
    m_root->entry.path = path;
    reload();
}

void RemoteFileModel::setShowHidden(bool on)
{
    if (on == m_showHidden)
        return;
    m_showHidden = on;
    reload();
}

void RemoteFileModel::reload()
{
    ++m_generation;
    m_inFlight = 0;
    m_statting.clear();
    beginResetModel();
    const QString path = m_root->entry.path;
    m_root = std::make_unique<Node>();
    m_root->entry.type = FileEntry::Type::Dir;
    m_root->entry.path = path;
    m_root->entry.name = FileNames::baseName(path);
    endResetModel();
    if (!m_sandbox.isEmpty() && !path.isEmpty())
        list(m_root.get());
}

RemoteFileModel::Node *RemoteFileModel::nodeOf(const QModelIndex &index) const
{
    return index.isValid() ? static_cast<Node *>(index.internalPointer()) : m_root.get();
}

RemoteFileModel::Node *RemoteFileModel::findNode(const QString &path) const
{
    const QString &rootPath = m_root->entry.path;
    if (path == rootPath)
        return m_root.get();
    const QString prefix = rootPath.endsWith(QLatin1Char('/')) ? rootPath : rootPath + QLatin1Char('/');
    if (rootPath.isEmpty() || !path.startsWith(prefix))
        return nullptr;
    Node *node = m_root.get();
    const QStringList parts = path.mid(prefix.size()).split(QLatin1Char('/'), Qt::SkipEmptyParts);
    for (const QString &part : parts) {
        node = node->child(part);
        if (!node)
            return nullptr;
    }
    return node;
}

QModelIndex RemoteFileModel::indexOfNode(const Node *node, int column) const
{
    if (!node || node == m_root.get())
        return {};
    return createIndex(node->row, column, const_cast<Node *>(node));
}

QModelIndex RemoteFileModel::indexOf(const QString &path) const
{
    return indexOfNode(findNode(FileNames::normalized(path)));
}

const FileEntry *RemoteFileModel::entryAt(const QModelIndex &index) const
{
    return index.isValid() ? &nodeOf(index)->entry : nullptr;
}

bool RemoteFileModel::isLoaded(const QModelIndex &dir) const
{
    return nodeOf(dir)->loaded;
}

void RemoteFileModel::list(Node *dir)
{
    if (dir->fetching)
        return;
    dir->fetching = true;
    ++m_inFlight;
    const QString path = dir->entry.path;
    const quint64 generation = m_generation;
    m_client->call("GET", ApiPaths::filesPath(m_sandbox, path), {}, kListMs, this,
                   [this, path, generation](Result<QByteArray> r) { onListed(path, generation, std::move(r)); });
}

void RemoteFileModel::onListed(const QString &dirPath, quint64 generation, Result<QByteArray> reply)
{
    if (generation != m_generation)
        return;
    --m_inFlight;
    Node *dir = findNode(dirPath);
    if (!dir)
        return;
    dir->fetching = false;
    if (!reply) {
        Q_EMIT problem(tr("%1 cannot be listed: %2").arg(dirPath, reply.error().message));
        return;
    }
    auto parsed = FileEntry::listFromJson(*reply);
    if (!parsed) {
        Q_EMIT problem(parsed.error().message);
        return;
    }
    QList<FileEntry> entries;
    entries.reserve(parsed->size());
    for (FileEntry &e : parsed.value()) {
        if (shows(e.name) && e.path != dirPath)
            entries.append(std::move(e));
    }
    std::sort(entries.begin(), entries.end(), &RemoteFileModel::lessThan);
    const QModelIndex parentIndex = indexOfNode(dir);
    if (dir->children.empty()) {
        dir->loaded = true;
        if (!entries.isEmpty()) {
            beginInsertRows(parentIndex, 0, int(entries.size()) - 1);
            dir->children.reserve(entries.size());
            for (FileEntry &e : entries) {
                auto node = std::make_unique<Node>();
                node->entry = std::move(e);
                node->parent = dir;
                node->row = int(dir->children.size());
                dir->children.push_back(std::move(node));
            }
            endInsertRows();
        } else if (dir != m_root.get()) {
            // hasChildren() said yes before the listing: let views know.
            Q_EMIT dataChanged(indexOfNode(dir), indexOfNode(dir, ColumnCount - 1));
        }
    } else {
        // A listing of a directory that already has rows (a burst of changes
        // in it): merged row by row.
        dir->loaded = true;
        QHash<QString, const FileEntry *> fresh;
        for (const FileEntry &e : std::as_const(entries))
            fresh.insert(e.name, &e);
        for (int row = int(dir->children.size()) - 1; row >= 0; --row) {
            Node *child = dir->children[size_t(row)].get();
            if (!fresh.contains(child->entry.name))
                removeNode(child);
        }
        for (const FileEntry &e : std::as_const(entries)) {
            if (Node *child = dir->child(e.name))
                updateEntry(child, e);
            else
                insertEntry(dir, e);
        }
    }
    qCDebug(lcModelFiles) << "listed" << dirPath << entries.size();
    Q_EMIT directoryLoaded(dirPath);
}

void RemoteFileModel::stat(const QString &path)
{
    // One stat per path at a time; a change while it is out asks again.
    if (m_statting.contains(path)) {
        m_statting[path] = true;
        return;
    }
    m_statting.insert(path, false);
    ++m_inFlight;
    const quint64 generation = m_generation;
    m_client->call("GET", ApiPaths::fileStatPath(m_sandbox, path), {}, kShortMs, this,
                   [this, path, generation](Result<QByteArray> r) { onStat(path, generation, std::move(r)); });
}

void RemoteFileModel::onStat(const QString &path, quint64 generation, Result<QByteArray> reply)
{
    if (generation != m_generation)
        return;
    --m_inFlight;
    const bool again = m_statting.take(path);
    if (again) {
        stat(path);
        return;
    }
    Node *dir = findNode(FileNames::parentOf(path));
    if (!dir || !dir->loaded)
        return;
    Node *existing = dir->child(FileNames::baseName(path));
    if (!reply) {
        if (reply.error().code == QLatin1String("not_found")) {
            if (existing)
                removeNode(existing);
        } else {
            qCDebug(lcModelFiles) << "stat" << path << reply.error().message;
        }
        return;
    }
    auto entry = FileEntry::statFromJson(*reply);
    if (!entry) {
        qCWarning(lcModelFiles) << entry.error().message;
        return;
    }
    if (existing)
        updateEntry(existing, std::move(entry).value());
    else if (shows(entry->name))
        insertEntry(dir, std::move(entry).value());
}

void RemoteFileModel::insertEntry(Node *dir, FileEntry entry)
{
    const int row = dir->slotFor(entry);
    beginInsertRows(indexOfNode(dir), row, row);
    auto node = std::make_unique<Node>();
    node->entry = std::move(entry);
    node->parent = dir;
    dir->children.insert(dir->children.begin() + row, std::move(node));
    dir->renumber(size_t(row));
    endInsertRows();
}

void RemoteFileModel::removeNode(Node *node)
{
    Node *dir = node->parent;
    if (!dir)
        return;
    const int row = node->row;
    beginRemoveRows(indexOfNode(dir), row, row);
    dir->children.erase(dir->children.begin() + row);
    dir->renumber(size_t(row));
    endRemoveRows();
}

void RemoteFileModel::updateEntry(Node *node, FileEntry entry)
{
    // A directory that became a file (or back) is a different thing.
    if (entry.isDir() != node->entry.isDir()) {
        Node *dir = node->parent;
        removeNode(node);
        insertEntry(dir, std::move(entry));
        return;
    }
    if (entry.size == node->entry.size && entry.mtime == node->entry.mtime && entry.mode == node->entry.mode
        && entry.owner == node->entry.owner && entry.type == node->entry.type)
        return;
    node->entry.size = entry.size;
    node->entry.mtime = entry.mtime;
    node->entry.mode = entry.mode;
    node->entry.owner = entry.owner;
    node->entry.type = entry.type;
    node->entry.symlinkTarget = entry.symlinkTarget;
    Q_EMIT dataChanged(indexOfNode(node, 0), indexOfNode(node, ColumnCount - 1));
}

void RemoteFileModel::applyEvents(const QList<FileWatch::Event> &events)
{
    QHash<Node *, int> creates;
    for (const FileWatch::Event &e : events) {
        if (e.type == FileWatch::Event::Type::Create) {
            Node *dir = findNode(FileNames::parentOf(e.path));
            if (dir && dir->loaded)
                ++creates[dir];
        }
    }
    QSet<Node *> relisted;
    for (auto it = creates.cbegin(); it != creates.cend(); ++it) {
        if (it.value() > kRelistThreshold) {
            relisted.insert(it.key());
            list(it.key());
        }
    }
    for (const FileWatch::Event &e : events) {
        if (e.type == FileWatch::Event::Type::Remove) {
            Node *node = findNode(e.path);
            if (node && node != m_root.get())
                removeNode(node);
            continue;
        }
        // A directory's own modify is every change inside it: nothing to show.
        if (e.type == FileWatch::Event::Type::Modify && e.isDir)
            continue;
        Node *dir = findNode(FileNames::parentOf(e.path));
        if (!dir || !dir->loaded || relisted.contains(dir) || !shows(FileNames::baseName(e.path)))
            continue;
        stat(e.path);
    }
}

void RemoteFileModel::refreshPath(const QString &path)
{
    applyEvents({FileWatch::Event{FileWatch::Event::Type::Create, FileNames::normalized(path), false}});
}

QModelIndex RemoteFileModel::index(int row, int column, const QModelIndex &parent) const
{
    if (column < 0 || column >= ColumnCount || row < 0)
        return {};
    const Node *dir = nodeOf(parent);
    if (size_t(row) >= dir->children.size())
        return {};
    return createIndex(row, column, dir->children[size_t(row)].get());
}

QModelIndex RemoteFileModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    return indexOfNode(nodeOf(child)->parent);
}

int RemoteFileModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return 0;
    return int(nodeOf(parent)->children.size());
}

int RemoteFileModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

bool RemoteFileModel::hasChildren(const QModelIndex &parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return false;
    const Node *node = nodeOf(parent);
    if (!node->entry.isDir())
        return false;
    return node->loaded ? !node->children.empty() : node != m_root.get() || !m_sandbox.isEmpty();
}

bool RemoteFileModel::canFetchMore(const QModelIndex &parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return false;
    const Node *node = nodeOf(parent);
    return !m_sandbox.isEmpty() && !node->entry.path.isEmpty() && node->entry.isDir() && !node->loaded && !node->fetching;
}

void RemoteFileModel::fetchMore(const QModelIndex &parent)
{
    if (canFetchMore(parent))
        list(nodeOf(parent));
}

QVariant RemoteFileModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    const FileEntry &e = nodeOf(index)->entry;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn: return e.name;
        case SizeColumn: return e.isDir() ? QString() : Formatting::bytes(e.size);
        case ModifiedColumn: return e.mtime.isValid() ? e.mtime.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")) : QString();
        case PermissionsColumn: return QStringLiteral("%1  %2").arg(e.permissions(), e.owner);
        }
        return {};
    case Qt::EditRole:
        return index.column() == NameColumn ? QVariant(e.name) : QVariant();
    case Qt::ToolTipRole:
        return e.symlinkTarget.isEmpty() ? e.path : tr("%1 → %2").arg(e.path, e.symlinkTarget);
    case Qt::TextAlignmentRole:
        if (index.column() == SizeColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case PathRole: return e.path;
    case IsDirRole: return e.isDir();
    case SizeRole: return e.size;
    case EntryTypeRole: return int(e.type);
    }
    return {};
}

bool RemoteFileModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!index.isValid() || role != Qt::EditRole || index.column() != NameColumn)
        return false;
    Node *node = nodeOf(index);
    const QString name = value.toString();
    if (name == node->entry.name)
        return false;
    if (!FileNames::isValidName(name)) {
        Q_EMIT problem(tr("“%1” cannot be a file name.").arg(name));
        return false;
    }
    renameTo(node, name);
    return true;
}

void RemoteFileModel::renameTo(Node *node, const QString &newName)
{
    const QString from = node->entry.path;
    const QString to = FileNames::join(FileNames::parentOf(from), newName);
    const QByteArray body = QJsonDocument(QJsonObject{{QStringLiteral("from"), from}, {QStringLiteral("to"), to}})
                                .toJson(QJsonDocument::Compact);
    const quint64 generation = m_generation;
    m_client->call("POST", ApiPaths::renamePath(m_sandbox), body, kShortMs, this,
                   [this, from, to, newName, generation](Result<QByteArray> r) {
                       if (generation != m_generation)
                           return;
                       if (!r) {
                           Q_EMIT problem(tr("%1 was not renamed: %2").arg(FileNames::baseName(from), r.error().message));
                           return;
                       }
                       Node *node = findNode(from);
                       Node *dir = node ? node->parent : nullptr;
                       if (node && dir) {
                           // The watch may have brought the new name already.
                           if (Node *twin = dir->child(newName))
                               removeNode(twin);
                           node = findNode(from);
                           FileEntry entry = node->entry;
                           entry.name = newName;
                           entry.path = to;
                           // A renamed directory is listed again when opened.
                           removeNode(node);
                           insertEntry(dir, std::move(entry));
                       }
                       Q_EMIT renamed(from, to);
                   });
}

QVariant RemoteFileModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn: return tr("Name");
    case SizeColumn: return tr("Size");
    case ModifiedColumn: return tr("Modified");
    case PermissionsColumn: return tr("Permissions");
    }
    return {};
}

Qt::ItemFlags RemoteFileModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::ItemIsDropEnabled;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsDragEnabled;
    if (index.column() == NameColumn)
        f |= Qt::ItemIsEditable;
    if (nodeOf(index)->entry.isDir())
        f |= Qt::ItemIsDropEnabled;
    return f;
}
