// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

// The REST paths the app asks the engine for (docs/api.md), with ids and
// sandbox paths percent-encoded, so no client spells `/v1/sandboxes/…` itself.
// The engine's router keeps its own patterns ("/v1/sandboxes/<arg>/metrics"):
// they are matched, not built.
namespace ApiPaths {
QString healthPath();
QString templatesPath();
QString sandboxesPath();
// /v1/sandboxes/{id}, then `tail` as it is ("/pause", "/commands").
QString sandboxPath(const QString &id, const QString &tail = {});

QString metricsPath(const QString &id);
// The readings taken strictly after `sinceMs` (unix milliseconds).
QString metricsHistoryPath(const QString &id, qint64 sinceMs);
QString activityPath(const QString &id, qint64 after, int limit);
QString commandsPath(const QString &id);
QString commandKillPath(const QString &id, const QString &commandId);
// `op` empty: run a cell; "interrupt" or "restart": the kernel.
QString codePath(const QString &id, const QString &op = {});

// `GET …/files?path=P` (depth 0: the engine's default), `DELETE` the same.
QString filesPath(const QString &id, const QString &path, int depth = 0);
QString fileContentPath(const QString &id, const QString &path);
QString fileStatPath(const QString &id, const QString &path);
QString fileExistsPath(const QString &id, const QString &path);
QString mkdirPath(const QString &id);
QString renamePath(const QString &id);

QString watchesPath(const QString &id);
QString watchPath(const QString &id, const QString &watchId);
QString watchSocketPath(const QString &id, const QString &watchId);

QString changesPath(const QString &id);
QString changesDiffPath(const QString &id, const QString &path);
QString changesPatchPath(const QString &id);
// The tar of the changes (gzipped with `gzip`).
QString changesArchivePath(const QString &id, bool gzip = false);

// A terminal's paths: `tail` "" to start one, "/{pty}/resize", "/{pty}/ws", …
QString ptyPath(const QString &id, const QString &tail = {});
} // namespace ApiPaths
