// SPDX-License-Identifier: GPL-3.0-or-later
// The preview proxy reads a request head from any client that reaches the
// preview port (no key needed), then the sandbox from its Host header(s).
#include "FuzzCheck.h"
#include "PreviewHost.h"
#include "RequestHead.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray buffer(reinterpret_cast<const char *>(data), qsizetype(size));
    const RequestHead head = RequestHead::parse(buffer);
    switch (head.outcome) {
    case RequestHead::Outcome::Ok:
        FUZZ_CHECK(!head.hosts.isEmpty());
        FUZZ_CHECK(!head.method.isEmpty());
        [[fallthrough]];
    case RequestHead::Outcome::MissingHost:
        FUZZ_CHECK(head.size >= 4 && head.size <= buffer.size() && head.size <= RequestHead::kMaxBytes);
        FUZZ_CHECK(buffer.mid(head.size - 4, 4) == "\r\n\r\n");
        break;
    case RequestHead::Outcome::Incomplete:
        FUZZ_CHECK(!buffer.contains("\r\n\r\n") && buffer.size() <= RequestHead::kMaxBytes);
        break;
    default:
        break;
    }
    for (const QByteArray &host : head.hosts) {
        FUZZ_CHECK(!host.contains('\r') && !host.contains('\n'));
        for (const QString &domain : {QStringLiteral("localhost"), QStringLiteral("up.ai2in.dev")}) {
            const PreviewHost p = PreviewHost::parse(host, domain);
            if (p.ok()) {
                FUZZ_CHECK(p.port >= 1);
                FUZZ_CHECK(PreviewHost::isSandboxId(p.sandboxId));
            }
        }
    }
    return 0;
}
