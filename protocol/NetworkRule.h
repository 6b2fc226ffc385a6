// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Result.h"

#include <QString>

#include <optional>

// One destination of a sandbox's network policy: an IPv4 address or CIDR
// ("198.51.100.0/24"), a host name ("registry.npmjs.org"), or a host name
// pattern ("*.debian.org": its subdomains, not the name itself).
//
// The desktop's copy of the engine's type while the engine's network work is
// not on main yet; main's version replaces this file at the merge.
class NetworkRule
{
public:
    enum class Kind { Cidr, Host, Subdomains };

    // Pure: the rule a user wrote, or a sentence saying why it is none.
    static Result<NetworkRule> parse(const QString &text);
    // A dotted quad, strictly: four decimal parts 0 … 255, no leading zeros.
    static std::optional<quint32> parseIPv4(const QString &text);
    static QString formatIPv4(quint32 address);

    Kind kind() const { return m_kind; }
    // The rule as it is shown and stored (an address without "/32", names
    // in lowercase).
    QString text() const;

    bool operator==(const NetworkRule &o) const
    {
        return m_kind == o.m_kind && m_address == o.m_address && m_prefix == o.m_prefix && m_host == o.m_host;
    }

private:
    Kind m_kind = Kind::Cidr;
    quint32 m_address = 0;
    int m_prefix = 32;
    QString m_host;
};
