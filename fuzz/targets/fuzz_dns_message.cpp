// SPDX-License-Identifier: GPL-3.0-or-later
// DNS messages the engine's forwarder reads: queries from sandboxes (any
// bytes root in a sandbox sends to port 53) and answers from the resolvers
// it asks. Compression pointers may loop or point anywhere.
#include "DnsMessage.h"
#include "FuzzCheck.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto m = DnsMessage::parse(bytes);
    if (m) {
        FUZZ_CHECK(bytes.size() >= 12);
        FUZZ_CHECK(m->questionName.size() <= 255);
        FUZZ_CHECK(m->questionName == m->questionName.toLower());
        // Another id changes the first two bytes only.
        const QByteArray other = DnsMessage::withId(bytes, quint16(m->id ^ 0xffff));
        FUZZ_CHECK(other.size() == bytes.size() && other.mid(2) == bytes.mid(2));
        const auto again = DnsMessage::parse(other);
        FUZZ_CHECK(again && again->id == quint16(m->id ^ 0xffff) && again->questionName == m->questionName);
    }
    const QByteArray fail = DnsMessage::serverFailure(bytes);
    if (!fail.isEmpty()) {
        const auto f = DnsMessage::parse(fail);
        FUZZ_CHECK(f && f->isResponse && f->rcode == 2 && f->addresses.isEmpty());
        FUZZ_CHECK(fail.size() <= bytes.size());
    }
    return 0;
}
