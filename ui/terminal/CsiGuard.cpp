// SPDX-License-Identifier: GPL-3.0-or-later
#include "CsiGuard.h"

QByteArray CsiGuard::filter(const QByteArray &in)
{
    const qsizetype n = in.size();
    const char *p = in.constData();
    qsizetype i = 0;
    // Fast path: plain text outside a sequence needs no look at every byte.
    if (m_state == State::Ground) {
        const qsizetype esc = in.indexOf('\x1b');
        if (esc < 0)
            return in;
        i = esc;
    }
    QByteArray out;
    bool copying = false; // whether `out` holds the kept bytes before i
    auto drop = [&](qsizetype at) {
        if (!copying) {
            out.reserve(n);
            out.append(p, at);
            copying = true;
        }
    };
    for (; i < n; ++i) {
        const auto c = static_cast<unsigned char>(p[i]);
        bool keep = true;
        switch (m_state) {
        case State::Ground:
            if (c == 0x1b)
                m_state = State::Escape;
            break;
        case State::Escape:
            if (c == '[') {
                m_state = State::Csi;
                m_separators = 0;
                m_dropping = false;
            } else if (c != 0x1b) {
                m_state = State::Ground;
            }
            break;
        case State::Csi:
            if (c >= 0x30 && c <= 0x3f) { // parameter bytes: digits, ';', ':', '<=>?'
                if (c == ';' || c == ':')
                    m_dropping |= ++m_separators > kMaxSeparators;
                keep = !m_dropping;
            } else if (c >= 0x40 && c <= 0x7e) { // final byte
                m_state = State::Ground;
            } else if (c == 0x1b) {
                m_state = State::Escape;
            } else if (c == 0x18 || c == 0x1a) { // CAN, SUB abort the sequence
                m_state = State::Ground;
            }
            break;
        }
        if (!keep)
            drop(i);
        else if (copying)
            out.append(char(c));
    }
    return copying ? out : in;
}
