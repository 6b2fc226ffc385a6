// SPDX-License-Identifier: GPL-3.0-or-later
// What the engine reads from a sandbox's agent: answers and stream frames
// (agent/PROTOCOL.md), written by whatever runs as the agent's user inside
// the sandbox. The bytes arrive in pieces of any size, as from a socket.
// Input: one byte of set-up (header limit and piece size), then the stream.
#include "AgentClient.h"
#include "AgentFrame.h"
#include "FuzzCheck.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    // A small header limit reaches TooLong without megabytes of input.
    const qint64 maxHeader = 16 + (data[0] & 0x0f) * 256;
    const qsizetype piece = 1 + (data[0] >> 4) * 7;
    const QByteArray stream(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));

    QByteArray buffer;
    bool first = true;
    for (qsizetype at = 0; at < stream.size();) {
        buffer.append(stream.mid(at, piece));
        at += piece;
        for (;;) {
            const AgentFrame f = AgentFrame::parse(buffer, maxHeader);
            if (f.outcome == AgentFrame::Outcome::Incomplete) {
                FUZZ_CHECK(!buffer.contains('\n') && buffer.size() <= maxHeader);
                break;
            }
            if (f.bad())
                return 0; // the engine drops the connection
            FUZZ_CHECK(f.headerSize >= 1 && f.headerSize <= buffer.size() && buffer.at(f.headerSize - 1) == '\n');
            FUZZ_CHECK(f.bodyLen >= 0 && f.bodyLen <= AgentFrame::kMaxBodyBytes);
            // A shorter prefix of the header line never reads as a frame.
            const AgentFrame early = AgentFrame::parse(buffer.left(f.headerSize - 1), maxHeader);
            FUZZ_CHECK(!early.ok());
            if (!f.complete(buffer))
                break;
            if (first && !f.header.value(QStringLiteral("ok")).toBool()) {
                const ApiError e = AgentClient::errorFromAgent(f.header);
                FUZZ_CHECK(!e.message.isEmpty() && e.httpStatus >= 400);
                return 0;
            }
            first = false;
            buffer.remove(0, f.headerSize + f.bodyLen);
        }
    }
    return 0;
}
