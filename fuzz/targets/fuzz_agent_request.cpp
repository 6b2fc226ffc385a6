// SPDX-License-Identifier: GPL-3.0-or-later
// What the agent reads from a client of its socket: the request's header
// line, then the handlers' typed reading of its fields. The engine relays
// API clients' values into these headers, and the socket is reachable from
// the host, so the agent trusts none of it.
#include "FuzzCheck.h"
#include "Json.h"
#include "RequestHeader.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    std::string_view line(reinterpret_cast<const char *>(data), size);
    // Connection cuts the header at the first newline.
    if (const size_t nl = line.find('\n'); nl != std::string_view::npos)
        line = line.substr(0, nl);
    const auto r = RequestHeader::parse(line);
    if (!r) {
        FUZZ_CHECK(!r.failure().code.empty() && !r.failure().message.empty());
        // The refusal goes back as JSON, whatever bytes the message quotes.
        nlohmann::json answer{{"ok", false}, {"error", {{"code", r.failure().code}, {"message", r.failure().message}}}};
        FUZZ_CHECK(!Json::dump(answer).empty());
        return 0;
    }
    FUZZ_CHECK(r->header.is_object());
    FUZZ_CHECK(r->bodyLen <= RequestHeader::kMaxBody);
    const nlohmann::json &h = r->header;
    // The field kinds the handlers read (CommandTable, FileOps, PtyTable …).
    for (const char *key : {"cmd", "command_id", "path", "pty_id", "code"}) {
        (void)Json::requiredString(h, key);
    }
    for (const char *key : {"cwd", "user", "from", "to"}) {
        (void)Json::optionalString(h, key, "");
    }
    const auto t = Json::integer(h, "timeout_ms", 1000, 1, 120000);
    if (t)
        FUZZ_CHECK(*t >= 1 && *t <= 120000);
    const auto sig = Json::integer(h, "signal", 15, 1, 64);
    if (sig)
        FUZZ_CHECK(*sig >= 1 && *sig <= 64);
    (void)Json::integer(h, "offset", 0, INT64_MIN, INT64_MAX);
    (void)Json::boolean(h, "eof", false);
    (void)Json::boolean(h, "recursive", false);
    const auto env = Json::stringMap(h, "env");
    if (env) {
        for (const auto &[k, v] : *env) {
            FUZZ_CHECK(!k.empty() && k.find('=') == std::string::npos && k.find('\0') == std::string::npos);
            FUZZ_CHECK(v.find('\0') == std::string::npos);
        }
    }
    // Echoing a request back (errors quote fields) never throws.
    FUZZ_CHECK(!Json::dump(h).empty());
    return 0;
}
