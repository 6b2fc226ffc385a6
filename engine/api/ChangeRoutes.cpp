// SPDX-License-Identifier: GPL-3.0-or-later
#include "ChangeRoutes.h"

#include "AgentCalls.h"
#include "ApiServer.h"
#include "Limits.h"
#include "RequestBodies.h"
#include "changes/ChangeArchive.h"
#include "changes/LayerChanges.h"
#include "changes/UnifiedDiff.h"
#include "runtime/AgentClient.h"
#include "runtime/OffLoop.h"
#include "runtime/SandboxManager.h"

#include <QCryptographicHash>
#include <QDir>
#include <QJsonArray>
#include <QTcpSocket>

#include <memory>
#include <optional>

#include <sys/stat.h>

namespace {

constexpr int kReadTimeoutMs = 60000;
constexpr int kDefaultLimit = 10000;
constexpr int kMaxLimit = 100000;
// Sides larger than this are compared by size and hash only.
constexpr qint64 kMaxDiffSide = 4 * 1024 * 1024;

using LayerChanges::Change;
using LayerChanges::Kind;

// `path` as an absolute, clean path: "/" when absent and not required; a
// relative one is relative to /home/sandbox, as in the files API.
Result<QByteArray> pathParam(const ApiCall &c, bool required)
{
    if (!c.hasParam(QStringLiteral("path"))) {
        if (required)
            return ApiError::badRequest(QStringLiteral("The 'path' query parameter is required."));
        return QByteArray("/");
    }
    QString p = c.param(QStringLiteral("path"));
    if (auto s = AgentCalls::checkPath(p, QStringLiteral("path")); !s)
        return s.error();
    if (!p.startsWith(QLatin1Char('/')))
        p = QStringLiteral("/home/sandbox/") + p;
    return QDir::cleanPath(p).toUtf8();
}

// One side of a changed path: absent (added or deleted), or what it holds.
struct Side
{
    bool exists = false;
    QByteArray bytes; // a file's content, a link's target
    qint64 size = 0;
    bool tooLarge = false; // not read: only its size is known
    QByteArray gitMode;    // 100644, 100755, 120000; empty for what git does not track
};

QByteArray gitMode(const QString &type, quint32 permissions)
{
    if (type == QLatin1String("symlink"))
        return "120000";
    if (type == QLatin1String("file"))
        return permissions & 0111 ? "100755" : "100644";
    return {};
}

QString typeOfMode(quint32 mode)
{
    switch (mode & S_IFMT) {
    case S_IFREG: return QStringLiteral("file");
    case S_IFLNK: return QStringLiteral("symlink");
    case S_IFDIR: return QStringLiteral("dir");
    default: return QStringLiteral("other");
    }
}

bool hasContent(const QString &type)
{
    return type == QLatin1String("file") || type == QLatin1String("symlink");
}

// The template's side of `c` (on a worker thread).
Result<Side> before(const QString &lower, const Change &c)
{
    if (c.kind == Kind::Added)
        return Side{};
    auto t = LayerChanges::templateSide(lower, c.path, Limits::kMaxFileBytes);
    if (!t)
        return t.error();
    return Side{true, t->bytes, t->size, t->tooLarge, gitMode(typeOfMode(t->mode), t->mode)};
}

// The sandbox's side of `c`: a link's target from the listing, a file's
// bytes through the agent (as root, as anything in the sandbox may be read).
void after(SandboxManager *sm, const QString &team, const QString &id, const Change &c,
           std::function<void(Result<Side>)> done)
{
    if (c.kind == Kind::Deleted) {
        done(Side{});
        return;
    }
    const QByteArray mode = gitMode(c.type, c.mode);
    if (c.type != QLatin1String("file")) {
        done(Side{true, c.symlinkTarget, c.symlinkTarget.size(), false, mode});
        return;
    }
    if (c.size > Limits::kMaxFileBytes) {
        done(Side{true, {}, c.size, true, mode});
        return;
    }
    const QJsonObject header{{QStringLiteral("op"), QStringLiteral("read")},
                             {QStringLiteral("path"), QString::fromUtf8(c.path)},
                             {QStringLiteral("user"), QStringLiteral("root")}};
    sm->callAgent(team, id, header, {}, kReadTimeoutMs, [done, mode](Result<AgentReply> r) {
        if (!r) {
            done(r.error());
            return;
        }
        done(Side{true, r->body, r->body.size(), false, mode});
    });
}

std::optional<ChangeDiff::Side> diffSide(const Side &s)
{
    if (!s.exists)
        return std::nullopt;
    // A directory or a device has no content to hash.
    return ChangeDiff::Side{
        s.size, s.tooLarge || s.gitMode.isEmpty() ? QString()
                           : QString::fromLatin1(QCryptographicHash::hash(s.bytes, QCryptographicHash::Sha256).toHex())};
}

bool isBinary(const Side &s)
{
    return s.exists && UnifiedDiff::isBinary(s.bytes);
}

// How the two sides compare: the diff when both are text of a size to diff.
struct Comparison
{
    bool binary = false;
    bool tooLarge = false;
    QByteArray diff;
};

Comparison compare(const Change &c, const Side &a, const Side &b, int context)
{
    Comparison out;
    if (!hasContent(c.type))
        return out;
    out.tooLarge = a.tooLarge || b.tooLarge || a.size > kMaxDiffSide || b.size > kMaxDiffSide;
    out.binary = !out.tooLarge && (isBinary(a) || isBinary(b));
    if (!out.tooLarge && !out.binary)
        out.diff = UnifiedDiff::file(c.path, a.exists ? &a.bytes : nullptr, b.exists ? &b.bytes : nullptr, context);
    return out;
}

// A change's part of the whole patch, as git writes one: its modes say
// what a link is, what is executable and what only changed its mode.
QByteArray patchPart(const Change &c, const Side &a, const Side &b)
{
    const QByteArray rel = c.path.mid(1);
    QByteArray modes;
    if (!a.exists && !b.gitMode.isEmpty())
        modes = "new file mode " + b.gitMode + "\n";
    else if (!b.exists && !a.gitMode.isEmpty())
        modes = "deleted file mode " + a.gitMode + "\n";
    else if (a.exists && b.exists && a.gitMode != b.gitMode && !a.gitMode.isEmpty() && !b.gitMode.isEmpty())
        modes = "old mode " + a.gitMode + "\nnew mode " + b.gitMode + "\n";
    const Comparison cmp = compare(c, a, b, 3);
    QByteArray body = cmp.diff;
    if (cmp.binary || cmp.tooLarge)
        body = "Binary files " + (a.exists ? "a/" + rel : QByteArray("/dev/null")) + " and " +
               (b.exists ? "b/" + rel : QByteArray("/dev/null")) + " differ\n";
    if (body.isEmpty() && modes.isEmpty())
        return {};
    return "diff --git a/" + rel + " b/" + rel + "\n" + modes + body;
}

// The whole patch, one change after another.
struct Patch
{
    SandboxManager *sm = nullptr;
    QString team, id, lower;
    HttpReplyPtr reply;
    QList<Change> changes;
    qsizetype next = 0;
    QByteArray text;
};

void patchStep(std::shared_ptr<Patch> p)
{
    while (p->next < p->changes.size() && !hasContent(p->changes[p->next].type))
        ++p->next;
    if (p->next == p->changes.size()) {
        p->reply->bytes(200, p->text, QByteArrayLiteral("text/x-diff; charset=utf-8"));
        return;
    }
    const Change c = p->changes[p->next++];
    after(p->sm, p->team, p->id, c, [p, c](Result<Side> b) {
        if (!b) {
            p->reply->error(b.error());
            return;
        }
        OffLoop::run<std::optional<Result<QByteArray>>>(
            p->sm,
            [lower = p->lower, c, b = *b]() -> std::optional<Result<QByteArray>> {
                const auto a = before(lower, c);
                if (!a)
                    return Result<QByteArray>(a.error());
                return Result<QByteArray>(patchPart(c, *a, b));
            },
            [p](std::optional<Result<QByteArray>> part) {
                if (!*part) {
                    p->reply->error(part->error());
                    return;
                }
                p->text += **part;
                if (p->text.size() > Limits::kMaxFileBytes) {
                    p->reply->error(ApiError::tooLarge(
                        QStringLiteral("The patch is over 32 MiB; ask for a part of it with 'path'.")));
                    return;
                }
                patchStep(p);
            });
    });
}

// The archive, made and sent a change at a time: at most one file's bytes
// and the reply's window are in the engine at once.
struct Archive
{
    SandboxManager *sm = nullptr;
    QString team, id;
    HttpReplyPtr reply;
    QList<Change> changes;
    qsizetype next = 0;
    std::unique_ptr<ChangeArchive> tar;
};

bool needsContent(const Change &c)
{
    return c.kind != Kind::Deleted && c.type == QLatin1String("file");
}

// What a worker made of the archive: its bytes, and whether it is whole.
struct ArchivePiece
{
    QByteArray bytes;
    bool end = false;
};

// On a worker: `content` (the next change's, when it is a file) and every
// change up to the next file, then the end when there is no file left.
Result<ArchivePiece> archiveSome(Archive &a, std::optional<QByteArray> content)
{
    if (content) {
        if (auto s = a.tar->add(a.changes[a.next++], *content); !s)
            return s.error();
    }
    while (a.next < a.changes.size() && !needsContent(a.changes[a.next])) {
        if (auto s = a.tar->add(a.changes[a.next++]); !s)
            return s.error();
    }
    ArchivePiece piece;
    piece.end = a.next == a.changes.size();
    if (piece.end) {
        if (auto s = a.tar->finish(); !s)
            return s.error();
    }
    piece.bytes = a.tar->take();
    return piece;
}

// The status is long gone: the body stops short, which a client sees as a
// broken download, and the log says why.
void archiveFailed(const std::shared_ptr<Archive> &a, const ApiError &e)
{
    qCWarning(lcApi, "The archive of the changes of %s stopped: %s", qPrintable(a->id), qPrintable(e.message));
    if (QTcpSocket *socket = a->reply->socket())
        socket->disconnectFromHost();
}

void archiveStep(std::shared_ptr<Archive> a);

void archiveWork(std::shared_ptr<Archive> a, std::optional<QByteArray> content)
{
    OffLoop::run<std::optional<Result<ArchivePiece>>>(
        a->sm, [a, content]() -> std::optional<Result<ArchivePiece>> { return archiveSome(*a, content); },
        [a](std::optional<Result<ArchivePiece>> piece) {
            if (!*piece) {
                archiveFailed(a, piece->error());
                return;
            }
            a->reply->chunk((*piece)->bytes);
            if ((*piece)->end) {
                a->reply->endChunked();
                return;
            }
            if (!a->reply->connected())
                return; // the client went away: nothing more to make
            if (!a->reply->congested()) {
                archiveStep(a);
                return;
            }
            // Paced by the client: on once the window has room again.
            QTcpSocket *socket = a->reply->socket();
            auto paced = std::make_shared<QMetaObject::Connection>();
            *paced = QObject::connect(socket, &QIODevice::bytesWritten, socket, [a, paced] {
                if (a->reply->congested())
                    return;
                QObject::disconnect(*paced);
                archiveStep(a);
            });
        });
}

// The next file, read through the agent, as the diff reads it; one that is
// gone since the listing is left out, from the manifest too.
void archiveStep(std::shared_ptr<Archive> a)
{
    const Change c = a->changes[a->next];
    after(a->sm, a->team, a->id, c, [a](Result<Side> b) {
        if (!b && b.error().code == QLatin1String("not_found")) {
            a->changes.removeAt(a->next);
            archiveWork(a, std::nullopt);
            return;
        }
        if (!b || b->tooLarge) {
            archiveFailed(a, b ? ApiError::tooLarge(QStringLiteral("A file grew past 32 MiB.")) : b.error());
            return;
        }
        archiveWork(a, b->bytes);
    });
}

// Before anything is sent: what would stop the archive half-way is refused
// with its status while it still can be.
Status archivable(const LayerChanges::Listing &l)
{
    if (l.truncated)
        return ApiError::tooLarge(
            QStringLiteral("The sandbox changed more than %1 paths; ask for a part of the archive with 'path'.").arg(kMaxLimit));
    for (const Change &c : l.changes) {
        if (needsContent(c) && c.size > Limits::kMaxFileBytes)
            return ApiError::tooLarge(QStringLiteral("%1 is %2 bytes; the archive takes files of at most 32 MiB (%3 "
                                                     "bytes): leave it out with 'path'.")
                                          .arg(QString::fromUtf8(c.path))
                                          .arg(c.size)
                                          .arg(Limits::kMaxFileBytes));
    }
    return Done{};
}

} // namespace

void ChangeRoutes::install(ApiServer &api, SandboxManager &sandboxes)
{
    using M = ApiServer::Method;
    SandboxManager *sm = &sandboxes;

    api.on("/v1/sandboxes/<arg>/changes", M::Get, [sm](ApiCall &c, const QString &id) {
        const auto prefix = pathParam(c, false);
        const auto limit = RequestBodies::wholeParam(c.query, QStringLiteral("limit"), kDefaultLimit, 1, kMaxLimit);
        const auto layers = sm->layers(c.team, id);
        for (const ApiError *e : {prefix ? nullptr : &prefix.error(), limit ? nullptr : &limit.error(),
                                  layers ? nullptr : &layers.error()}) {
            if (e) {
                c.reply->error(*e);
                return;
            }
        }
        OffLoop::run<std::optional<Result<LayerChanges::Listing>>>(
            sm,
            [l = *layers, p = *prefix, n = *limit]() -> std::optional<Result<LayerChanges::Listing>> {
                return LayerChanges::list(l.upper, l.lower, p, n);
            },
            [reply = c.reply](std::optional<Result<LayerChanges::Listing>> r) {
                if (!*r) {
                    reply->error(r->error());
                    return;
                }
                ChangeList list;
                for (const Change &ch : (*r)->changes)
                    list.changes.append(LayerChanges::toEntry(ch));
                list.truncated = (*r)->truncated;
                reply->json(200, list.toJson());
            });
    });

    api.on("/v1/sandboxes/<arg>/changes/diff", M::Get, [sm](ApiCall &c, const QString &id) {
        const auto path = pathParam(c, true);
        const auto context = RequestBodies::wholeParam(c.query, QStringLiteral("context"), 3, 0, 100);
        const auto layers = sm->layers(c.team, id);
        for (const ApiError *e : {path ? nullptr : &path.error(), context ? nullptr : &context.error(),
                                  layers ? nullptr : &layers.error()}) {
            if (e) {
                c.reply->error(*e);
                return;
            }
        }
        struct Found
        {
            std::optional<Change> change;
            std::optional<Result<Side>> before;
        };
        OffLoop::run<std::optional<Result<Found>>>(
            sm,
            [l = *layers, p = *path]() -> std::optional<Result<Found>> {
                // The path itself is listed before anything under it.
                const auto listing = LayerChanges::list(l.upper, l.lower, p, 1);
                if (!listing)
                    return Result<Found>(listing.error());
                Found f;
                if (!listing->changes.isEmpty() && listing->changes.front().path == p) {
                    f.change = listing->changes.front();
                    f.before = before(l.lower, *f.change);
                }
                return Result<Found>(f);
            },
            [sm, team = c.team, id, reply = c.reply, p = *path, n = *context](std::optional<Result<Found>> r) {
                if (!*r) {
                    reply->error(r->error());
                    return;
                }
                const Found f = **r;
                if (!f.change) {
                    reply->error(ApiError::notFound(
                        QStringLiteral("'%1' is as the template has it: it did not change.").arg(QString::fromUtf8(p))));
                    return;
                }
                if (!*f.before) {
                    reply->error(f.before->error());
                    return;
                }
                const Change ch = *f.change;
                const Side a = **f.before;
                after(sm, team, id, ch, [sm, reply, ch, a, n](Result<Side> b) {
                    if (!b) {
                        reply->error(b.error());
                        return;
                    }
                    OffLoop::run<QJsonObject>(
                        sm,
                        [ch, a, b = *b, n] {
                            const Comparison cmp = compare(ch, a, b, n);
                            ChangeDiff d;
                            d.path = QString::fromUtf8(ch.path);
                            d.kind = ch.kind;
                            d.type = ch.type;
                            d.binary = cmp.binary;
                            d.tooLarge = cmp.tooLarge;
                            d.before = diffSide(a);
                            d.after = diffSide(b);
                            d.diff = QString::fromUtf8(cmp.diff);
                            return d.toJson();
                        },
                        [reply](QJsonObject o) { reply->json(200, o); });
                });
            });
    });

    api.on("/v1/sandboxes/<arg>/changes/patch", M::Get, [sm](ApiCall &c, const QString &id) {
        const auto prefix = pathParam(c, false);
        const auto layers = sm->layers(c.team, id);
        for (const ApiError *e : {prefix ? nullptr : &prefix.error(), layers ? nullptr : &layers.error()}) {
            if (e) {
                c.reply->error(*e);
                return;
            }
        }
        auto p = std::make_shared<Patch>();
        p->sm = sm;
        p->team = c.team;
        p->id = id;
        p->lower = layers->lower;
        p->reply = c.reply;
        OffLoop::run<std::optional<Result<LayerChanges::Listing>>>(
            sm,
            [l = *layers, pre = *prefix]() -> std::optional<Result<LayerChanges::Listing>> {
                return LayerChanges::list(l.upper, l.lower, pre, kMaxLimit);
            },
            [p](std::optional<Result<LayerChanges::Listing>> r) {
                if (!*r) {
                    p->reply->error(r->error());
                    return;
                }
                if ((*r)->truncated) {
                    p->reply->error(ApiError::tooLarge(QStringLiteral(
                        "The sandbox changed more than %1 paths; ask for a part of the patch with 'path'.").arg(kMaxLimit)));
                    return;
                }
                p->changes = (*r)->changes;
                patchStep(p);
            });
    });

    api.on("/v1/sandboxes/<arg>/changes/archive", M::Get, [sm](ApiCall &c, const QString &id) {
        const auto prefix = pathParam(c, false);
        const QString format = c.hasParam(QStringLiteral("format")) ? c.param(QStringLiteral("format")) : QStringLiteral("tar");
        if (format != QLatin1String("tar") && format != QLatin1String("tar.gz")) {
            c.reply->error(ApiError::badRequest(
                QStringLiteral("'format' is 'tar' or 'tar.gz', not '%1'.").arg(format.left(40))));
            return;
        }
        const auto layers = sm->layers(c.team, id);
        for (const ApiError *e : {prefix ? nullptr : &prefix.error(), layers ? nullptr : &layers.error()}) {
            if (e) {
                c.reply->error(*e);
                return;
            }
        }
        const bool gzip = format == QLatin1String("tar.gz");
        auto a = std::make_shared<Archive>();
        a->sm = sm;
        a->team = c.team;
        a->id = id;
        a->reply = c.reply;
        a->tar = std::make_unique<ChangeArchive>(gzip ? ChangeArchive::Compression::Gzip : ChangeArchive::Compression::None);
        OffLoop::run<std::optional<Result<LayerChanges::Listing>>>(
            sm,
            [l = *layers, pre = *prefix]() -> std::optional<Result<LayerChanges::Listing>> {
                return LayerChanges::list(l.upper, l.lower, pre, kMaxLimit);
            },
            [a, gzip](std::optional<Result<LayerChanges::Listing>> r) {
                if (!*r) {
                    a->reply->error(r->error());
                    return;
                }
                if (auto s = archivable(**r); !s) {
                    a->reply->error(s.error());
                    return;
                }
                a->changes = (*r)->changes;
                a->reply->beginChunked(200, gzip ? QByteArrayLiteral("application/gzip")
                                                 : QByteArrayLiteral("application/x-tar"));
                archiveWork(a, std::nullopt);
            });
    });
}
