// SPDX-License-Identifier: GPL-3.0-or-later
#include "CodeInputHistory.h"

void CodeInputHistory::add(const QString &code)
{
    if (!code.trimmed().isEmpty() && (m_entries.isEmpty() || m_entries.last() != code)) {
        m_entries.append(code);
        if (m_entries.size() > kMaxEntries)
            m_entries.removeFirst();
    }
    m_pos = m_entries.size();
    m_draft.clear();
}

std::optional<QString> CodeInputHistory::older(const QString &current)
{
    if (m_pos <= 0)
        return std::nullopt;
    if (m_pos == m_entries.size())
        m_draft = current;
    --m_pos;
    return m_entries.at(m_pos);
}

std::optional<QString> CodeInputHistory::newer()
{
    if (m_pos >= m_entries.size())
        return std::nullopt;
    ++m_pos;
    return m_pos == m_entries.size() ? m_draft : m_entries.at(m_pos);
}
