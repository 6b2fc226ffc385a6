// SPDX-License-Identifier: GPL-3.0-or-later
#include "ChangeArchive.h"

#include <archive.h>
#include <archive_entry.h>

#include <QDateTime>

#include <memory>

using LayerChanges::Change;
using LayerChanges::Kind;

ChangeArchive::ChangeArchive(Compression compression)
    : m_archive(archive_write_new())
{
    if (!m_archive)
        return;
    // pax: names and link targets of any length and any bytes, times finer
    // than a second; "restricted" keeps plain ustar headers where they suffice.
    archive_write_set_format_pax_restricted(m_archive);
    if (compression == Compression::Gzip)
        archive_write_add_filter_gzip(m_archive);
    else
        archive_write_add_filter_none(m_archive);
    m_open = archive_write_open(m_archive, this, nullptr, &ChangeArchive::write, nullptr) == ARCHIVE_OK;
}

ChangeArchive::~ChangeArchive()
{
    if (m_archive)
        archive_write_free(m_archive); // closes it first, if still open
}

ssize_t ChangeArchive::write(struct archive *, void *self, const void *buffer, size_t length)
{
    static_cast<ChangeArchive *>(self)->m_out.append(static_cast<const char *>(buffer), qsizetype(length));
    return ssize_t(length);
}

Status ChangeArchive::check(int status, const QByteArray &path)
{
    // A warning (a name libarchive could not translate, kept as bytes) still
    // wrote the member.
    if (status >= ARCHIVE_WARN)
        return Done{};
    const char *why = m_archive ? archive_error_string(m_archive) : nullptr;
    return ApiError::internal(QStringLiteral("Cannot write %1 into the archive: %2.")
                                  .arg(QString::fromUtf8(path), why ? QString::fromLocal8Bit(why)
                                                                    : QStringLiteral("libarchive failed")));
}

Status ChangeArchive::addMember(const QByteArray &name, unsigned type, const Change &c, const QByteArray &content)
{
    std::unique_ptr<archive_entry, decltype(&archive_entry_free)> e(archive_entry_new(), &archive_entry_free);
    archive_entry_copy_pathname(e.get(), name.constData());
    archive_entry_set_filetype(e.get(), type);
    archive_entry_set_perm(e.get(), c.mode & 07777);
    archive_entry_set_uid(e.get(), c.uid);
    archive_entry_set_gid(e.get(), c.gid);
    archive_entry_set_mtime(e.get(), c.mtimeMs / 1000, long(c.mtimeMs % 1000) * 1000000);
    if (type == AE_IFLNK)
        archive_entry_copy_symlink(e.get(), c.symlinkTarget.constData());
    archive_entry_set_size(e.get(), type == AE_IFREG ? content.size() : 0);
    if (auto s = check(archive_write_header(m_archive, e.get()), c.path); !s)
        return s;
    if (type != AE_IFREG || content.isEmpty())
        return Done{};
    if (archive_write_data(m_archive, content.constData(), size_t(content.size())) != content.size())
        return check(ARCHIVE_FATAL, c.path);
    return Done{};
}

Status ChangeArchive::add(const Change &c, const QByteArray &content)
{
    if (!m_open || m_finished)
        return check(ARCHIVE_FATAL, c.path);
    const QByteArray name = c.path.mid(1); // relative to "/"
    unsigned type = 0;
    if (c.kind != Kind::Deleted) {
        if (c.type == QLatin1String("file"))
            type = AE_IFREG;
        else if (c.type == QLatin1String("dir"))
            type = AE_IFDIR;
        else if (c.type == QLatin1String("symlink"))
            type = AE_IFLNK;
    }
    if (type != 0 && !name.isEmpty()) {
        if (auto s = addMember(name, type, c, content); !s)
            return s;
    }
    m_manifest += manifestLine(c);
    return Done{};
}

Status ChangeArchive::finish()
{
    const QByteArray name = kManifestName;
    if (!m_open || m_finished)
        return check(ARCHIVE_FATAL, name);
    m_finished = true;
    Change manifest;
    manifest.path = '/' + name;
    manifest.mode = 0644;
    manifest.mtimeMs = QDateTime::currentMSecsSinceEpoch();
    if (auto s = addMember(name, AE_IFREG, manifest, m_manifest); !s)
        return s;
    return check(archive_write_close(m_archive), name);
}

QByteArray ChangeArchive::take()
{
    return std::exchange(m_out, QByteArray());
}

QByteArray ChangeArchive::manifestLine(const Change &c)
{
    const char mark = c.kind == Kind::Added ? 'A' : c.kind == Kind::Modified ? 'M' : 'D';
    QByteArray line;
    line.reserve(c.path.size() + 3);
    line += mark;
    line += ' ';
    for (const char ch : c.path) {
        if (ch == '\\')
            line += "\\\\";
        else if (ch == '\n')
            line += "\\n";
        else
            line += ch;
    }
    line += '\n';
    return line;
}
