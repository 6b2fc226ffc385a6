// SPDX-License-Identifier: GPL-3.0-or-later
#include "LayerChanges.h"

#include "runtime/ScopedFd.h"

#include <QFile>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>
#include <string>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

namespace LayerChanges {
namespace {

int openDir(int parent, const char *name)
{
    return ::openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

QString typeOf(mode_t m)
{
    if (S_ISREG(m))
        return QStringLiteral("file");
    if (S_ISDIR(m))
        return QStringLiteral("dir");
    if (S_ISLNK(m))
        return QStringLiteral("symlink");
    return QStringLiteral("other");
}

bool isWhiteout(const struct stat &st)
{
    return S_ISCHR(st.st_mode) && major(st.st_rdev) == 0 && minor(st.st_rdev) == 0;
}

bool isOpaque(int dirFd)
{
    char value[2] = {};
    const ssize_t n = ::fgetxattr(dirFd, "trusted.overlay.opaque", value, sizeof value);
    return n == 1 && value[0] == 'y';
}

// The entry names of a directory, sorted; `.` and `..` left out.
std::vector<std::string> namesIn(int dirFd)
{
    std::vector<std::string> names;
    const int copy = ::fcntl(dirFd, F_DUPFD_CLOEXEC, 0);
    if (copy < 0)
        return names;
    DIR *d = ::fdopendir(copy);
    if (!d) {
        ::close(copy);
        return names;
    }
    while (const dirent *e = ::readdir(d)) {
        if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0)
            names.emplace_back(e->d_name);
    }
    ::closedir(d);
    std::sort(names.begin(), names.end());
    return names;
}

// A layer's root belongs to the root of the id range its files are owned by.
struct IdBase
{
    uid_t uid = 0;
    gid_t gid = 0;
};

IdBase idBaseOf(int rootFd)
{
    struct stat st;
    if (::fstat(rootFd, &st) != 0)
        return {};
    return {st.st_uid, st.st_gid};
}

// An id outside the range shows as the kernel shows an unmapped one.
uint shifted(uint id, uint base)
{
    constexpr uint kOverflowId = 65534;
    return id >= base ? id - base : kOverflowId;
}

class Walker
{
public:
    Walker(QByteArray prefix, int limit, IdBase upper, IdBase lower)
        : m_prefix(std::move(prefix))
        , m_prefixDir(m_prefix == "/" ? QByteArray("/") : m_prefix + '/')
        , m_limit(limit)
        , m_upperIds(upper)
        , m_lowerIds(lower)
    {
    }

    // `path` is the directory's own path ("" for the root).
    void walk(int upperFd, int lowerFd, const QByteArray &path, bool opaque)
    {
        const std::vector<std::string> names = namesIn(upperFd);
        std::set<std::string> inUpper;
        for (const std::string &name : names) {
            if (full())
                return;
            inUpper.insert(name);
            const QByteArray child = path + '/' + QByteArray::fromStdString(name);
            if (!relevant(child))
                continue;
            struct stat st;
            if (::fstatat(upperFd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
                continue; // gone since the listing
            struct stat below;
            const bool inLower = lowerFd >= 0 && ::fstatat(lowerFd, name.c_str(), &below, AT_SYMLINK_NOFOLLOW) == 0;
            if (isWhiteout(st)) {
                if (inLower)
                    add(child, Kind::Deleted, below, lowerFd, name);
                continue;
            }
            if (!S_ISDIR(st.st_mode)) {
                add(child, inLower ? Kind::Modified : Kind::Added, st, upperFd, name);
                continue;
            }
            ScopedFd sub(openDir(upperFd, name.c_str()));
            if (sub.get() < 0)
                continue;
            const bool lowerIsDir = inLower && S_ISDIR(below.st_mode);
            const bool replaced = lowerIsDir && isOpaque(sub.get());
            if (!inLower)
                add(child, Kind::Added, st, upperFd, name);
            else if (!lowerIsDir || replaced)
                add(child, Kind::Modified, st, upperFd, name);
            ScopedFd subLower(lowerIsDir ? openDir(lowerFd, name.c_str()) : -1);
            if (relevant(child))
                walk(sub.get(), subLower.get(), child, replaced);
        }
        if (!opaque || lowerFd < 0)
            return;
        // The template's entries that the replaced directory no longer has.
        for (const std::string &name : namesIn(lowerFd)) {
            if (full())
                return;
            const QByteArray child = path + '/' + QByteArray::fromStdString(name);
            struct stat below;
            if (inUpper.count(name) || !relevant(child) ||
                ::fstatat(lowerFd, name.c_str(), &below, AT_SYMLINK_NOFOLLOW) != 0)
                continue;
            add(child, Kind::Deleted, below, lowerFd, name);
        }
    }

    Listing take()
    {
        std::sort(m_out.changes.begin(), m_out.changes.end(),
                  [](const Change &a, const Change &b) { return a.path < b.path; });
        return std::move(m_out);
    }

private:
    bool full()
    {
        if (m_out.changes.size() < m_limit)
            return false;
        m_out.truncated = true;
        return true;
    }
    // At or under the prefix: listed.
    bool atOrUnder(const QByteArray &path) const { return path == m_prefix || path.startsWith(m_prefixDir); }
    // Listed, or on the way to the prefix: walked.
    bool relevant(const QByteArray &path) const
    {
        return atOrUnder(path) || (m_prefix.startsWith(path) && m_prefix.at(path.size()) == '/');
    }

    void add(const QByteArray &path, Kind kind, const struct stat &st, int dirFd, const std::string &name)
    {
        if (!atOrUnder(path))
            return; // an ancestor of the prefix: walked through, not listed
        Change c;
        c.path = path;
        c.kind = kind;
        c.type = typeOf(st.st_mode);
        c.size = S_ISDIR(st.st_mode) ? 0 : qint64(st.st_size);
        c.mode = st.st_mode & 07777;
        c.mtimeMs = qint64(st.st_mtim.tv_sec) * 1000 + st.st_mtim.tv_nsec / 1000000;
        const IdBase &base = kind == Kind::Deleted ? m_lowerIds : m_upperIds;
        c.uid = shifted(st.st_uid, base.uid);
        c.gid = shifted(st.st_gid, base.gid);
        if (S_ISLNK(st.st_mode)) {
            char target[4096];
            const ssize_t n = ::readlinkat(dirFd, name.c_str(), target, sizeof target);
            if (n > 0)
                c.symlinkTarget = QByteArray(target, n);
        }
        m_out.changes.append(c);
    }

    QByteArray m_prefix;
    QByteArray m_prefixDir; // the prefix with its '/', made once for the whole walk
    qsizetype m_limit;
    IdBase m_upperIds;
    IdBase m_lowerIds;
    Listing m_out;
};

} // namespace

Result<Listing> list(const QString &upper, const QString &lower, const QByteArray &prefix, int limit)
{
    ScopedFd up(::open(QFile::encodeName(upper).constData(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (up.get() < 0)
        return ApiError::internal(
            QStringLiteral("Cannot read the sandbox's own layer at %1: %2.").arg(upper, QString::fromLocal8Bit(strerror(errno))));
    ScopedFd low(::open(QFile::encodeName(lower).constData(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (low.get() < 0)
        return ApiError::internal(
            QStringLiteral("Cannot read the template at %1: %2.").arg(lower, QString::fromLocal8Bit(strerror(errno))));
    Walker w(prefix, limit, idBaseOf(up.get()), idBaseOf(low.get()));
    w.walk(up.get(), low.get(), QByteArray(), false);
    return w.take();
}

Result<Side> templateSide(const QString &lower, const QByteArray &path, qint64 max)
{
    const QList<QByteArray> parts = path.split('/');
    ScopedFd dir(::open(QFile::encodeName(lower).constData(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    auto failed = [&](int e) {
        return ApiError::internal(QStringLiteral("Cannot read %1 of the template: %2.")
                                      .arg(QString::fromUtf8(path), QString::fromLocal8Bit(strerror(e))));
    };
    if (dir.get() < 0)
        return failed(errno);
    QByteArray name;
    for (qsizetype i = 0; i < parts.size(); ++i) {
        if (parts[i].isEmpty() || parts[i] == ".")
            continue;
        if (parts[i] == "..")
            return ApiError::badRequest(QStringLiteral("A path with '..' names no change."));
        if (!name.isEmpty()) {
            ScopedFd next(openDir(dir.get(), name.constData()));
            if (next.get() < 0)
                return failed(errno);
            dir.reset(next.release());
        }
        name = parts[i];
    }
    struct stat st;
    if (name.isEmpty() || ::fstatat(dir.get(), name.constData(), &st, AT_SYMLINK_NOFOLLOW) != 0)
        return failed(name.isEmpty() ? EISDIR : errno);
    Side side;
    side.mode = st.st_mode;
    if (S_ISLNK(st.st_mode)) {
        char target[4096];
        const ssize_t n = ::readlinkat(dir.get(), name.constData(), target, sizeof target);
        if (n < 0)
            return failed(errno);
        side.bytes = QByteArray(target, n);
        side.size = n;
        return side;
    }
    if (!S_ISREG(st.st_mode))
        return side; // a directory or a device: no content to compare
    side.size = st.st_size;
    if (st.st_size > max) {
        side.tooLarge = true;
        return side;
    }
    ScopedFd file(::openat(dir.get(), name.constData(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK));
    if (file.get() < 0)
        return failed(errno);
    side.bytes.resize(st.st_size);
    qint64 got = 0;
    while (got < st.st_size) {
        const ssize_t n = ::read(file.get(), side.bytes.data() + got, size_t(st.st_size - got));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += n;
    }
    side.bytes.truncate(got);
    return side;
}

ChangeEntry toEntry(const Change &c)
{
    ChangeEntry e;
    e.path = QString::fromUtf8(c.path);
    e.kind = c.kind;
    e.type = c.type;
    e.size = c.size;
    e.mode = c.mode;
    e.mtimeMs = c.mtimeMs;
    if (!c.symlinkTarget.isNull())
        e.symlinkTarget = QString::fromUtf8(c.symlinkTarget);
    return e;
}

} // namespace LayerChanges
