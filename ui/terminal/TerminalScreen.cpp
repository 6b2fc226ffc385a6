// SPDX-License-Identifier: GPL-3.0-or-later
#include "TerminalScreen.h"

#include "TerminalLogging.h"

#include <vterm.h>

#include <QElapsedTimer>

#include <cstring>

#include <algorithm>

namespace {

constexpr uint32_t kWideContinuation = 0xffffffffu; // libvterm's mark for the right half of a wide character

TerminalColor fromVTerm(const VTermColor &c, bool foreground)
{
    if (foreground ? VTERM_COLOR_IS_DEFAULT_FG(&c) : VTERM_COLOR_IS_DEFAULT_BG(&c))
        return {};
    if (VTERM_COLOR_IS_INDEXED(&c))
        return TerminalColor::indexed(c.indexed.idx);
    return TerminalColor::fromRgb(c.rgb.red, c.rgb.green, c.rgb.blue);
}

VTermColor toVTerm(const TerminalColor &c, bool foreground)
{
    VTermColor v;
    switch (c.kind) {
    case TerminalColor::Indexed:
        vterm_color_indexed(&v, c.index);
        break;
    case TerminalColor::Rgb:
        vterm_color_rgb(&v, uint8_t(qRed(c.rgb)), uint8_t(qGreen(c.rgb)), uint8_t(qBlue(c.rgb)));
        break;
    case TerminalColor::Default:
        vterm_color_rgb(&v, 0, 0, 0);
        v.type |= foreground ? VTERM_COLOR_DEFAULT_FG : VTERM_COLOR_DEFAULT_BG;
        break;
    }
    return v;
}

TerminalCell fromVTerm(const VTermScreenCell &c)
{
    TerminalCell t;
    if (c.chars[0] == kWideContinuation) {
        t.width = 0;
    } else {
        for (int i = 0; i < VTERM_MAX_CHARS_PER_CELL && i < TerminalCell::kMaxChars && c.chars[i]; ++i)
            t.chars[size_t(i)] = char32_t(c.chars[i]);
        t.width = qint8(c.width);
    }
    t.bold = c.attrs.bold;
    t.italic = c.attrs.italic;
    t.blink = c.attrs.blink;
    t.reverse = c.attrs.reverse;
    t.strike = c.attrs.strike;
    t.underline = quint8(c.attrs.underline);
    t.fg = fromVTerm(c.fg, true);
    t.bg = fromVTerm(c.bg, false);
    return t;
}

void toVTerm(const TerminalCell &t, VTermScreenCell *c)
{
    *c = VTermScreenCell{};
    if (t.width == 0) {
        c->chars[0] = kWideContinuation;
        c->width = 1;
    } else {
        for (int i = 0; i < VTERM_MAX_CHARS_PER_CELL && i < TerminalCell::kMaxChars; ++i)
            c->chars[i] = uint32_t(t.chars[size_t(i)]);
        c->width = char(t.width);
    }
    c->attrs.bold = t.bold;
    c->attrs.italic = t.italic;
    c->attrs.blink = t.blink;
    c->attrs.reverse = t.reverse;
    c->attrs.strike = t.strike;
    c->attrs.underline = t.underline & 3;
    c->fg = toVTerm(t.fg, true);
    c->bg = toVTerm(t.bg, false);
}

bool isBlank(const TerminalCell &c)
{
    return c.isEmpty() && c.width == 1 && c.bg.isDefault() && !c.reverse;
}

VTermModifier toVTerm(Qt::KeyboardModifiers mods)
{
    int m = VTERM_MOD_NONE;
    if (mods & Qt::ShiftModifier)
        m |= VTERM_MOD_SHIFT;
    if (mods & Qt::AltModifier)
        m |= VTERM_MOD_ALT;
    if (mods & Qt::ControlModifier)
        m |= VTERM_MOD_CTRL;
    return VTermModifier(m);
}

} // namespace

// The bridge from libvterm's C callbacks to the object.
struct TerminalScreenCallbacks
{
    static TerminalScreen *self(void *user) { return static_cast<TerminalScreen *>(user); }

    static int damage(VTermRect r, void *user)
    {
        self(user)->addDamage(QRect(r.start_col, r.start_row, r.end_col - r.start_col, r.end_row - r.start_row));
        return 1;
    }

    static int moveCursor(VTermPos pos, VTermPos old, int visible, void *user)
    {
        TerminalScreen *s = self(user);
        // libvterm 0.1.4 can report a row above the screen (-2 after a resize
        // with margins and origin mode, found by fuzz/); the view paints the
        // cursor where this says. (No upper clamp: during a resize m_rows is
        // still the old size.)
        s->m_cursor = QPoint(qMax(0, pos.col), qMax(0, pos.row));
        s->m_cursorVisible = visible;
        s->addDamage(QRect(0, old.row, s->m_cols, 1));
        s->addDamage(QRect(0, pos.row, s->m_cols, 1));
        return 1;
    }

    static int setTermProp(VTermProp prop, VTermValue *val, void *user)
    {
        TerminalScreen *s = self(user);
        switch (prop) {
        case VTERM_PROP_CURSORVISIBLE:
            s->m_cursorVisible = val->boolean;
            break;
        case VTERM_PROP_CURSORBLINK:
            s->m_cursorBlink = val->boolean;
            break;
        case VTERM_PROP_CURSORSHAPE:
            s->m_cursorShape = val->number == VTERM_PROP_CURSORSHAPE_UNDERLINE ? TerminalScreen::CursorShape::Underline
                : val->number == VTERM_PROP_CURSORSHAPE_BAR_LEFT             ? TerminalScreen::CursorShape::Bar
                                                                               : TerminalScreen::CursorShape::Block;
            break;
        case VTERM_PROP_ALTSCREEN:
            if (s->m_altScreen != bool(val->boolean)) {
                s->m_altScreen = val->boolean;
                s->addDamage(QRect(0, 0, s->m_cols, s->m_rows));
                Q_EMIT s->altScreenChanged(s->m_altScreen);
            }
            break;
        case VTERM_PROP_TITLE: {
            const QString title = QString::fromUtf8(val->string ? val->string : "");
            if (title != s->m_title) {
                s->m_title = title;
                Q_EMIT s->titleChanged(title);
            }
            break;
        }
        case VTERM_PROP_REVERSE:
            s->m_reverseVideo = val->boolean;
            s->addDamage(QRect(0, 0, s->m_cols, s->m_rows));
            break;
        case VTERM_PROP_MOUSE:
            s->m_mouseMode = val->number;
            break;
        default:
            break;
        }
        s->addDamage(QRect(0, s->m_cursor.y(), s->m_cols, 1));
        return 1;
    }

    static int bell(void *user)
    {
        Q_EMIT self(user)->bell();
        return 1;
    }

    static int pushLine(int cols, const VTermScreenCell *cells, void *user)
    {
        TerminalScreen *s = self(user);
        if (s->m_scrollbackLimit <= 0)
            return 0;
        TerminalScreen::Line line;
        line.reserve(cols);
        for (int i = 0; i < cols; ++i)
            line.append(fromVTerm(cells[i]));
        s->pushToScrollback(std::move(line));
        return 1;
    }

    static int popLine(int cols, VTermScreenCell *cells, void *user)
    {
        TerminalScreen *s = self(user);
        if (s->m_scrollback.empty())
            return 0;
        const TerminalScreen::Line line = std::move(s->m_scrollback.back());
        s->m_scrollback.pop_back();
        const TerminalCell blank;
        for (int i = 0; i < cols; ++i) {
            // A wide character in the last column of a narrower screen would
            // have libvterm 0.1.4 write its right half past the row, through
            // a null pointer (found by fuzz/, input kept in
            // fuzz/crashes/terminal_screen/wide-character-popped-into-last-column).
            const bool fits = i < line.size() && (line.at(i).width < 2 || i + 1 < cols);
            toVTerm(fits ? line.at(i) : blank, &cells[i]);
        }
        return 1;
    }

    static void output(const char *bytes, size_t len, void *user)
    {
        TerminalScreen *s = self(user);
        (s->m_probing ? s->m_probe : s->m_output).append(bytes, qsizetype(len));
    }
};

namespace {
const VTermScreenCallbacks kCallbacks = {
    &TerminalScreenCallbacks::damage,
    nullptr, // moverect: scrolls arrive as damage, which is all a frame-based view needs
    &TerminalScreenCallbacks::moveCursor,
    &TerminalScreenCallbacks::setTermProp,
    &TerminalScreenCallbacks::bell,
    nullptr, // resize
    &TerminalScreenCallbacks::pushLine,
    &TerminalScreenCallbacks::popLine,
};
} // namespace

TerminalScreen::TerminalScreen(int rows, int cols, QObject *parent)
    : QObject(parent)
    , m_rows(qMax(1, rows))
    , m_cols(qMax(kMinCols, cols))
{
    m_vt = vterm_new(m_rows, m_cols);
    vterm_set_utf8(m_vt, 1);
    vterm_output_set_callback(m_vt, &TerminalScreenCallbacks::output, this);
    m_screen = vterm_obtain_screen(m_vt);
    vterm_screen_set_callbacks(m_screen, &kCallbacks, this);
    vterm_screen_enable_altscreen(m_screen, 1);
    vterm_screen_set_damage_merge(m_screen, VTERM_DAMAGE_SCROLL);
    vterm_screen_reset(m_screen, 1);
    m_guard.setColumns(m_cols);
    m_damage = QRect(0, 0, m_cols, m_rows);
}

TerminalScreen::~TerminalScreen()
{
    vterm_free(m_vt);
}

void TerminalScreen::write(const QByteArray &bytes)
{
    if (bytes.isEmpty())
        return;
    const qsizetype n = bytes.size();
    qsizetype pos = 0;
    while (pos < n) {
        if (m_jumpScroll && jumpScrollAllowed()) {
            // The run of complete plain lines ("text\r\n") starting here.
            qsizetype end = pos;
            for (qsizetype i = pos; i < n; ++i) {
                const char c = bytes.at(i);
                if (c >= 0x20 && c <= 0x7e)
                    continue;
                if (c == '\r' && i + 1 < n && bytes.at(i + 1) == '\n') {
                    end = ++i + 1;
                    continue;
                }
                break;
            }
            if (end > pos && jumpScroll(bytes.constData() + pos, end - pos)) {
                pos = end;
                continue;
            }
        }
        // Line by line, so a flood that starts after a prompt or a colour
        // change can still take the shortcut.
        qsizetype next = bytes.indexOf('\n', pos);
        next = next < 0 ? n : next + 1;
        const QByteArray part = (pos == 0 && next == n) ? bytes : bytes.mid(pos, next - pos);
        const QByteArray safe = m_guard.filter(part);
        vterm_input_write(m_vt, safe.constData(), size_t(safe.size()));
        pos = next;
    }
    vterm_screen_flush_damage(m_screen);
    flushOutput(); // answers to queries such as "where is the cursor?"
    signalDamage();
}

void TerminalScreen::feed(const QByteArray &bytes)
{
    if (bytes.isEmpty())
        return;
    m_backlog.push_back(bytes);
    m_backlogBytes += bytes.size();
    if (!m_feedTimer) {
        m_feedTimer = new QTimer(this);
        m_feedTimer->setSingleShot(true);
        m_feedTimer->setInterval(0);
        connect(m_feedTimer, &QTimer::timeout, this, &TerminalScreen::drainBacklog);
    }
    if (!m_feedTimer->isActive())
        m_feedTimer->start();
}

void TerminalScreen::drainBacklog()
{
    // Pieces of up to 64 KiB: WebSocket messages are often a few KiB, and
    // jump scroll pays off the more lines it gets at once. Output libvterm
    // must take byte by byte (colours, cursor motion) is slower: the piece
    // shrinks until one fits in a slice.
    const qsizetype kPiece = m_pieceSize;
    QElapsedTimer clock;
    clock.start();
    while (!m_backlog.empty() && clock.elapsed() < kSliceMs) {
        QByteArray piece;
        while (!m_backlog.empty() && piece.size() < kPiece) {
            QByteArray &front = m_backlog.front();
            const qsizetype take = qMin(kPiece - piece.size(), front.size() - m_backlogOffset);
            if (piece.isEmpty() && m_backlogOffset == 0 && take == front.size())
                piece = front; // no copy
            else
                piece.append(front.constData() + m_backlogOffset, take);
            m_backlogOffset += take;
            if (m_backlogOffset >= front.size()) {
                m_backlog.pop_front();
                m_backlogOffset = 0;
            }
        }
        m_backlogBytes -= piece.size();
        const qint64 before = clock.nsecsElapsed();
        write(piece);
        const qint64 took = clock.nsecsElapsed() - before;
        if (took > kSliceMs * 1000000ll)
            m_pieceSize = qMax<qsizetype>(2048, m_pieceSize / 2);
        else if (took < kSliceMs * 250000ll)
            m_pieceSize = qMin<qsizetype>(64 * 1024, m_pieceSize * 2);
    }
    if (!m_backlog.empty())
        m_feedTimer->start();
}

void TerminalScreen::pushToScrollback(Line &&line)
{
    // Most lines are short: keep only up to the last non-blank cell.
    qsizetype used = line.size();
    while (used > 0 && isBlank(line.at(used - 1)))
        --used;
    if (used < line.size()) {
        line.resize(used);
        line.squeeze();
    }
    m_scrollback.push_back(std::move(line));
    while (int(m_scrollback.size()) > m_scrollbackLimit)
        m_scrollback.pop_front();
    ++m_linesPushed;
}

bool TerminalScreen::jumpScrollAllowed() const
{
    if (!m_guard.inGround() || m_altScreen || m_guard.unusualMode() || m_scrollbackLimit <= 0)
        return false;
    if (m_guard.marginTop() > 1 || (m_guard.marginBottom() != 0 && m_guard.marginBottom() < m_rows))
        return false;
    if (m_cursor != QPoint(0, m_rows - 1))
        return false;
    return vterm_screen_is_eol(m_screen, VTermPos{m_rows - 1, 0});
}

bool TerminalScreen::jumpScroll(const char *data, qsizetype len)
{
    // The rows the run occupies once wrapped at the screen's width.
    QList<QByteArrayView> rows;
    const char *end = data + len;
    for (const char *line = data; line < end;) {
        const char *cr = static_cast<const char *>(memchr(line, '\r', size_t(end - line)));
        const qsizetype width = cr - line;
        qsizetype at = 0;
        do {
            rows.append(QByteArrayView(line + at, qMin<qsizetype>(m_cols, width - at)));
            at += m_cols;
        } while (at < width);
        line = cr + 2;
    }
    const qsizetype m = rows.size();
    if (m < 2 * qsizetype(m_rows))
        return false; // short runs: libvterm is quick enough and exact by definition

    // What a real scroll would do, M times over: the rows above the cursor,
    // then all but the last rows-1 of the run go to the scrollback...
    VTermState *state = vterm_obtain_state(m_vt);
    VTermValue v;
    TerminalCell pen;
    vterm_state_get_penattr(state, VTERM_ATTR_BOLD, &v);
    pen.bold = v.boolean;
    vterm_state_get_penattr(state, VTERM_ATTR_UNDERLINE, &v);
    pen.underline = quint8(v.number & 3);
    vterm_state_get_penattr(state, VTERM_ATTR_ITALIC, &v);
    pen.italic = v.boolean;
    vterm_state_get_penattr(state, VTERM_ATTR_BLINK, &v);
    pen.blink = v.boolean;
    vterm_state_get_penattr(state, VTERM_ATTR_REVERSE, &v);
    pen.reverse = v.boolean;
    vterm_state_get_penattr(state, VTERM_ATTR_STRIKE, &v);
    pen.strike = v.boolean;
    vterm_state_get_penattr(state, VTERM_ATTR_FOREGROUND, &v);
    pen.fg = fromVTerm(v.color, true);
    vterm_state_get_penattr(state, VTERM_ATTR_BACKGROUND, &v);
    pen.bg = fromVTerm(v.color, false);
    TerminalCell blank = pen;
    blank.chars = {};
    const bool trailingBlank = isBlank(blank);

    auto screenRow = [this](int r) {
        Line line;
        line.reserve(m_cols);
        for (int c = 0; c < m_cols; ++c) {
            VTermScreenCell cell;
            vterm_screen_get_cell(m_screen, VTermPos{r, c}, &cell);
            line.append(fromVTerm(cell));
        }
        return line;
    };
    for (int r = 0; r < m_rows - 1; ++r)
        pushToScrollback(screenRow(r));
    const qsizetype toPush = m - (m_rows - 1);
    // Lines beyond the scrollback's limit would be dropped at once: count them only.
    const qsizetype skipped = qMax<qsizetype>(0, toPush - m_scrollbackLimit);
    m_linesPushed += quint64(skipped);
    for (qsizetype i = skipped; i < toPush; ++i) {
        // The first row is written over the cursor's row as it is; every
        // later one over a row the scroll brought in, blank in the pen.
        const QByteArrayView text = rows.at(i);
        Line line;
        if (i == 0) {
            line = screenRow(m_rows - 1);
            for (qsizetype c = 0; c < text.size(); ++c)
                line[c] = blank;
        } else {
            // Trailing blanks in the default colours would be trimmed anyway.
            line = Line(trailingBlank ? text.size() : m_cols, blank);
        }
        for (qsizetype c = 0; c < text.size(); ++c)
            line[c].chars[0] = char32_t(uchar(text.at(c)));
        pushToScrollback(std::move(line));
    }

    // ...and libvterm draws the last rows-1 on a screen cleared with the
    // same pen a scroll would have used, the cursor on the blank bottom row.
    QByteArray redraw = QByteArrayLiteral("\x1b[H\x1b[2J");
    for (int r = 0; r < m_rows - 1; ++r) {
        redraw += "\x1b[" + QByteArray::number(r + 1) + ";1H";
        redraw += rows.at(toPush + r).toByteArray();
    }
    redraw += "\x1b[" + QByteArray::number(m_rows) + ";1H";
    vterm_input_write(m_vt, redraw.constData(), size_t(redraw.size()));
    addDamage(QRect(0, 0, m_cols, m_rows));
    return true;
}

void TerminalScreen::resize(int rows, int cols)
{
    rows = qBound(1, rows, 1000);
    cols = qBound(kMinCols, cols, 1000);
    if (rows == m_rows && cols == m_cols)
        return;
    qCDebug(lcTerminal) << "resize to" << cols << "x" << rows;
    // libvterm 0.1.4 (Debian 12) keeps scroll margins (DECSTBM) across a
    // resize; once the top margin lies below a smaller screen, its next
    // scroll moves a negative number of bytes and the app dies (found by
    // fuzz/, input kept in fuzz/crashes/terminal_screen/). xterm resets the
    // margins on a resize, and programs that use them set them again on
    // SIGWINCH, so do the same, keeping the cursor where it was (DECSTBM
    // homes it). Through the guard, so it knows the margins are gone.
    if (m_guard.marginTop() != 0 || m_guard.marginBottom() != 0) {
        const QByteArray reset = "\x1b[r\x1b[" + QByteArray::number(m_cursor.y() + 1) + ';' +
                                 QByteArray::number(m_cursor.x() + 1) + 'H';
        const QByteArray safe = m_guard.filter(reset);
        vterm_input_write(m_vt, safe.constData(), size_t(safe.size()));
    }
    vterm_set_size(m_vt, rows, cols);
    // A shrink that pushes lines into the scrollback moves the cursor up
    // with them, and libvterm 0.1.4 lets it go above the screen (0.2 keeps
    // it on the top row). The next character written in insert mode then
    // moves the cells of a row that does not exist, through a null pointer,
    // and the app dies (found by fuzz/, input kept in
    // fuzz/crashes/terminal_screen/insert-after-shrink-above-screen). Put
    // it on the top row as 0.2 does; the margins are the whole screen here,
    // so row 1 is the top row with or without origin mode.
    VTermPos pos{};
    vterm_state_get_cursorpos(vterm_obtain_state(m_vt), &pos);
    if (pos.row < 0) {
        const QByteArray home = "\x1b[1;" + QByteArray::number(qBound(0, pos.col, cols - 1) + 1) + 'H';
        const QByteArray safe = m_guard.filter(home);
        vterm_input_write(m_vt, safe.constData(), size_t(safe.size()));
    }
    m_rows = rows;
    m_cols = cols;
    m_guard.setColumns(cols);
    vterm_screen_flush_damage(m_screen);
    m_damage = QRect(0, 0, m_cols, m_rows);
    signalDamage();
}

void TerminalScreen::reset()
{
    vterm_screen_reset(m_screen, 1);
    m_scrollback.clear();
    m_title.clear();
    m_altScreen = false;
    m_damage = QRect(0, 0, m_cols, m_rows);
    signalDamage();
}

TerminalCell TerminalScreen::cell(int row, int col) const
{
    if (col < 0 || col >= m_cols)
        return {};
    if (row >= 0) {
        if (row >= m_rows)
            return {};
        VTermScreenCell c;
        if (!vterm_screen_get_cell(m_screen, VTermPos{row, col}, &c))
            return {};
        return fromVTerm(c);
    }
    const int index = int(m_scrollback.size()) + row;
    if (index < 0)
        return {};
    const Line &line = m_scrollback[size_t(index)];
    return col < line.size() ? line.at(col) : TerminalCell{};
}

QString TerminalScreen::lineText(int row) const
{
    QString s;
    for (int col = 0; col < m_cols; ++col) {
        const TerminalCell c = cell(row, col);
        if (c.width == 0)
            continue;
        s += c.isEmpty() ? QStringLiteral(" ") : c.text();
    }
    while (s.endsWith(QLatin1Char(' ')))
        s.chop(1);
    return s;
}

QString TerminalScreen::text(int startRow, int startCol, int endRow, int endCol) const
{
    if (std::pair(endRow, endCol) < std::pair(startRow, startCol)) {
        std::swap(startRow, endRow);
        std::swap(startCol, endCol);
    }
    QStringList lines;
    for (int row = startRow; row <= endRow; ++row) {
        const int from = row == startRow ? startCol : 0;
        const int to = row == endRow ? endCol : m_cols - 1;
        QString s;
        for (int col = qMax(0, from); col <= qMin(to, m_cols - 1); ++col) {
            const TerminalCell c = cell(row, col);
            if (c.width != 0)
                s += c.isEmpty() ? QStringLiteral(" ") : c.text();
        }
        while (s.endsWith(QLatin1Char(' ')))
            s.chop(1);
        lines.append(s);
    }
    return lines.join(QLatin1Char('\n'));
}

void TerminalScreen::setScrollbackLimit(int lines)
{
    m_scrollbackLimit = qMax(0, lines);
    while (int(m_scrollback.size()) > m_scrollbackLimit)
        m_scrollback.pop_front();
}

bool TerminalScreen::bracketedPaste() const
{
    // libvterm keeps the mode to itself; asking it to start a paste writes
    // the bracket only when the mode is on, so a dry run tells.
    m_probing = true;
    m_probe.clear();
    vterm_keyboard_start_paste(m_vt);
    m_probing = false;
    return !m_probe.isEmpty();
}

QRect TerminalScreen::takeDamage()
{
    const QRect d = m_damage;
    m_damage = QRect();
    m_damageSignalled = false;
    return d;
}

void TerminalScreen::signalDamage()
{
    // One signal until the damage is taken: a view paints once per frame.
    if (hasDamage() && !m_damageSignalled) {
        m_damageSignalled = true;
        Q_EMIT damaged();
    }
}

void TerminalScreen::sendKey(Key key, Qt::KeyboardModifiers mods)
{
    static constexpr VTermKey map[] = {
        VTERM_KEY_ENTER, VTERM_KEY_TAB, VTERM_KEY_BACKSPACE, VTERM_KEY_ESCAPE, VTERM_KEY_UP,
        VTERM_KEY_DOWN, VTERM_KEY_LEFT, VTERM_KEY_RIGHT, VTERM_KEY_INS, VTERM_KEY_DEL,
        VTERM_KEY_HOME, VTERM_KEY_END, VTERM_KEY_PAGEUP, VTERM_KEY_PAGEDOWN, VTERM_KEY_KP_ENTER,
    };
    vterm_keyboard_key(m_vt, map[int(key)], toVTerm(mods));
    flushOutput();
}

void TerminalScreen::sendFunctionKey(int n, Qt::KeyboardModifiers mods)
{
    if (n < 1 || n > 24)
        return;
    vterm_keyboard_key(m_vt, VTermKey(VTERM_KEY_FUNCTION(n)), toVTerm(mods));
    flushOutput();
}

void TerminalScreen::sendText(const QString &text, Qt::KeyboardModifiers mods)
{
    const VTermModifier m = toVTerm(mods);
    for (const char32_t c : text.toUcs4())
        vterm_keyboard_unichar(m_vt, uint32_t(c), m);
    flushOutput();
}

void TerminalScreen::paste(const QString &text)
{
    QString body = text;
    body.replace(QStringLiteral("\r\n"), QStringLiteral("\r"));
    body.replace(QLatin1Char('\n'), QLatin1Char('\r'));
    const bool bracketed = bracketedPaste();
    if (bracketed) {
        // A pasted end marker would let the text out of the bracket and run
        // as typed commands: drop it.
        body.remove(QStringLiteral("\x1b[201~"));
        vterm_keyboard_start_paste(m_vt);
    }
    m_output += body.toUtf8();
    if (bracketed)
        vterm_keyboard_end_paste(m_vt);
    flushOutput();
}

void TerminalScreen::addDamage(const QRect &r)
{
    m_damage = m_damage.isEmpty() ? r : m_damage.united(r);
}

void TerminalScreen::flushOutput()
{
    if (m_output.isEmpty())
        return;
    const QByteArray out = std::exchange(m_output, {});
    Q_EMIT outputReady(out);
}
