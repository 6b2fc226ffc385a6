// SPDX-License-Identifier: GPL-3.0-or-later
#include "TemplateOwnership.h"

#include <QFile>
#include <QLoggingCategory>

#include <cerrno>
#include <cstring>
#include <set>
#include <utility>

#include <ftw.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

Q_DECLARE_LOGGING_CATEGORY(lcTemplate)

namespace {

QString errnoText(int err)
{
    return QString::fromLocal8Bit(strerror(err));
}

struct ShiftWalk
{
    uint base = 0;
    uint count = 0;
    const std::atomic_bool *cancel = nullptr;
    QString error;
    quint64 entries = 0;
    // Hard-linked files are reached once per link; shifting twice would push
    // them out of the range.
    std::set<std::pair<dev_t, ino_t>> seenLinks;
};

// nftw() takes no context pointer; the walk runs on one dedicated thread.
thread_local ShiftWalk *t_walk = nullptr;

int shiftEntry(const char *path, const struct stat *st, int type, struct FTW *)
{
    ShiftWalk &w = *t_walk;
    if (w.cancel->load()) {
        w.error = QStringLiteral("The ownership shift was interrupted.");
        return 1;
    }
    if (type == FTW_NS || type == FTW_DNR) {
        w.error = QStringLiteral("Cannot read %1 while shifting ownership.").arg(QFile::decodeName(path));
        return 1;
    }
    if (!S_ISDIR(st->st_mode) && st->st_nlink > 1 && !w.seenLinks.insert({st->st_dev, st->st_ino}).second)
        return 0;
    if (st->st_uid >= w.count || st->st_gid >= w.count) {
        w.error = QStringLiteral("%1 is owned by %2:%3, outside the 0–%4 id range the sandbox user namespace maps.")
                      .arg(QFile::decodeName(path))
                      .arg(st->st_uid)
                      .arg(st->st_gid)
                      .arg(w.count - 1);
        return 1;
    }

    // chown() drops file capabilities and setuid/setgid bits for security;
    // here the owner only moves to its mapped twin, so both are put back.
    // Capabilities stored without a root id (v2) belong to host root, which
    // the kernel honours in every descendant user namespace.
    char caps[64];
    ssize_t capsLen = -1;
    if (S_ISREG(st->st_mode))
        capsLen = lgetxattr(path, "security.capability", caps, sizeof caps);

    if (lchown(path, st->st_uid + w.base, st->st_gid + w.base) != 0) {
        w.error = QStringLiteral("Cannot change the owner of %1: %2.").arg(QFile::decodeName(path), errnoText(errno));
        return 1;
    }
    if (!S_ISLNK(st->st_mode) && (st->st_mode & (S_ISUID | S_ISGID))) {
        if (chmod(path, st->st_mode & 07777) != 0) {
            w.error = QStringLiteral("Cannot restore the mode of %1: %2.").arg(QFile::decodeName(path), errnoText(errno));
            return 1;
        }
    }
    if (capsLen > 0 && lsetxattr(path, "security.capability", caps, size_t(capsLen), 0) != 0) {
        w.error = QStringLiteral("Cannot restore the file capabilities of %1: %2.").arg(QFile::decodeName(path), errnoText(errno));
        return 1;
    }
    ++w.entries;
    return 0;
}

} // namespace

QString TemplateOwnership::shift(const QString &root, uint base, uint count, const std::atomic_bool *cancel)
{
    ShiftWalk walk;
    walk.base = base;
    walk.count = count;
    walk.cancel = cancel;
    t_walk = &walk;
    // FTW_PHYS: never follow symlinks (they point into the host's tree from
    // here); FTW_MOUNT: never step into something mounted inside the rootfs.
    const int rc = nftw(QFile::encodeName(root).constData(), shiftEntry, 64, FTW_PHYS | FTW_MOUNT);
    t_walk = nullptr;
    if (rc != 0 && walk.error.isEmpty())
        walk.error = QStringLiteral("Cannot walk %1: %2.").arg(root, errnoText(errno));
    if (walk.error.isEmpty())
        qCInfo(lcTemplate) << "shifted" << walk.entries << "entries under" << root << "by" << base;
    return walk.error;
}
