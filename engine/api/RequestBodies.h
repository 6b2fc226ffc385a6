// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QStringList>
#include <QUrlQuery>

// The request bodies (and the file routes' query strings) of every route but
// `POST /v1/sandboxes` (CreateSandboxRequest), checked and turned into what
// the route acts on, mostly the agent's request header. Pure: the bytes are
// a client's, and every way they can be wrong is a sentence with a status.
namespace RequestBodies {

// POST …/timeout: seconds from now.
Result<qint64> timeout(const QByteArray &body);
// POST …/network: `allow_internet_access` and `network`, each rule checked.
Result<QJsonObject> network(const QByteArray &body);
// POST …/pause: keep_memory.
Result<bool> pause(const QByteArray &body);
// POST …/connect: auto_resume.
Result<bool> connect(const QByteArray &body);

// POST …/commands, as the agent's `run` or `start`; `timeoutMs` is how long
// the engine waits for the agent's answer.
Result<QJsonObject> command(const QByteArray &body, int *timeoutMs);
// POST …/commands/{id}/kill, as the agent's `kill`.
Result<QJsonObject> kill(const QByteArray &body, const QString &commandId);

// POST …/code, as the agent's `code_run`.
Result<QJsonObject> runCode(const QByteArray &body);

// POST …/pty, as the agent's `pty_start`.
Result<QJsonObject> ptyStart(const QByteArray &body);
// POST …/pty/{id}/resize, as the agent's `pty_resize` (without the id).
Result<QJsonObject> ptyResize(const QByteArray &body);

// POST …/watch, as the agent's `watch_start`.
Result<QJsonObject> watchStart(const QByteArray &body);

// The file routes: `path` and `user` from the query string, or a JSON body
// of path-like string fields and `user`, as the start of an agent header.
Result<QJsonObject> fileQuery(const QUrlQuery &query, const QString &op);
Result<QJsonObject> fileBody(const QByteArray &body, const QString &op, const QStringList &pathFields);
// A whole-number query parameter from `min` to `max`; `fallback` when absent.
Result<int> wholeParam(const QUrlQuery &query, const QString &name, int fallback, int min, int max);

} // namespace RequestBodies
