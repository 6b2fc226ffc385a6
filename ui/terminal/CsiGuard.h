// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>

// A byte filter in front of libvterm. libvterm 0.1.4 (Debian 12) writes past
// its 16-entry argument array when a control sequence (ESC [ …, and also
// ESC followed by intermediate bytes and '[', as in ESC - [ …) has more
// arguments, so any program in a sandbox could crash the app with
// `printf '\e[;;;;;;;;;;;;;;;;m'`. The guard keeps the first 16 arguments of
// every such sequence and drops the rest; everything else passes untouched.
// It is stateful because a PTY may cut a sequence anywhere.
//
// On the way it remembers the few modes under which plain lines do not
// simply scroll the whole screen (scroll margins, origin mode, left/right
// margins, no autowrap, the line-drawing character set): TerminalScreen's jump scroll is
// only used when none of them is on.
class CsiGuard
{
public:
    static constexpr int kMaxSeparators = 15; // 16 arguments

    // The bytes to give libvterm; `in` itself when nothing had to go.
    QByteArray filter(const QByteArray &in);

    // Outside any escape sequence after the bytes filtered so far.
    bool inGround() const { return m_state == State::Ground; }
    // Scroll margins as last set by DECSTBM (0: default).
    int marginTop() const { return m_marginTop; }
    int marginBottom() const { return m_marginBottom; }
    // Origin mode, left/right margin mode, no autowrap or a non-ASCII G0
    // character set.
    bool unusualMode() const { return m_originMode || m_lrMode || m_noAutowrap || m_specialCharset; }

private:
    // EscIntermediate: ESC and intermediate bytes (0x20-0x2F), after which
    // libvterm 0.1.4 takes '[' as the start of a control sequence too.
    enum class State : quint8 { Ground, Escape, Charset, EscIntermediate, Csi };
    void startCsi();
    void finishCsi(unsigned char final);
    void notePrinted(const char *p, qsizetype n);

    State m_state = State::Ground;
    int m_separators = 0;
    bool m_dropping = false;
    // The sequence being read, as far as the modes above need it.
    char m_private = 0;
    bool m_intermediate = false;
    bool m_bang = false;
    int m_params[2] = {0, 0};
    int m_marginTop = 0;
    int m_marginBottom = 0;
    bool m_originMode = false;
    bool m_lrMode = false;
    bool m_noAutowrap = false;
    bool m_specialCharset = false;
    // An ASCII character was printed since the start (RIS does not make
    // libvterm forget its last character, so it does not reset this).
    bool m_printed = false;
};
