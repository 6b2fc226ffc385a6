// SPDX-License-Identifier: GPL-3.0-or-later
// A Host header as a client wrote it, against the configured preview domain.
// Input: the domain, a newline, then the header's value.
#include "FuzzCheck.h"
#include "PreviewHost.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray in(reinterpret_cast<const char *>(data), qsizetype(size));
    const qsizetype nl = in.indexOf('\n');
    const QString domain = nl < 0 ? QStringLiteral("localhost") : QString::fromUtf8(in.left(nl));
    const QByteArray host = nl < 0 ? in : in.mid(nl + 1);
    const PreviewHost p = PreviewHost::parse(host, domain);
    switch (p.outcome) {
    case PreviewHost::Outcome::Ok:
        FUZZ_CHECK(p.port >= 1);
        FUZZ_CHECK(PreviewHost::isSandboxId(p.sandboxId));
        // The id is what the header said, lowercased: never longer.
        FUZZ_CHECK(host.toLower().contains(p.sandboxId.toLatin1()));
        break;
    case PreviewHost::Outcome::BadPort:
        FUZZ_CHECK(p.port == 0 && PreviewHost::isSandboxId(p.sandboxId));
        break;
    case PreviewHost::Outcome::NotOurs:
        FUZZ_CHECK(p.port == 0);
        break;
    }
    return 0;
}
