// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QString>

// An error as the API reports it: a stable code, a sentence for people and
// the HTTP status it travels with.
struct ApiError
{
    QString code;
    QString message;
    int httpStatus = 500;
    // More fields for the error object, e.g. the output of a command that
    // timed out.
    QJsonObject details;

    static ApiError badRequest(const QString &message) { return {QStringLiteral("bad_request"), message, 400, {}}; }
    static ApiError invalidJson(const QString &message) { return {QStringLiteral("invalid_json"), message, 400, {}}; }
    static ApiError unauthorized(const QString &message) { return {QStringLiteral("unauthorized"), message, 401, {}}; }
    static ApiError notFound(const QString &message) { return {QStringLiteral("not_found"), message, 404, {}}; }
    static ApiError conflict(const QString &message) { return {QStringLiteral("conflict"), message, 409, {}}; }
    static ApiError tooLarge(const QString &message) { return {QStringLiteral("too_large"), message, 413, {}}; }
    static ApiError quotaExceeded(const QString &message) { return {QStringLiteral("quota_exceeded"), message, 429, {}}; }
    static ApiError internal(const QString &message) { return {QStringLiteral("internal"), message, 500, {}}; }
    // The host's disk is too full to take more (WebDAV's 507, which says
    // exactly that: the server cannot store what the request needs).
    static ApiError insufficientStorage(const QString &message) { return {QStringLiteral("insufficient_storage"), message, 507, {}}; }
    static ApiError unavailable(const QString &message) { return {QStringLiteral("unavailable"), message, 503, {}}; }
    static ApiError timeout(const QString &message) { return {QStringLiteral("timeout"), message, 504, {}}; }

    // {"error": {"code": …, "message": …}}
    QJsonObject toJson() const;
    // Reads the body of an error response; falls back to the status line when
    // the body is not one of ours (a proxy's page, say).
    static ApiError fromResponse(int httpStatus, const QByteArray &body);
};
