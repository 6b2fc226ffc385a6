// SPDX-License-Identifier: GPL-3.0-or-later
#include "DnsMessage.h"

namespace {

constexpr int kHeaderSize = 12;
constexpr int kMaxPointers = 32;
constexpr int kMaxNameLength = 255;
constexpr quint16 kTypeA = 1;
constexpr quint16 kClassIn = 1;

quint16 u16(const QByteArray &b, int at)
{
    return quint16((quint8(b[at]) << 8) | quint8(b[at + 1]));
}

quint32 u32(const QByteArray &b, int at)
{
    return (quint32(u16(b, at)) << 16) | u16(b, at + 2);
}

// Reads the name at `pos`; `pos` moves past it (past the first pointer when
// compressed). nullopt when it is malformed.
std::optional<QString> readName(const QByteArray &b, int &pos)
{
    QByteArray name;
    int at = pos;
    int end = -1; // where the caller continues, once a pointer was followed
    for (int pointers = 0;;) {
        if (at >= b.size())
            return std::nullopt;
        const quint8 len = quint8(b[at]);
        if (len == 0) {
            ++at;
            break;
        }
        if ((len & 0xC0) == 0xC0) {
            if (at + 1 >= b.size() || ++pointers > kMaxPointers)
                return std::nullopt;
            if (end < 0)
                end = at + 2;
            at = ((len & 0x3F) << 8) | quint8(b[at + 1]);
            // Names live past the header; a pointer into it is malformed
            // (and would read the id as a name).
            if (at < kHeaderSize)
                return std::nullopt;
            continue;
        }
        if ((len & 0xC0) != 0 || at + 1 + len > b.size())
            return std::nullopt;
        if (!name.isEmpty())
            name += '.';
        name += b.mid(at + 1, len);
        if (name.size() > kMaxNameLength)
            return std::nullopt;
        at += 1 + len;
    }
    pos = end >= 0 ? end : at;
    return QString::fromLatin1(name).toLower();
}

} // namespace

std::optional<DnsMessage> DnsMessage::parse(const QByteArray &b)
{
    if (b.size() < kHeaderSize)
        return std::nullopt;
    DnsMessage m;
    m.id = u16(b, 0);
    const quint16 flags = u16(b, 2);
    m.isResponse = (flags & 0x8000) != 0;
    m.rcode = flags & 0xF;
    const int questions = u16(b, 4);
    const int answers = u16(b, 6);
    int pos = kHeaderSize;
    if (questions < 1)
        return m;
    const auto qname = readName(b, pos);
    if (!qname || pos + 4 > b.size())
        return std::nullopt;
    m.questionName = *qname;
    m.questionType = u16(b, pos);
    pos += 4;
    for (int q = 1; q < questions; ++q) {
        if (!readName(b, pos) || pos + 4 > b.size())
            return std::nullopt;
        pos += 4;
    }
    for (int a = 0; a < answers; ++a) {
        if (!readName(b, pos) || pos + 10 > b.size())
            return std::nullopt;
        const quint16 type = u16(b, pos);
        const quint16 cls = u16(b, pos + 2);
        const quint32 ttl = u32(b, pos + 4);
        const int rdlength = u16(b, pos + 8);
        pos += 10;
        if (pos + rdlength > b.size())
            return std::nullopt;
        if (type == kTypeA && cls == kClassIn && rdlength == 4)
            m.addresses.append({u32(b, pos), ttl});
        pos += rdlength;
    }
    return m;
}

QByteArray DnsMessage::withId(const QByteArray &bytes, quint16 id)
{
    QByteArray out = bytes;
    if (out.size() >= 2) {
        out[0] = char(id >> 8);
        out[1] = char(id & 0xFF);
    }
    return out;
}

QByteArray DnsMessage::failure(const QByteArray &query, int rcode)
{
    if (query.size() < kHeaderSize)
        return {};
    // The question is kept; no answers; QR set, RD copied, RA set, the rcode.
    int pos = kHeaderSize;
    const int questions = u16(query, 4);
    for (int q = 0; q < questions; ++q) {
        if (!readName(query, pos) || pos + 4 > query.size())
            return {};
        pos += 4;
    }
    QByteArray out = query.left(pos);
    out[2] = char(0x80 | (quint8(query[2]) & 0x01));
    out[3] = char(0x80 | (rcode & 0x0F));
    for (int i = 6; i < kHeaderSize; ++i)
        out[i] = 0;
    // A question compressed against bytes past itself cannot be kept.
    if (!parse(out)) {
        out.truncate(kHeaderSize);
        out[4] = out[5] = 0;
    }
    return out;
}
