// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Result.h"

#include <QSet>
#include <QString>

#include <optional>

// The IPv4 range the engine hands sandbox networks out of, cut into blocks
// of four addresses: block i is [base + 4i, base + 4i + 4), its second
// address the host's end of the sandbox's link (the gateway), its third the
// sandbox's own. A /30 per sandbox keeps each link a network of its own, so
// the kernel routes between the host and each sandbox without a bridge.
class AddressPool
{
public:
    static constexpr int kMinPrefix = 12; // 262144 sandboxes at most
    static constexpr int kMaxPrefix = 28; // 4 sandboxes at least

    // Pure: "100.72.0.0/16", or a sentence.
    static Result<AddressPool> parse(const QString &cidr);

    quint32 base() const { return m_base; }
    int prefix() const { return m_prefix; }
    int blocks() const { return 1 << (30 - m_prefix); }
    QString text() const;

    quint32 gateway(int block) const { return m_base + quint32(block) * 4 + 1; }
    quint32 address(int block) const { return m_base + quint32(block) * 4 + 2; }
    // The block whose sandbox address this is; nullopt for any other address.
    std::optional<int> blockOf(quint32 sandboxAddress) const;
    // The lowest block not in use; nullopt when all are.
    std::optional<int> allocate(const QSet<int> &inUse) const;
    bool contains(quint32 address) const;

private:
    quint32 m_base = 0;
    int m_prefix = 16;
};
