// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "NetworkPolicy.h"

#include <QJsonObject>

// A network policy as the desktop's forms handle it: one rule per line in
// the text boxes, the fields of a request, a few words in the Overview.
// Pure functions.
namespace NetworkPolicyForm {
// The rules of a text box, one per line (blank lines and surrounding spaces
// ignored, repeats kept once), each checked as the engine checks it; a
// refusal names the list (`listName`, "Allow list") and the line.
Result<QList<NetworkRule>> parseLines(const QString &text, const QString &listName);
QString toLines(const QList<NetworkRule> &rules);
QStringList texts(const QList<NetworkRule> &rules);

// `allow_internet_access` and `network` as a request carries them. `all`:
// every field, so what is sent is exactly what will be in force (a change of
// a live sandbox); otherwise only what differs from the engine's defaults
// (a create body).
QJsonObject requestFields(const NetworkPolicy &policy, bool all);

// What the policy does, in a few words: "Open to the internet", "Closed
// except the allow list", …
QString headline(const NetworkPolicy &policy);
} // namespace NetworkPolicyForm
