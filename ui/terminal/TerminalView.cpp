// SPDX-License-Identifier: GPL-3.0-or-later
#include "TerminalView.h"

#include "TerminalLogging.h"
#include "TerminalScreen.h"

#include <QApplication>
#include <QClipboard>
#include <QFontDatabase>
#include <QFontMetricsF>
#include <QGuiApplication>
#include <QInputMethodEvent>
#include <QKeyEvent>
#include <QPainter>
#include <QScrollBar>

#include <optional>

#include <cmath>

namespace {

constexpr int kFrameMs = 16;          // at most one repaint per frame
constexpr int kMaxGlyphs = 4096;      // the cache starts again beyond this
constexpr int kWheelLines = 3;

QFont defaultFont()
{
    QFont f = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    f.setStyleHint(QFont::TypeWriter);
    if (f.pointSizeF() < 10)
        f.setPointSizeF(10);
    return f;
}

bool isWordChar(const QString &s)
{
    return !s.isEmpty() && (s.at(0).isLetterOrNumber() || QStringLiteral("_-.~/:@%+=").contains(s.at(0)) || s.at(0).isSurrogate());
}

} // namespace

TerminalView::TerminalView(TerminalScreen *screen, QWidget *parent)
    : QAbstractScrollArea(parent)
    , m_screen(screen)
{
    setFocusPolicy(Qt::StrongFocus);
    setAttribute(Qt::WA_InputMethodEnabled);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOn);
    setFrameShape(QFrame::NoFrame);
    viewport()->setCursor(Qt::IBeamCursor);
    viewport()->setAttribute(Qt::WA_OpaquePaintEvent);
    viewport()->setAutoFillBackground(false);
    m_frameTimer.setSingleShot(true);
    m_frameTimer.setInterval(kFrameMs);
    m_frameTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_frameTimer, &QTimer::timeout, this, &TerminalView::onFrame);
    connect(m_screen, &TerminalScreen::damaged, this, &TerminalView::onDamaged);
    m_seenPushed = m_screen->linesPushed();
    setTerminalFont(defaultFont());
}

void TerminalView::setTerminalFont(const QFont &font)
{
    m_font = font;
    m_font.setKerning(false);
    m_font.setStyleStrategy(QFont::PreferAntialias);
    m_boldFont = m_font;
    m_boldFont.setBold(true);
    m_italicFont = m_font;
    m_italicFont.setItalic(true);
    m_boldItalicFont = m_boldFont;
    m_boldItalicFont.setItalic(true);
    const QFontMetricsF fm(m_font);
    m_cellWidth = qMax(1, int(std::ceil(fm.horizontalAdvance(QLatin1Char('M')))));
    m_cellHeight = qMax(1, int(std::ceil(fm.height())));
    m_ascent = int(std::ceil(fm.ascent()));
    m_glyphs.clear();
    verticalScrollBar()->setSingleStep(1);
    updateGeometryFromWidget();
    viewport()->update();
}

void TerminalView::setColors(const QColor &foreground, const QColor &background)
{
    m_fg = foreground;
    m_bg = background;
    m_glyphs.clear();
    viewport()->update();
}

QSize TerminalView::sizeHint() const
{
    return {80 * m_cellWidth + verticalScrollBar()->sizeHint().width(), 24 * m_cellHeight};
}

void TerminalView::scrollToBottom()
{
    if (m_offset == 0)
        return;
    m_offset = 0;
    updateScrollBar();
    viewport()->update();
}

void TerminalView::scrollLines(int delta)
{
    const int next = qBound(0, m_offset + delta, m_screen->scrollbackLines());
    if (next == m_offset)
        return;
    m_offset = next;
    updateScrollBar();
    viewport()->update();
}

QString TerminalView::selectedText() const
{
    if (!m_hasSelection)
        return {};
    return m_screen->text(m_selStart.y(), m_selStart.x(), m_selEnd.y(), m_selEnd.x());
}

void TerminalView::clearSelection()
{
    if (!m_hasSelection)
        return;
    m_hasSelection = false;
    m_selecting = false;
    viewport()->update();
}

void TerminalView::copy()
{
    const QString text = selectedText();
    if (!text.isEmpty())
        QGuiApplication::clipboard()->setText(text, QClipboard::Clipboard);
}

void TerminalView::paste()
{
    pasteText(QGuiApplication::clipboard()->text(QClipboard::Clipboard));
}

void TerminalView::pasteText(const QString &text)
{
    if (text.isEmpty())
        return;
    scrollToBottom();
    m_screen->paste(text);
}

bool TerminalView::event(QEvent *e)
{
    // The terminal wants every key while it has the focus, Ctrl+W and Tab
    // included; the window's shortcuts must not steal them.
    if (e->type() == QEvent::ShortcutOverride) {
        e->accept();
        return true;
    }
    return QAbstractScrollArea::event(e);
}

bool TerminalView::focusNextPrevChild(bool)
{
    return false; // Tab goes to the shell
}

void TerminalView::onDamaged()
{
    if (!m_frameTimer.isActive())
        m_frameTimer.start();
}

void TerminalView::onFrame()
{
    const quint64 pushed = m_screen->linesPushed();
    const int delta = int(qMin<quint64>(pushed - m_seenPushed, 1u << 30));
    m_seenPushed = pushed;
    if (delta > 0) {
        // What was on screen moved up into the scrollback: keep a scrolled-back
        // view and the selection on the same text.
        if (m_offset > 0)
            m_offset = qMin(m_offset + delta, m_screen->scrollbackLines());
        if (m_hasSelection) {
            m_selStart.ry() -= delta;
            m_selEnd.ry() -= delta;
            if (qMin(m_selStart.y(), m_selEnd.y()) < -m_screen->scrollbackLines())
                m_hasSelection = m_selecting = false;
        }
    }
    m_offset = qMin(m_offset, m_screen->scrollbackLines());
    updateScrollBar();
    const QRect damage = m_screen->takeDamage();
    if (m_offset == 0 && delta == 0 && !damage.isEmpty()) {
        // Only the rows that changed, one frame's worth at once.
        viewport()->update(QRect(0, damage.top() * m_cellHeight, viewport()->width(),
                                 damage.height() * m_cellHeight));
    } else {
        viewport()->update();
    }
}

void TerminalView::updateGeometryFromWidget()
{
    const int cols = qMax(1, viewport()->width() / m_cellWidth);
    const int rows = qMax(1, viewport()->height() / m_cellHeight);
    if (cols == m_screen->cols() && rows == m_screen->rows())
        return;
    m_screen->resize(rows, cols);
    m_seenPushed = m_screen->linesPushed();
    m_hasSelection = m_selecting = false;
    updateScrollBar();
    qCDebug(lcTerminal) << "view grid" << cols << "x" << rows;
    Q_EMIT sizeChanged(m_screen->cols(), m_screen->rows());
}

void TerminalView::updateScrollBar()
{
    QScrollBar *bar = verticalScrollBar();
    const int history = m_screen->scrollbackLines();
    m_updatingScrollBar = true;
    bar->setRange(0, history);
    bar->setPageStep(m_screen->rows());
    bar->setValue(history - m_offset);
    m_updatingScrollBar = false;
}

void TerminalView::scrollContentsBy(int, int)
{
    if (m_updatingScrollBar)
        return;
    m_offset = m_screen->scrollbackLines() - verticalScrollBar()->value();
    viewport()->update();
}

void TerminalView::resizeEvent(QResizeEvent *e)
{
    QAbstractScrollArea::resizeEvent(e);
    updateGeometryFromWidget();
}

QPoint TerminalView::cellAt(const QPoint &pos) const
{
    const int col = qBound(0, pos.x() / m_cellWidth, m_screen->cols() - 1);
    const int row = qBound(0, pos.y() / m_cellHeight, m_screen->rows() - 1);
    return {col, row - m_offset};
}

bool TerminalView::isSelected(int row, int col) const
{
    if (!m_hasSelection)
        return false;
    QPoint a = m_selStart;
    QPoint b = m_selEnd;
    if (std::pair(b.y(), b.x()) < std::pair(a.y(), a.x()))
        std::swap(a, b);
    if (row < a.y() || row > b.y())
        return false;
    if (row == a.y() && col < a.x())
        return false;
    if (row == b.y() && col > b.x())
        return false;
    return true;
}

const QPixmap &TerminalView::glyph(const TerminalCell &cell, const QColor &color)
{
    const bool single = cell.chars[1] == 0;
    const GlyphKey key{single ? cell.chars[0] : 0, single ? QString() : cell.text(), color.rgba(),
                       quint8((cell.bold ? 1 : 0) | (cell.italic ? 2 : 0))};
    auto it = m_glyphs.constFind(key);
    if (it != m_glyphs.cend())
        return *it;
    if (m_glyphs.size() >= kMaxGlyphs)
        m_glyphs.clear();
    const qreal dpr = devicePixelRatioF();
    const QFont &font = cell.bold ? (cell.italic ? m_boldItalicFont : m_boldFont) : (cell.italic ? m_italicFont : m_font);
    // Room for a wide character and for italic glyphs that overhang their cell.
    const int w = m_cellWidth * (cell.width == 2 ? 2 : 1) + (cell.italic ? m_cellWidth / 2 : 0);
    QPixmap pm(QSize(w, m_cellHeight) * dpr);
    pm.setDevicePixelRatio(dpr);
    pm.fill(Qt::transparent);
    {
        QPainter p(&pm);
        p.setFont(font);
        p.setPen(color);
        p.drawText(QPointF(0, m_ascent), cell.text());
    }
    return *m_glyphs.insert(key, pm);
}

void TerminalView::paintCell(QPainter &p, const TerminalCell &cell, int x, int y, bool selected, bool cursorHere)
{
    QColor fg = cell.fg.resolve(m_fg);
    QColor bg = cell.bg.resolve(m_bg);
    if (cell.bold && cell.fg.kind == TerminalColor::Indexed && cell.fg.index < 8)
        fg = QColor::fromRgb(TerminalColor::paletteEntry(cell.fg.index + 8));
    if (cell.reverse != m_screen->reverseVideo())
        std::swap(fg, bg);
    if (selected) {
        bg = palette().color(QPalette::Highlight);
        fg = palette().color(QPalette::HighlightedText);
    }
    if (cursorHere && m_focused && m_screen->cursorShape() == TerminalScreen::CursorShape::Block)
        std::swap(fg, bg);
    const int width = cell.width == 2 ? 2 : 1;
    const QRect rect(x, y, m_cellWidth * width, m_cellHeight);
    if (bg != m_bg)
        p.fillRect(rect, bg);
    if (!cell.isEmpty() && cell.chars[0] != U' ')
        p.drawPixmap(x, y, glyph(cell, fg)); // sized to the cell: no clipping needed
    if (cell.underline) {
        const int uy = y + m_ascent + 2;
        p.fillRect(QRect(x, qMin(uy, y + m_cellHeight - 1), rect.width(), 1), fg);
        if (cell.underline == 2)
            p.fillRect(QRect(x, qMin(uy + 2, y + m_cellHeight - 1), rect.width(), 1), fg);
    }
    if (cell.strike)
        p.fillRect(QRect(x, y + m_cellHeight / 2, rect.width(), 1), fg);
}

void TerminalView::drawCursor(QPainter &p)
{
    const QPoint c = m_screen->cursor();
    const int row = c.y() + m_offset;
    if (!m_screen->cursorVisible() || row >= m_screen->rows())
        return;
    const QRect r(qMin(c.x(), m_screen->cols() - 1) * m_cellWidth, row * m_cellHeight, m_cellWidth, m_cellHeight);
    switch (m_screen->cursorShape()) {
    case TerminalScreen::CursorShape::Block:
        if (!m_focused) {
            p.setPen(m_fg);
            p.setBrush(Qt::NoBrush);
            p.drawRect(r.adjusted(0, 0, -1, -1));
        }
        break; // a focused block is painted by swapping the cell's colours
    case TerminalScreen::CursorShape::Underline:
        p.fillRect(QRect(r.left(), r.bottom() - 1, r.width(), 2), m_fg);
        break;
    case TerminalScreen::CursorShape::Bar:
        p.fillRect(QRect(r.left(), r.top(), 2, r.height()), m_fg);
        break;
    }
}

void TerminalView::paintEvent(QPaintEvent *e)
{
    ++m_frames;
    QElapsedTimer clock;
    clock.start();
    QPainter p(viewport());
    p.fillRect(e->rect(), m_screen->reverseVideo() ? m_fg : m_bg);
    const int firstRow = qMax(0, e->rect().top() / m_cellHeight);
    const int lastRow = qMin(m_screen->rows() - 1, e->rect().bottom() / m_cellHeight);
    const QPoint cursor = m_screen->cursor();
    for (int vr = firstRow; vr <= lastRow; ++vr) {
        const int row = vr - m_offset;
        for (int col = 0; col < m_screen->cols(); ++col) {
            const TerminalCell cell = m_screen->cell(row, col);
            if (cell.width == 0)
                continue; // painted with the wide character before it
            const bool cursorHere = m_screen->cursorVisible() && row == cursor.y() && col == cursor.x();
            paintCell(p, cell, col * m_cellWidth, vr * m_cellHeight, isSelected(row, col), cursorHere);
        }
    }
    drawCursor(p);
    m_longestPaintMs = qMax(m_longestPaintMs, clock.nsecsElapsed() / 1e6);
}

void TerminalView::keyPressEvent(QKeyEvent *e)
{
    Qt::KeyboardModifiers mods = e->modifiers() & (Qt::ShiftModifier | Qt::ControlModifier | Qt::AltModifier | Qt::MetaModifier);
    const int key = e->key();
#ifdef Q_OS_MACOS
    // Qt maps Command to Control and the Control key to Meta on macOS.
    if (mods & Qt::ControlModifier) {
        if (key == Qt::Key_C)
            copy();
        else if (key == Qt::Key_V)
            paste();
        return;
    }
    if (mods & Qt::MetaModifier)
        mods = (mods & ~Qt::MetaModifier) | Qt::ControlModifier;
#else
    if ((mods & (Qt::ControlModifier | Qt::ShiftModifier)) == (Qt::ControlModifier | Qt::ShiftModifier)) {
        if (key == Qt::Key_C) {
            copy();
            return;
        }
        if (key == Qt::Key_V) {
            paste();
            return;
        }
    }
    mods &= ~Qt::MetaModifier;
#endif
    if (mods == Qt::ShiftModifier) {
        switch (key) {
        case Qt::Key_Insert: {
            QClipboard *cb = QGuiApplication::clipboard();
            const QString sel = cb->supportsSelection() ? cb->text(QClipboard::Selection) : QString();
            pasteText(sel.isEmpty() ? cb->text(QClipboard::Clipboard) : sel);
            return;
        }
        case Qt::Key_PageUp:
            scrollLines(qMax(1, m_screen->rows() - 1));
            return;
        case Qt::Key_PageDown:
            scrollLines(-qMax(1, m_screen->rows() - 1));
            return;
        case Qt::Key_Home:
            if (!m_screen->altScreen()) {
                scrollLines(m_screen->scrollbackLines());
                return;
            }
            break;
        case Qt::Key_End:
            if (!m_screen->altScreen()) {
                scrollToBottom();
                return;
            }
            break;
        default:
            break;
        }
    }

    using K = TerminalScreen::Key;
    std::optional<K> special;
    switch (key) {
    case Qt::Key_Return:
        special = K::Enter;
        break;
    case Qt::Key_Enter:
        special = (e->modifiers() & Qt::KeypadModifier) ? K::KeypadEnter : K::Enter;
        break;
    case Qt::Key_Tab:
        special = K::Tab;
        break;
    case Qt::Key_Backtab:
        special = K::Tab;
        mods |= Qt::ShiftModifier;
        break;
    case Qt::Key_Backspace: special = K::Backspace; break;
    case Qt::Key_Escape: special = K::Escape; break;
    case Qt::Key_Up: special = K::Up; break;
    case Qt::Key_Down: special = K::Down; break;
    case Qt::Key_Left: special = K::Left; break;
    case Qt::Key_Right: special = K::Right; break;
    case Qt::Key_Insert: special = K::Insert; break;
    case Qt::Key_Delete: special = K::Delete; break;
    case Qt::Key_Home: special = K::Home; break;
    case Qt::Key_End: special = K::End; break;
    case Qt::Key_PageUp: special = K::PageUp; break;
    case Qt::Key_PageDown: special = K::PageDown; break;
    default:
        break;
    }
    scrollToBottom();
    if (special) {
        m_screen->sendKey(*special, mods);
        return;
    }
    if (key >= Qt::Key_F1 && key <= Qt::Key_F24) {
        m_screen->sendFunctionKey(key - Qt::Key_F1 + 1, mods);
        return;
    }
    if (mods & Qt::ControlModifier) {
        // The key, not the text: Qt's text for Ctrl+letter differs by platform.
        if (key >= Qt::Key_A && key <= Qt::Key_Z) {
            m_screen->sendText(QString(QChar(key - Qt::Key_A + 'a')), mods & ~Qt::ShiftModifier);
            return;
        }
        if (key == Qt::Key_Space || key == Qt::Key_At || key == Qt::Key_BracketLeft || key == Qt::Key_Backslash
            || key == Qt::Key_BracketRight || key == Qt::Key_AsciiCircum || key == Qt::Key_Underscore) {
            m_screen->sendText(QString(QChar(key)), mods & ~Qt::ShiftModifier);
            return;
        }
    }
    const QString text = e->text();
    if (!text.isEmpty() && !text.at(0).isNull() && (text.at(0).unicode() >= 0x20 || mods & Qt::AltModifier)) {
        m_screen->sendText(text, mods & Qt::AltModifier);
        return;
    }
    if (!text.isEmpty() && text.at(0).unicode() < 0x20) {
        // A control character the platform produced itself.
        m_screen->sendText(text, {});
        return;
    }
    QAbstractScrollArea::keyPressEvent(e);
}

void TerminalView::inputMethodEvent(QInputMethodEvent *e)
{
    if (!e->commitString().isEmpty()) {
        scrollToBottom();
        m_screen->sendText(e->commitString());
    }
    e->accept();
}

QVariant TerminalView::inputMethodQuery(Qt::InputMethodQuery query) const
{
    if (query == Qt::ImCursorRectangle) {
        const QPoint c = m_screen->cursor();
        return QRect(c.x() * m_cellWidth, (c.y() + m_offset) * m_cellHeight, m_cellWidth, m_cellHeight);
    }
    if (query == Qt::ImFont)
        return m_font;
    return QAbstractScrollArea::inputMethodQuery(query);
}

void TerminalView::wheelEvent(QWheelEvent *e)
{
    const int steps = e->angleDelta().y() / 40; // 120 per notch → 3 lines
    if (steps == 0)
        return;
    if (m_screen->altScreen()) {
        // Full-screen programs (less, vim, htop) have no scrollback of ours:
        // the wheel moves through their content with the arrow keys.
        for (int i = 0; i < qAbs(steps); ++i)
            m_screen->sendKey(steps > 0 ? TerminalScreen::Key::Up : TerminalScreen::Key::Down);
        return;
    }
    scrollLines(steps * kWheelLines / 3);
    e->accept();
}

void TerminalView::mousePressEvent(QMouseEvent *e)
{
    if (e->button() == Qt::MiddleButton) {
        QClipboard *cb = QGuiApplication::clipboard();
        if (cb->supportsSelection())
            pasteText(cb->text(QClipboard::Selection));
        return;
    }
    if (e->button() != Qt::LeftButton)
        return;
    m_selStart = m_selEnd = cellAt(e->position().toPoint());
    m_selecting = true;
    m_hasSelection = false;
    viewport()->update();
}

void TerminalView::mouseMoveEvent(QMouseEvent *e)
{
    if (!m_selecting)
        return;
    QPoint pos = e->position().toPoint();
    // Dragging past the edges scrolls the history.
    if (pos.y() < 0)
        scrollLines(1);
    else if (pos.y() >= viewport()->height())
        scrollLines(-1);
    const QPoint end = cellAt(pos);
    if (end != m_selEnd || !m_hasSelection) {
        m_selEnd = end;
        m_hasSelection = true;
        viewport()->update();
    }
}

void TerminalView::mouseReleaseEvent(QMouseEvent *e)
{
    if (e->button() != Qt::LeftButton || !m_selecting)
        return;
    m_selecting = false;
    // Copy on select, where the platform has a selection clipboard (X11).
    QClipboard *cb = QGuiApplication::clipboard();
    if (m_hasSelection && cb->supportsSelection())
        cb->setText(selectedText(), QClipboard::Selection);
}

void TerminalView::mouseDoubleClickEvent(QMouseEvent *e)
{
    if (e->button() != Qt::LeftButton)
        return;
    const QPoint at = cellAt(e->position().toPoint());
    if (!isWordChar(m_screen->cell(at.y(), at.x()).text()))
        return;
    int left = at.x();
    int right = at.x();
    while (left > 0 && isWordChar(m_screen->cell(at.y(), left - 1).text()))
        --left;
    while (right < m_screen->cols() - 1 && isWordChar(m_screen->cell(at.y(), right + 1).text()))
        ++right;
    m_selStart = QPoint(left, at.y());
    m_selEnd = QPoint(right, at.y());
    m_hasSelection = true;
    m_selecting = false;
    QClipboard *cb = QGuiApplication::clipboard();
    if (cb->supportsSelection())
        cb->setText(selectedText(), QClipboard::Selection);
    viewport()->update();
}

void TerminalView::focusInEvent(QFocusEvent *e)
{
    m_focused = true;
    viewport()->update();
    QAbstractScrollArea::focusInEvent(e);
}

void TerminalView::focusOutEvent(QFocusEvent *e)
{
    m_focused = false;
    viewport()->update();
    QAbstractScrollArea::focusOutEvent(e);
}
