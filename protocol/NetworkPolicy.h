// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "NetworkRule.h"
#include "Result.h"

#include <QJsonObject>
#include <QList>

// Where a sandbox may connect to (docs/api.md, "Network"). Beyond it, some
// destinations are always closed; the engine decides those.
struct NetworkPolicy
{
    static constexpr int kMaxRules = 256;

    bool allowInternetAccess = true;
    QList<NetworkRule> allowOut;
    QList<NetworkRule> denyOut;

    // Pure: reads `allow_internet_access` and `network` of a create or
    // update body onto `base`; a field that is given replaces the one in
    // `base`, a missing one keeps it. Every failure is a sentence.
    static Result<NetworkPolicy> apply(const NetworkPolicy &base, const QJsonObject &body);
    // Whether a body has anything for apply().
    static bool mentions(const QJsonObject &body);

    // {"allow_internet_access": bool, "allow_out": [...], "deny_out": [...]}
    QJsonObject toJson() const;
    // The inverse of toJson(), for what the engine stored or answered;
    // rules that do not parse are left out.
    static NetworkPolicy fromJson(const QJsonObject &o);

    bool hasNameRules() const;
    bool operator==(const NetworkPolicy &o) const
    {
        return allowInternetAccess == o.allowInternetAccess && allowOut == o.allowOut && denyOut == o.denyOut;
    }
};
