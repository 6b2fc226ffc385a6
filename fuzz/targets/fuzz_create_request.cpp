// SPDX-License-Identifier: GPL-3.0-or-later
// The body of POST /v1/sandboxes, from any client with a key.
#include "CreateSandboxRequest.h"
#include "FuzzCheck.h"
#include "Limits.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto r = CreateSandboxRequest::parse(body);
    if (!r) {
        // Refused with a sentence and a client error, never a 500.
        FUZZ_CHECK(!r.error().message.isEmpty());
        FUZZ_CHECK(r.error().httpStatus >= 400 && r.error().httpStatus < 500);
        return 0;
    }
    FUZZ_CHECK(!r->templateName.isEmpty() && r->templateName.size() <= 63);
    FUZZ_CHECK(r->cpuCount >= 0 && r->cpuCount <= Limits::kMaxCpuCount);
    FUZZ_CHECK(r->memoryMb == 0 || (r->memoryMb >= Limits::kMinMemoryMb && r->memoryMb <= Limits::kMaxMemoryMb));
    if (r->timeoutSeconds)
        FUZZ_CHECK(*r->timeoutSeconds >= 1 && *r->timeoutSeconds <= Limits::kMaxTimeoutSeconds);
    for (auto it = r->envs.cbegin(); it != r->envs.cend(); ++it) {
        FUZZ_CHECK(!it.key().isEmpty() && !it.key().contains(QLatin1Char('=')));
        FUZZ_CHECK(!it.value().contains(QChar(0)));
    }
    return 0;
}
