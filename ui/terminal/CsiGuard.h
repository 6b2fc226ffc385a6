// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>

// A byte filter in front of libvterm 0.1.4 (Debian 12), which any program in
// a sandbox could otherwise crash or hang through its PTY output:
// - a control sequence with more than 16 arguments writes past libvterm's
//   argument array (`printf '\e[;;;;;;;;;;;;;;;;m'`): the guard keeps the
//   first 16 arguments and drops the rest;
// - REP (CSI n b, repeat the last character) loops for ever when that
//   character has no width (nothing printed yet, a combining mark on its own,
//   a C1 code point): the guard carries REP out itself, by writing the last
//   character again n times (at most a row's width), so libvterm never runs
//   one;
// - a C1 code point written as text (U+0080 to U+009F, UTF-8 C2 80 to C2 9F)
//   has a width of -1 there and moves the cursor backwards, and in insert
//   mode crashes it: the guard turns it into U+00BF (¿) by changing its
//   second byte, so nothing needs to be held back;
// - a cursor restored (DECRC, SCORC, leaving the alternate screen) after a
//   resize lands where it was saved, possibly off the screen, and text then
//   goes to a row that does not exist: the guard follows every restore with
//   a sequence that only brings the cursor back into the screen.
// To know which bytes are a control sequence the guard follows libvterm's
// own parser state by state (C0 controls inside a sequence do not end it,
// ESC with intermediates and '[' starts one, DCS and OSC strings run to ST
// or BEL …); everything else passes untouched. It is stateful because a PTY
// may cut a sequence anywhere.
//
// On the way it remembers the few modes under which plain lines do not
// simply scroll the whole screen (scroll margins, origin mode, left/right
// margins, no autowrap, the line-drawing character set): TerminalScreen's jump scroll is
// only used when none of them is on.
class CsiGuard
{
public:
    static constexpr int kMaxSeparators = 15; // 16 arguments
    // Bytes of the last character kept for REP (a base and its marks).
    static constexpr int kMaxGlyphBytes = 64;

    // The bytes to give libvterm; `in` itself when nothing had to change.
    QByteArray filter(const QByteArray &in);
    // The screen's width: a REP writes at most this many characters.
    void setColumns(int cols) { m_columns = cols; }

    // Outside any escape sequence after the bytes filtered so far.
    bool inGround() const { return m_state == State::Ground; }
    // Scroll margins as last set by DECSTBM (0: default).
    int marginTop() const { return m_marginTop; }
    int marginBottom() const { return m_marginBottom; }
    // Origin mode, left/right margin mode, no autowrap or a non-ASCII G0
    // character set.
    bool unusualMode() const { return m_originMode || m_lrMode || m_noAutowrap || m_specialCharset; }

private:
    // libvterm's parser states (String: inside a DCS or OSC string;
    // EscInString: an ESC there, which ends it).
    enum class State : quint8 { Ground, Escape, Csi, String, EscInString };
    enum class CsiPhase : quint8 { Leader, Args, Intermediate };
    void startCsi();
    // The modes a control sequence's final byte sets.
    void finishCsi(unsigned char final);
    void escapeFinal(unsigned char c);
    // Whether the control sequence just ended puts back a saved cursor.
    bool restoresCursor(unsigned char final) const;
    // A byte of text (0x20 and up, not DEL); returns the byte libvterm gets.
    unsigned char text(unsigned char c);
    void characterRead(bool valid);

    State m_state = State::Ground;
    int m_columns = 80;
    // Escape
    int m_escIntermediates = 0;
    char m_firstIntermediate = 0;
    // Csi
    CsiPhase m_phase = CsiPhase::Leader;
    int m_separators = 0;
    bool m_dropping = false;
    char m_private = 0;
    bool m_intermediate = false;
    bool m_bang = false;
    int m_params[2] = {0, 0};
    // Text: the UTF-8 character being read, and the last whole one.
    QByteArray m_partial;
    int m_remaining = 0;
    quint32 m_codepoint = 0;
    QByteArray m_glyph;
    bool m_textRun = false; // nothing but text since the last character
    // Modes
    int m_marginTop = 0;
    int m_marginBottom = 0;
    bool m_originMode = false;
    bool m_lrMode = false;
    bool m_noAutowrap = false;
    bool m_specialCharset = false;
};
