// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Result.h"

#include <QString>

#include <optional>

// One destination of a sandbox's network policy: an IPv4 address or CIDR
// ("198.51.100.0/24"), a host name ("registry.npmjs.org"), or a host name
// pattern ("*.debian.org": its subdomains, not the name itself).
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
    // Cidr: the network address and prefix length (32 for an address).
    quint32 address() const { return m_address; }
    int prefix() const { return m_prefix; }
    // Host and Subdomains: the lowercase name, without "*." and a final dot.
    const QString &host() const { return m_host; }

    // The rule as it is shown and stored ("198.51.100.7/32" is shown as
    // "198.51.100.7", names in lowercase).
    QString text() const;
    // Whether a Host or Subdomains rule covers a name (case-insensitive;
    // a final dot is ignored). False for Cidr rules.
    bool matchesName(const QString &name) const;
    // Whether a Cidr rule covers an address. False for name rules.
    bool matchesAddress(quint32 address) const;

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
