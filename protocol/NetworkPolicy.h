// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "NetworkRule.h"
#include "Result.h"

#include <QJsonObject>
#include <QList>

// Where a sandbox may connect to (docs/api.md, "Network").
//
// The desktop's copy of the engine's type while the engine's network work is
// not on main yet; main's version replaces this file at the merge.
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

    // {"allow_internet_access": bool, "allow_out": [...], "deny_out": [...]}
    QJsonObject toJson() const;
    // The inverse of toJson(); rules that do not parse are left out.
    static NetworkPolicy fromJson(const QJsonObject &o);

    bool operator==(const NetworkPolicy &o) const
    {
        return allowInternetAccess == o.allowInternetAccess && allowOut == o.allowOut && denyOut == o.denyOut;
    }
};
