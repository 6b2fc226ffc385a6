// SPDX-License-Identifier: GPL-3.0-or-later
#include "FileEntry.h"

#include "Timestamps.h"

#include <QJsonArray>
#include <QJsonDocument>

std::optional<FileEntry::Type> FileEntry::typeFromName(const QString &name)
{
    for (const Type t : {Type::File, Type::Dir, Type::Symlink, Type::Other}) {
        if (typeName(t) == name)
            return t;
    }
    return std::nullopt;
}

namespace {

ApiError unreadable(const QString &why)
{
    return ApiError::internal(QStringLiteral("The engine's file listing is not readable: %1.").arg(why));
}

} // namespace

QString FileEntry::typeName(Type type)
{
    switch (type) {
    case Type::File: return QStringLiteral("file");
    case Type::Dir: return QStringLiteral("dir");
    case Type::Symlink: return QStringLiteral("symlink");
    case Type::Other: return QStringLiteral("other");
    }
    return {};
}

QJsonObject FileEntry::toJson() const
{
    return QJsonObject{
        {QStringLiteral("name"), name},
        {QStringLiteral("path"), path},
        {QStringLiteral("type"), typeName(type)},
        {QStringLiteral("size"), size},
        {QStringLiteral("mode"), mode},
        {QStringLiteral("mtime"), Timestamps::toJson(mtime)},
        {QStringLiteral("owner"), owner},
        {QStringLiteral("symlink_target"), symlinkTarget.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(symlinkTarget)},
    };
}

QString FileEntry::permissionString(Type type, int mode)
{
    QString out;
    out.reserve(10);
    switch (type) {
    case Type::Dir: out += QLatin1Char('d'); break;
    case Type::Symlink: out += QLatin1Char('l'); break;
    case Type::Other: out += QLatin1Char('?'); break;
    case Type::File: out += QLatin1Char('-'); break;
    }
    static const char letters[] = "rwx";
    for (int bit = 8; bit >= 0; --bit)
        out += (mode & (1 << bit)) ? QLatin1Char(letters[(8 - bit) % 3]) : QLatin1Char('-');
    // setuid, setgid and sticky show in the execute places, as ls shows them.
    auto special = [&out](int place, bool set, QChar withExec, QChar withoutExec) {
        if (set)
            out[place] = out[place] == QLatin1Char('x') ? withExec : withoutExec;
    };
    special(3, mode & 04000, QLatin1Char('s'), QLatin1Char('S'));
    special(6, mode & 02000, QLatin1Char('s'), QLatin1Char('S'));
    special(9, mode & 01000, QLatin1Char('t'), QLatin1Char('T'));
    return out;
}

Result<FileEntry> FileEntry::fromJson(const QJsonObject &o)
{
    FileEntry e;
    e.path = o.value(QStringLiteral("path")).toString();
    if (!e.path.startsWith(QLatin1Char('/')))
        return unreadable(QStringLiteral("an entry has no absolute path"));
    e.name = o.value(QStringLiteral("name")).toString();
    if (e.name.isEmpty())
        e.name = e.path.mid(e.path.lastIndexOf(QLatin1Char('/')) + 1);
    if (e.name.isEmpty() || e.name.contains(QLatin1Char('/')))
        return unreadable(QStringLiteral("the entry %1 has no usable name").arg(e.path));
    const auto type = typeFromName(o.value(QStringLiteral("type")).toString());
    if (!type)
        return unreadable(QStringLiteral("the entry %1 has an unknown type").arg(e.path));
    e.type = *type;
    const QJsonValue size = o.value(QStringLiteral("size"));
    if (!size.isDouble() || size.toDouble() < 0)
        return unreadable(QStringLiteral("the entry %1 has no size").arg(e.path));
    e.size = qint64(size.toDouble());
    e.mode = o.value(QStringLiteral("mode")).toInt() & 07777;
    e.mtime = Timestamps::fromJson(o.value(QStringLiteral("mtime")));
    e.owner = o.value(QStringLiteral("owner")).toString();
    e.symlinkTarget = o.value(QStringLiteral("symlink_target")).toString();
    return e;
}

Result<QList<FileEntry>> FileEntry::listFromJson(const QByteArray &body)
{
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &err);
    if (err.error != QJsonParseError::NoError || !doc.isObject())
        return unreadable(QStringLiteral("it is not JSON"));
    const QJsonValue entries = doc.object().value(QStringLiteral("entries"));
    if (!entries.isArray())
        return unreadable(QStringLiteral("it has no list of entries"));
    const QJsonArray a = entries.toArray();
    QList<FileEntry> out;
    out.reserve(a.size());
    for (const QJsonValue &v : a) {
        if (!v.isObject())
            return unreadable(QStringLiteral("an entry is not an object"));
        auto e = fromJson(v.toObject());
        if (!e)
            return e.error();
        out.append(std::move(e).value());
    }
    return out;
}

Result<FileEntry> FileEntry::statFromJson(const QByteArray &body)
{
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &err);
    if (err.error != QJsonParseError::NoError || !doc.isObject())
        return unreadable(QStringLiteral("it is not JSON"));
    return fromJson(doc.object());
}
