// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Result.h"
#include "SandboxInfo.h"

#include <QByteArray>

#include <optional>

// The body of `POST /v1/sandboxes`, validated.
struct CreateSandboxRequest
{
    QString templateName = QStringLiteral("base");
    std::optional<qint64> timeoutSeconds; // none: lives until killed
    StringMap metadata;
    StringMap envs;
    int cpuCount = 0;  // 0: the engine's default
    int memoryMb = 0;  // 0: the engine's default
    int diskMb = 0;    // 0: the engine's default (Limits::kDefaultDiskMb)
    bool previewAuth = false; // previews need the sandbox's preview token
    NetworkPolicy network;

    // Pure: every rule of the API contract, each failure a sentence.
    static Result<CreateSandboxRequest> parse(const QByteArray &body);
};

// Shared validators, also used by other requests.
namespace Validate {
Result<QJsonObject> jsonObject(const QByteArray &body, bool emptyIsEmptyObject);
Result<qint64> timeoutSeconds(const QJsonValue &v, const QString &field);
Result<StringMap> stringMap(const QJsonValue &v, const QString &field, int maxBytes);
Status onlyKnownFields(const QJsonObject &o, const QStringList &known);
} // namespace Validate
