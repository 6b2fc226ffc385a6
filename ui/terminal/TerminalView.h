// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QAbstractScrollArea>
#include <QColor>
#include <QElapsedTimer>
#include <QFont>
#include <QHash>
#include <QPixmap>
#include <QPoint>
#include <QTimer>

class TerminalScreen;
struct TerminalCell;

// Paints a TerminalScreen and turns keys, mouse and clipboard into terminal
// input. Output may arrive in floods: the screen's damage only arms a frame
// timer, and the widget repaints at most once per frame from what changed,
// with glyphs rendered once into a cache.
//
// The grid size follows the widget: sizeChanged() tells the PTY.
class TerminalView : public QAbstractScrollArea
{
    Q_OBJECT
public:
    explicit TerminalView(TerminalScreen *screen, QWidget *parent = nullptr);

    TerminalScreen *screen() const { return m_screen; }
    void setTerminalFont(const QFont &font);
    QFont terminalFont() const { return m_font; }
    QSize cellSize() const { return {m_cellWidth, m_cellHeight}; }
    void setColors(const QColor &foreground, const QColor &background);

    // Lines scrolled back from the live screen (0: following the output).
    int scrollOffset() const { return m_offset; }
    void scrollToBottom();
    void scrollLines(int delta); // positive: towards older lines

    bool hasSelection() const { return m_hasSelection; }
    QString selectedText() const;
    void clearSelection();
    void copy();
    void paste();

    // Frames painted so far and the longest paint, for the benchmark and tests.
    int framesPainted() const { return m_frames; }
    double longestPaintMs() const { return m_longestPaintMs; }
    void resetPaintStats() { m_longestPaintMs = 0; }

    QSize sizeHint() const override;

Q_SIGNALS:
    void sizeChanged(int cols, int rows);

protected:
    bool event(QEvent *e) override;
    bool focusNextPrevChild(bool next) override;
    void paintEvent(QPaintEvent *e) override;
    void resizeEvent(QResizeEvent *e) override;
    void keyPressEvent(QKeyEvent *e) override;
    void inputMethodEvent(QInputMethodEvent *e) override;
    QVariant inputMethodQuery(Qt::InputMethodQuery query) const override;
    void wheelEvent(QWheelEvent *e) override;
    void mousePressEvent(QMouseEvent *e) override;
    void mouseMoveEvent(QMouseEvent *e) override;
    void mouseReleaseEvent(QMouseEvent *e) override;
    void mouseDoubleClickEvent(QMouseEvent *e) override;
    void scrollContentsBy(int dx, int dy) override;
    void focusInEvent(QFocusEvent *e) override;
    void focusOutEvent(QFocusEvent *e) override;

private:
    struct GlyphKey
    {
        char32_t ch;  // the character, when the cell holds just one
        QString text; // otherwise the grapheme (base and combining marks)
        QRgb color;
        quint8 style; // bit 0 bold, bit 1 italic
        friend bool operator==(const GlyphKey &a, const GlyphKey &b)
        {
            return a.ch == b.ch && a.color == b.color && a.style == b.style && a.text == b.text;
        }
        friend size_t qHash(const GlyphKey &k, size_t seed = 0)
        {
            return qHashMulti(seed, uint(k.ch), k.text, k.color, k.style);
        }
    };

    void onDamaged();
    void onFrame();
    void updateGeometryFromWidget();
    void updateScrollBar();
    QPoint cellAt(const QPoint &pos) const; // x = column, y = row in screen numbering
    bool isSelected(int row, int col) const;
    void pasteText(const QString &text);
    void paintCell(QPainter &p, const TerminalCell &cell, int x, int y, bool selected, bool cursorHere);
    const QPixmap &glyph(const TerminalCell &cell, const QColor &color);
    void drawCursor(QPainter &p);

    TerminalScreen *m_screen;
    QFont m_font;
    QFont m_boldFont;
    QFont m_italicFont;
    QFont m_boldItalicFont;
    int m_cellWidth = 8;
    int m_cellHeight = 16;
    int m_ascent = 12;
    QColor m_fg = QColor(0xe5, 0xe5, 0xe5);
    QColor m_bg = QColor(0x1e, 0x1e, 0x1e);
    QHash<GlyphKey, QPixmap> m_glyphs;
    QTimer m_frameTimer;
    int m_offset = 0;
    quint64 m_seenPushed = 0;
    bool m_updatingScrollBar = false;
    // Selection in screen numbering (rows < 0 are scrollback), x = column.
    QPoint m_selStart;
    QPoint m_selEnd;
    bool m_selecting = false;
    bool m_hasSelection = false;
    bool m_focused = false;
    int m_frames = 0;
    double m_longestPaintMs = 0;
};
