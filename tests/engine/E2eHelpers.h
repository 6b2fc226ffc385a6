// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Macros and small functions shared by the end-to-end suites. Macros, not
// functions, where a failure must stop the calling test (QVERIFY returns from
// the function it is written in).

#include "ApiClient.h"
#include "ApiResponse.h"

#include <QDateTime>
#include <QFile>
#include <QJsonObject>
#include <QRegularExpression>
#include <QString>
#include <QTest>

// Asserts the status and leaves the answer in `var`.
#define E2E_EXPECT(var, expr, wantStatus)                                                              \
    const ApiResponse var = (expr);                                                                    \
    QVERIFY2(var.status == (wantStatus),                                                               \
             qPrintable(QStringLiteral("expected %1, got %2").arg(wantStatus).arg(QString::fromUtf8(var.describe()))))

// Starts the suite's engine (std::unique_ptr<EngineProcess>, with extra
// `ai2ind serve` arguments if given) and a client of it
// (std::unique_ptr<ApiClient>), or fails the calling test function.
#define E2E_START_ENGINE(engine, api, ...)                                                             \
    QVERIFY2(EngineProcess::templateExists(), qPrintable(QStringLiteral("no base template in %1 (build it " \
                                                                        "with ./dev.sh)")               \
                                                             .arg(EngineProcess::templatesDir())));    \
    (engine) = std::make_unique<EngineProcess>(__VA_ARGS__);                                           \
    QVERIFY2((engine)->start(), qPrintable((engine)->errorString()));                                  \
    (api) = std::make_unique<ApiClient>((engine)->baseUrl(), (engine)->apiKey())

// Creates a sandbox (201 expected) and leaves its id in `var`.
#define E2E_CREATE(var, api, body)                                                                     \
    E2E_EXPECT(var##Created, (api).createSandbox(body), 201);                                          \
    const QString var = var##Created.json().value(QStringLiteral("sandbox_id")).toString();             \
    QVERIFY2(!var.isEmpty(), var##Created.describe().constData())

// Runs a blocking command, expects exit code `code`, leaves stdout in `var`.
#define E2E_RUN(var, api, id, cmd, extra, code)                                                        \
    E2E_EXPECT(var##Run, (api).run((id), (cmd), (extra)), 200);                                        \
    QVERIFY2(var##Run.json().value(QStringLiteral("exit_code")).toInt(-1) == (code),                   \
             var##Run.describe().constData());                                                         \
    const QString var = var##Run.json().value(QStringLiteral("stdout")).toString()

// Asserts an error answer: status, code and a sentence.
#define E2E_ERROR(resp, wantStatus, wantCode)                                                          \
    do {                                                                                               \
        const ApiResponse &e2eR = (resp);                                                              \
        QVERIFY2(e2eR.status == (wantStatus) && e2eR.errorCode() == QStringLiteral(wantCode)           \
                     && !e2eR.errorMessage().trimmed().isEmpty(),                                       \
                 qPrintable(QStringLiteral("expected %1 %2, got %3")                                   \
                                .arg(wantStatus)                                                       \
                                .arg(QStringLiteral(wantCode), QString::fromUtf8(e2eR.describe()))));   \
    } while (false)

namespace E2e {

inline QString sbx(const QString &id, const QString &suffix = {})
{
    return QStringLiteral("/v1/sandboxes/") + id + suffix;
}

inline bool isTimestamp(const QJsonValue &v)
{
    static const QRegularExpression re(QStringLiteral(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$)"));
    return v.isString() && re.match(v.toString()).hasMatch();
}

inline QDateTime time(const QJsonValue &v)
{
    return QDateTime::fromString(v.toString(), Qt::ISODateWithMs);
}

// A process's (the engine's) resident memory in MiB, -1 when unknown.
inline qint64 rssMiB(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/status").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong() / 1024;
    }
    return -1;
}

inline QJsonObject obj(std::initializer_list<QPair<QString, QJsonValue>> fields)
{
    return QJsonObject(fields);
}

} // namespace E2e
