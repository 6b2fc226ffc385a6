// SPDX-License-Identifier: GPL-3.0-or-later
// Every other route's request body (and the file routes' query string), from
// any client with a key. Input: one byte choosing the route, then the body.
#include "FuzzCheck.h"
#include "Limits.h"
#include "NetworkPolicy.h"
#include "RequestBodies.h"

#include <cstddef>
#include <cstdint>

namespace {

void checkRefusal(const ApiError &e)
{
    FUZZ_CHECK(!e.message.isEmpty());
    FUZZ_CHECK(e.httpStatus >= 400 && e.httpStatus < 500);
}

// An agent header: names its op, and every path-like field is a bounded
// string without NUL.
void checkHeader(const Result<QJsonObject> &h, const QString &op)
{
    if (!h) {
        checkRefusal(h.error());
        return;
    }
    FUZZ_CHECK(h->value(QStringLiteral("op")).toString() == op || op.isEmpty());
    for (const char *f : {"path", "from", "to", "cwd", "user"}) {
        const QJsonValue v = h->value(QLatin1String(f));
        if (v.isUndefined())
            continue;
        FUZZ_CHECK(v.isString() && !v.toString().isEmpty() && !v.toString().contains(QChar(0)));
        FUZZ_CHECK(v.toString().size() <= 4096);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const QByteArray body(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    switch (data[0] % 13) {
    case 0: {
        const auto t = RequestBodies::timeout(body);
        if (t)
            FUZZ_CHECK(*t >= 1 && *t <= Limits::kMaxTimeoutSeconds);
        else
            checkRefusal(t.error());
        break;
    }
    case 1: {
        const auto b = RequestBodies::pause(body);
        if (!b)
            checkRefusal(b.error());
        break;
    }
    case 2: {
        const auto b = RequestBodies::connect(body);
        if (!b)
            checkRefusal(b.error());
        break;
    }
    case 3: {
        int timeoutMs = -1;
        const auto h = RequestBodies::command(body, &timeoutMs);
        checkHeader(h, QString());
        if (h) {
            const QString op = h->value(QStringLiteral("op")).toString();
            FUZZ_CHECK(op == QLatin1String("run") || op == QLatin1String("start"));
            FUZZ_CHECK(timeoutMs > 0);
            FUZZ_CHECK(!h->value(QStringLiteral("cmd")).toString().trimmed().isEmpty());
        }
        break;
    }
    case 4: {
        const auto h = RequestBodies::kill(body, QStringLiteral("cmd_1"));
        checkHeader(h, QStringLiteral("kill"));
        if (h && h->contains(QStringLiteral("signal"))) {
            const int sig = h->value(QStringLiteral("signal")).toInt();
            FUZZ_CHECK(sig >= 1 && sig <= 64);
        }
        break;
    }
    case 5: {
        const auto h = RequestBodies::runCode(body);
        checkHeader(h, QStringLiteral("code_run"));
        if (h)
            FUZZ_CHECK(h->value(QStringLiteral("timeout_ms")).toInt() > 0);
        break;
    }
    case 6:
    case 7: {
        const auto h = data[0] % 13 == 6 ? RequestBodies::ptyStart(body) : RequestBodies::ptyResize(body);
        checkHeader(h, data[0] % 13 == 6 ? QStringLiteral("pty_start") : QStringLiteral("pty_resize"));
        if (h) {
            for (const char *f : {"cols", "rows"}) {
                const int n = h->value(QLatin1String(f)).toInt();
                FUZZ_CHECK(n >= 1 && n <= 1000);
            }
        }
        break;
    }
    case 8:
        checkHeader(RequestBodies::watchStart(body), QStringLiteral("watch_start"));
        break;
    case 9:
        checkHeader(RequestBodies::fileBody(body, QStringLiteral("rename"), {QStringLiteral("from"), QStringLiteral("to")}),
                    QStringLiteral("rename"));
        break;
    case 10:
        checkHeader(RequestBodies::fileBody(body, QStringLiteral("mkdir"), {QStringLiteral("path")}),
                    QStringLiteral("mkdir"));
        break;
    case 11:
        checkHeader(RequestBodies::fileQuery(QUrlQuery(QString::fromUtf8(body)), QStringLiteral("read")),
                    QStringLiteral("read"));
        break;
    case 12: {
        // POST …/network: what passes is a policy the manager can apply.
        const auto b = RequestBodies::network(body);
        if (!b)
            checkRefusal(b.error());
        else
            FUZZ_CHECK(NetworkPolicy::apply(NetworkPolicy{}, *b).ok());
        break;
    }
    }
    return 0;
}
