// SPDX-License-Identifier: GPL-3.0-or-later
#include "RequestHeader.h"

#include "Json.h"

// nlohmann::json allocates per nesting level; a megabyte of '[' would cost
// tens of MiB that the heap keeps afterwards. No request needs more than a
// few levels.
static bool nestedTooDeep(std::string_view text, int maxDepth)
{
    int depth = 0;
    bool inString = false;
    for (size_t i = 0; i < text.size(); ++i) {
        char ch = text[i];
        if (inString) {
            if (ch == '\\')
                ++i;
            else if (ch == '"')
                inString = false;
        } else if (ch == '"') {
            inString = true;
        } else if (ch == '[' || ch == '{') {
            if (++depth > maxDepth)
                return true;
        } else if (ch == ']' || ch == '}') {
            --depth;
        }
    }
    return false;
}

Result<RequestHeader> RequestHeader::parse(std::string_view line)
{
    if (nestedTooDeep(line, kMaxNesting))
        return Failure::badRequest("The request header nests deeper than " + std::to_string(kMaxNesting)
                                   + " levels.");
    nlohmann::json header = nlohmann::json::parse(line.begin(), line.end(), nullptr, false);
    if (header.is_discarded())
        return Failure::badRequest("The request header is not valid JSON.");
    if (!header.is_object())
        return Failure::badRequest("The request header must be a JSON object.");
    auto declared = header.find("body_len");
    if (declared != header.end() && declared->is_number_unsigned() && declared->get<uint64_t>() > kMaxBody)
        return Failure{"too_large", "The request body of " + std::to_string(declared->get<uint64_t>())
                                        + " bytes is over the limit of 32 MiB."};
    auto bodyLen = Json::integer(header, "body_len", 0, 0, INT64_MAX);
    if (!bodyLen)
        return Failure::badRequest("Field 'body_len' must be a non-negative integer.");
    if (static_cast<uint64_t>(*bodyLen) > kMaxBody)
        return Failure{"too_large", "The request body of " + std::to_string(*bodyLen)
                                        + " bytes is over the limit of 32 MiB."};
    auto op = Json::requiredString(header, "op");
    if (!op)
        return op.failure();
    RequestHeader r;
    r.op = std::move(*op);
    r.header = std::move(header);
    r.bodyLen = static_cast<uint64_t>(*bodyLen);
    return r;
}
