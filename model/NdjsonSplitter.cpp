// SPDX-License-Identifier: GPL-3.0-or-later
#include "NdjsonSplitter.h"

QList<QByteArray> NdjsonSplitter::feed(QByteArrayView chunk)
{
    QList<QByteArray> lines;
    while (!chunk.isEmpty()) {
        const qsizetype nl = chunk.indexOf('\n');
        const QByteArrayView piece = nl < 0 ? chunk : chunk.first(nl);
        if (!m_skipping) {
            if (m_partial.size() + piece.size() > m_maxLine) {
                m_partial.clear();
                m_skipping = true;
                m_overflowed = true;
            } else {
                m_partial.append(piece);
            }
        }
        if (nl < 0)
            break;
        if (!m_skipping)
            lines.append(std::exchange(m_partial, QByteArray()));
        m_skipping = false;
        chunk = chunk.sliced(nl + 1);
    }
    return lines;
}

QByteArray NdjsonSplitter::finish()
{
    m_skipping = false;
    return std::exchange(m_partial, QByteArray());
}
