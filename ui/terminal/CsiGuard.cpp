// SPDX-License-Identifier: GPL-3.0-or-later
#include "CsiGuard.h"

#include <QChar>

#include <algorithm>

namespace {

// libvterm's (Markus Kuhn's) zero-width characters, generously: marks,
// format characters and the Hangul medial vowels.
bool zeroWidth(quint32 cp)
{
    if (cp >= 0x1160 && cp <= 0x11ff)
        return true;
    if (cp > 0x10ffff)
        return false;
    switch (QChar::category(char32_t(cp))) {
    case QChar::Mark_NonSpacing:
    case QChar::Mark_SpacingCombining:
    case QChar::Mark_Enclosing:
    case QChar::Other_Format:
        return true;
    default:
        return false;
    }
}

const QByteArray kReplacement("\xef\xbf\xbd"); // U+FFFD, as libvterm shows a broken sequence
// A cursor restored after a resize may lie outside the screen: libvterm
// 0.1.4 keeps the saved position as it was. Every control sequence it
// carries out ends by bringing the cursor into the screen; DSR 0 (a report
// it ignores) does that and nothing else.
const QByteArray kClampCursor("\x1b[0n");

} // namespace

void CsiGuard::startCsi()
{
    m_state = State::Csi;
    m_phase = CsiPhase::Leader;
    m_separators = 0;
    m_dropping = false;
    m_private = 0;
    m_intermediate = m_bang = false;
    m_params[0] = m_params[1] = 0;
}

void CsiGuard::finishCsi(unsigned char final)
{
    if (m_private == 0 && !m_intermediate && final == 'r') {
        m_marginTop = m_params[0];
        m_marginBottom = m_params[1];
    } else if (m_private == 0 && m_bang && final == 'p') { // DECSTR, a soft reset
        m_marginTop = m_marginBottom = 0;
        m_originMode = false;
    } else if (m_private == '?' && !m_intermediate && (final == 'h' || final == 'l')) {
        for (int p : m_params) {
            if (p == 6)
                m_originMode = final == 'h';
            else if (p == 69)
                m_lrMode = final == 'h';
            else if (p == 7)
                m_noAutowrap = final == 'l';
        }
    }
}

bool CsiGuard::restoresCursor(unsigned char final) const
{
    if (m_intermediate)
        return false;
    if (m_private == 0)
        return final == 'u'; // SCORC
    // Leaving the alternate screen with the cursor saved on entry.
    return m_private == '?' && final == 'l' && (m_params[0] == 1048 || m_params[0] == 1049 || m_params[1] == 1048 || m_params[1] == 1049);
}

void CsiGuard::escapeFinal(unsigned char c)
{
    if (m_escIntermediates == 0 && c == 'c') { // RIS, a full reset
        m_marginTop = m_marginBottom = 0;
        m_originMode = m_lrMode = m_noAutowrap = m_specialCharset = false;
    } else if (m_escIntermediates == 1 && m_firstIntermediate == '(') { // G0 character set
        m_specialCharset = c != 'B';
    }
}

void CsiGuard::characterRead(bool valid)
{
    if (!valid) {
        m_glyph = kReplacement;
    } else if (zeroWidth(m_codepoint) && m_textRun && !m_glyph.isEmpty()) {
        // A mark that joins the character before it.
        if (m_glyph.size() + m_partial.size() <= kMaxGlyphBytes)
            m_glyph += m_partial;
    } else {
        m_glyph = m_partial;
    }
    m_textRun = true;
    m_partial.clear();
}

unsigned char CsiGuard::text(unsigned char c)
{
    // As libvterm's UTF-8 decoder: a sequence cut short is one U+FFFD.
    if (c < 0x80 || c >= 0xc0) {
        if (m_remaining > 0) {
            m_remaining = 0;
            characterRead(false);
        }
        if (c < 0x80) {
            m_glyph = QByteArray(1, char(c));
            m_textRun = true;
            return c;
        }
        static constexpr unsigned char kLeads[] = {0xe0, 0xf0, 0xf8, 0xfc, 0xfe};
        const int length = int(std::find_if(std::begin(kLeads), std::end(kLeads), [c](unsigned char l) { return c < l; }) -
                               std::begin(kLeads)) + 2;
        if (length > 6) {
            m_partial.clear();
            characterRead(false);
            return c;
        }
        m_partial = QByteArray(1, char(c));
        m_remaining = length - 1;
        m_codepoint = c & (0x7f >> length);
        return c;
    }
    if (m_remaining == 0) { // a continuation byte on its own
        characterRead(false);
        return c;
    }
    // A C1 control written as text (C2 80 … C2 9F) has a width of -1 in
    // libvterm: it becomes U+00BF, one column wide.
    if (m_partial.size() == 1 && static_cast<unsigned char>(m_partial.at(0)) == 0xc2 && c < 0xa0)
        c = 0xbf;
    m_codepoint = (m_codepoint << 6) | (c & 0x3f);
    m_partial.append(char(c));
    if (--m_remaining > 0)
        return c;
    static constexpr quint32 kSmallest[] = {0, 0, 0x80, 0x800, 0x10000, 0x200000, 0x4000000};
    const qsizetype length = m_partial.size();
    const bool valid = m_codepoint >= kSmallest[length] && !(m_codepoint >= 0xd800 && m_codepoint <= 0xdfff) &&
                       m_codepoint != 0xfffe && m_codepoint != 0xffff;
    characterRead(valid);
    return c;
}

QByteArray CsiGuard::filter(const QByteArray &in)
{
    const qsizetype n = in.size();
    const auto *p = reinterpret_cast<const unsigned char *>(in.constData());
    qsizetype i = 0;
    // Fast path: plain ASCII text needs no look at every byte's meaning.
    if (m_state == State::Ground && m_remaining == 0) {
        while (i < n && p[i] != 0x1b && p[i] < 0x80)
            ++i;
        qsizetype last = i - 1; // the last character printed, if any
        while (last >= 0 && (p[last] < 0x20 || p[last] == 0x7f))
            --last;
        if (last >= 0)
            m_glyph = QByteArray(1, char(p[last]));
        for (qsizetype j = std::max<qsizetype>(last, 0); j < i; ++j) {
            if (p[j] < 0x20 && p[j] != 0)
                m_textRun = false;
            else if (j == last)
                m_textRun = true;
        }
        if (i == n)
            return in;
    }
    QByteArray out;
    bool copying = false; // whether `out` holds the bytes before i
    auto diverge = [&](qsizetype at) {
        if (!copying) {
            out.reserve(n + 16);
            out.append(in.constData(), at);
            copying = true;
        }
    };
    for (; i < n; ++i) {
        unsigned char c = p[i];
        bool keep = true;
        // The order of libvterm's parser: NUL and DEL are ignored anywhere,
        // CAN and SUB cancel, ESC starts afresh (or ends a string), other C0
        // controls are carried out without changing the state.
        if (c == 0x00 || c == 0x7f) {
        } else if (c == 0x18 || c == 0x1a) {
            m_state = State::Ground;
        } else if (c == 0x1b) {
            m_state = m_state == State::String ? State::EscInString : State::Escape;
            m_escIntermediates = 0;
            m_firstIntermediate = 0;
        } else if (c < 0x20 && !(c == 0x07 && m_state == State::String)) {
            if (m_state == State::Ground)
                m_textRun = false;
        } else {
            switch (m_state) {
            case State::Ground: {
                const unsigned char given = text(c);
                if (given != c) {
                    diverge(i);
                    out.append(char(given));
                    continue;
                }
                break;
            }
            case State::String:
                if (c == 0x07)
                    m_state = State::Ground;
                break;
            case State::EscInString:
                if (c == '\\') { // ST
                    m_state = State::Ground;
                    break;
                }
                m_state = State::Escape;
                [[fallthrough]];
            case State::Escape:
                if (c == 'P' || c == ']') { // DCS, OSC: also after intermediates
                    m_state = State::String;
                } else if (c == '[') { // also after intermediates (ESC ( [)
                    startCsi();
                } else if (c >= 0x20 && c <= 0x2f) {
                    if (m_escIntermediates++ == 0)
                        m_firstIntermediate = char(c);
                } else if (m_escIntermediates == 0 && c >= 0x40 && c < 0x60) { // a C1 control
                    m_state = State::Ground;
                } else if (c >= 0x30 && c < 0x7f) {
                    escapeFinal(c);
                    m_state = State::Ground;
                    if (m_escIntermediates == 0 && c == '8') { // DECRC
                        diverge(i);
                        out.append(char(c));
                        out.append(kClampCursor);
                        continue;
                    }
                }
                // Any other byte leaves libvterm in the escape.
                break;
            case State::Csi:
                if (m_phase == CsiPhase::Leader) {
                    if (c >= 0x3c && c <= 0x3f) {
                        m_private = char(c);
                        break;
                    }
                    m_phase = CsiPhase::Args;
                }
                if (m_phase == CsiPhase::Args) {
                    if (c >= '0' && c <= '9') {
                        if (m_separators < 2)
                            m_params[m_separators] = qMin(m_params[m_separators] * 10 + (c - '0'), 100000);
                        keep = !m_dropping;
                        break;
                    }
                    if (c == ';' || c == ':') {
                        m_dropping |= ++m_separators > kMaxSeparators;
                        keep = !m_dropping;
                        break;
                    }
                    m_phase = CsiPhase::Intermediate;
                }
                if (c >= 0x20 && c <= 0x2f) {
                    m_intermediate = true;
                    m_bang |= c == '!';
                    break;
                }
                m_state = State::Ground; // ended, by a final byte or an invalid one
                if (c < 0x40 || c > 0x7e)
                    break;
                finishCsi(c);
                if (restoresCursor(c)) {
                    diverge(i);
                    out.append(char(c));
                    out.append(kClampCursor);
                    continue;
                }
                if (c == 'b' && m_private == 0 && !m_intermediate) {
                    // REP: carried out here. The sequence libvterm has begun
                    // ends with a final byte it does nothing for (DECTST),
                    // then the last character follows as text.
                    diverge(i);
                    out.append('y');
                    const int count = std::clamp(m_params[0], 1, std::max(m_columns, 1));
                    if (!m_glyph.isEmpty()) {
                        out.reserve(out.size() + count * m_glyph.size());
                        for (int k = 0; k < count; ++k)
                            out.append(m_glyph);
                    }
                    continue;
                }
                break;
            }
        }
        if (!keep)
            diverge(i);
        else if (copying)
            out.append(char(c));
    }
    return copying ? out : in;
}
