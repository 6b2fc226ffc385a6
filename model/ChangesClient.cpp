// SPDX-License-Identifier: GPL-3.0-or-later
#include "ChangesClient.h"

#include "FileNames.h"

namespace {

constexpr int kListMs = 30000;
// A patch reads every changed file through the sandbox's agent.
constexpr int kPatchMs = 120000;

} // namespace

ChangesClient::ChangesClient(EngineClient *client, QObject *parent)
    : QObject(parent)
    , m_client(client)
{
}

QString ChangesClient::listPath(const QString &sandbox)
{
    return FileNames::sandboxPath(sandbox, QStringLiteral("/changes"));
}

QString ChangesClient::diffPath(const QString &sandbox, const QString &path)
{
    return FileNames::sandboxPath(sandbox, QStringLiteral("/changes/diff?path=")) +
           QString::fromLatin1(QUrl::toPercentEncoding(path, "/"));
}

QString ChangesClient::patchPath(const QString &sandbox)
{
    return FileNames::sandboxPath(sandbox, QStringLiteral("/changes/patch"));
}

void ChangesClient::list(const QString &sandbox, QObject *context, EngineClient::Handler<ChangeList> done)
{
    m_client->call("GET", listPath(sandbox), {}, kListMs, context, [done](Result<QByteArray> r) {
        if (!r) {
            done(r.error());
            return;
        }
        done(ChangeList::fromJson(*r));
    });
}

void ChangesClient::diff(const QString &sandbox, const QString &path, QObject *context,
                         EngineClient::Handler<ChangeDiff> done)
{
    m_client->call("GET", diffPath(sandbox, path), {}, kListMs, context, [done](Result<QByteArray> r) {
        if (!r) {
            done(r.error());
            return;
        }
        done(ChangeDiff::fromJson(*r));
    });
}

void ChangesClient::patch(const QString &sandbox, QObject *context, EngineClient::Handler<QByteArray> done)
{
    m_client->call("GET", patchPath(sandbox), {}, kPatchMs, context, std::move(done));
}
