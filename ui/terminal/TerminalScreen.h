// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "CsiGuard.h"
#include "TerminalCell.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPoint>
#include <QRect>
#include <QString>
#include <QTimer>

#include <deque>

struct VTerm;
struct VTermScreen;

// The emulator: libvterm's state plus our scrollback, fed with the bytes a
// PTY writes. No widgets, so every escape sequence can be tested without a
// display. Rows 0 … rows()-1 are the screen; rows -1 … -scrollbackLines()
// are the scrollback, -1 being the most recent line that scrolled off.
//
// Input goes the other way: keys and text are encoded by libvterm (so the
// cursor-key and keypad modes the program set are honoured) and come out of
// outputReady() as bytes for the PTY.
class TerminalScreen : public QObject
{
    Q_OBJECT
public:
    enum class CursorShape { Block, Underline, Bar };
    enum class Key {
        Enter, Tab, Backspace, Escape, Up, Down, Left, Right,
        Insert, Delete, Home, End, PageUp, PageDown, KeypadEnter,
    };

    explicit TerminalScreen(int rows = 24, int cols = 80, QObject *parent = nullptr);
    ~TerminalScreen() override;

    // Feeds output of the PTY at once; damaged() follows when something
    // changed. Long runs of plain lines that scroll the whole screen take a
    // shortcut ("jump scroll"): the lines that would only pass through the
    // screen go to the scrollback directly, with the same cells libvterm
    // would have given them.
    void write(const QByteArray &bytes);
    // Queues output and writes it in slices of at most kSliceMs per turn of
    // the event loop, so a flood never holds up painting and input.
    void feed(const QByteArray &bytes);
    qsizetype backlog() const { return m_backlogBytes; }
    void setJumpScroll(bool on) { m_jumpScroll = on; }
    static constexpr int kSliceMs = 8;
    // libvterm 0.1.4 dereferences NULL when a wide character meets a screen
    // of one column (found by fuzz/, fuzz/crashes/terminal_screen/), so a
    // screen has at least two.
    static constexpr int kMinCols = 2;
    void resize(int rows, int cols);
    void reset();

    int rows() const { return m_rows; }
    int cols() const { return m_cols; }
    TerminalCell cell(int row, int col) const;
    // A row's text without trailing blanks (wide characters counted once).
    QString lineText(int row) const;
    // Text of the cells from (startRow, startCol) to (endRow, endCol)
    // inclusive, in reading order, lines joined by '\n', trailing blanks of
    // each line dropped. Rows follow the numbering above.
    QString text(int startRow, int startCol, int endRow, int endCol) const;

    int scrollbackLines() const { return int(m_scrollback.size()); }
    int scrollbackLimit() const { return m_scrollbackLimit; }
    void setScrollbackLimit(int lines);
    // Lines that ever went into the scrollback; a view compares it between
    // frames to keep a scrolled-back position still while output arrives.
    quint64 linesPushed() const { return m_linesPushed; }

    QPoint cursor() const { return m_cursor; } // x = column, y = row
    bool cursorVisible() const { return m_cursorVisible; }
    bool cursorBlink() const { return m_cursorBlink; }
    CursorShape cursorShape() const { return m_cursorShape; }
    bool altScreen() const { return m_altScreen; }
    bool reverseVideo() const { return m_reverseVideo; }
    bool mouseReporting() const { return m_mouseMode != 0; }
    QString title() const { return m_title; }
    // True while the program asked for bracketed paste (DECSET 2004).
    bool bracketedPaste() const;

    // The union of cells changed since the last takeDamage(), in screen rows.
    QRect takeDamage();
    bool hasDamage() const { return !m_damage.isEmpty(); }

    // Input.
    void sendKey(Key key, Qt::KeyboardModifiers mods = Qt::NoModifier);
    void sendFunctionKey(int n, Qt::KeyboardModifiers mods = Qt::NoModifier);
    void sendText(const QString &text, Qt::KeyboardModifiers mods = Qt::NoModifier);
    // Pastes text the way terminals do: newlines become carriage returns,
    // wrapped in ESC[200~ … ESC[201~ when the program asked for it.
    void paste(const QString &text);

Q_SIGNALS:
    void damaged();
    void outputReady(const QByteArray &bytes);
    void titleChanged(const QString &title);
    void altScreenChanged(bool on);
    void bell();

private:
    // libvterm's callbacks, in the .cpp (its types are anonymous structs).
    friend struct TerminalScreenCallbacks;
    using Line = QList<TerminalCell>; // trailing blank cells dropped

    void addDamage(const QRect &r);
    void flushOutput();
    void signalDamage();
    void pushToScrollback(Line &&line);
    bool jumpScrollAllowed() const;
    bool jumpScroll(const char *data, qsizetype len);
    void drainBacklog();

    VTerm *m_vt = nullptr;
    VTermScreen *m_screen = nullptr;
    int m_rows = 0;
    int m_cols = 0;
    std::deque<Line> m_scrollback;
    int m_scrollbackLimit = 10000;
    quint64 m_linesPushed = 0;
    QPoint m_cursor;
    bool m_cursorVisible = true;
    bool m_cursorBlink = true;
    CursorShape m_cursorShape = CursorShape::Block;
    bool m_altScreen = false;
    bool m_reverseVideo = false;
    int m_mouseMode = 0;
    QString m_title;
    QRect m_damage;
    bool m_damageSignalled = false;
    QByteArray m_output;
    CsiGuard m_guard;
    bool m_jumpScroll = true;
    std::deque<QByteArray> m_backlog;
    qsizetype m_backlogBytes = 0;
    qsizetype m_backlogOffset = 0; // into m_backlog.front()
    qsizetype m_pieceSize = 16 * 1024;
    QTimer *m_feedTimer = nullptr;
    mutable bool m_probing = false;
    mutable QByteArray m_probe;
};
