// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

#include <optional>

// The inputs a console ran, for recalling with Up and Down like a shell:
// older() from the newest backwards, newer() back towards what was being
// typed (kept aside as the draft when recalling started). Pure.
class CodeInputHistory
{
public:
    static constexpr int kMaxEntries = 500;

    // A run input: blank ones and a repeat of the newest are not kept.
    void add(const QString &code);
    // The entry before the one shown, or nothing at the oldest. `current`
    // is what the editor holds (kept as the draft when leaving it).
    std::optional<QString> older(const QString &current);
    // The entry after the one shown, the draft after the newest, or nothing
    // when the draft is already shown.
    std::optional<QString> newer();
    const QStringList &entries() const { return m_entries; }

private:
    QStringList m_entries;
    qsizetype m_pos = 0; // == m_entries.size(): the draft is shown
    QString m_draft;
};
