// SPDX-License-Identifier: GPL-3.0-or-later
// Network rules as a client writes them (create bodies, POST …/network):
// what parses prints as a rule that parses to the same thing, and nothing
// the engine would put into its nftables text is anything but an address,
// a prefix or a host name.
#include "FuzzCheck.h"
#include "NetworkRule.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto r = NetworkRule::parse(text);
    if (!r) {
        FUZZ_CHECK(!r.error().message.isEmpty());
        return 0;
    }
    const QString shown = r->text();
    for (QChar c : shown)
        FUZZ_CHECK(c.isLetterOrNumber() || c == QLatin1Char('.') || c == QLatin1Char('-') || c == QLatin1Char('_') ||
                   c == QLatin1Char('/') || c == QLatin1Char('*'));
    const auto again = NetworkRule::parse(shown);
    FUZZ_CHECK(again && *again == *r);
    if (r->kind() == NetworkRule::Kind::Cidr)
        FUZZ_CHECK(r->prefix() >= 0 && r->prefix() <= 32 && r->matchesAddress(r->address()));
    else
        FUZZ_CHECK(r->kind() == NetworkRule::Kind::Subdomains || r->matchesName(r->host()));
    return 0;
}
