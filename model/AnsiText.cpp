// SPDX-License-Identifier: GPL-3.0-or-later
#include "AnsiText.h"

namespace {

constexpr char16_t kEsc = 0x1b;
constexpr char16_t kBel = 0x07;
// More parameters than any real SGR sequence has; the rest are ignored.
constexpr int kMaxParams = 64;
constexpr int kMaxParamValue = 65535;

// The basic and bright colours, chosen to read on light and dark backgrounds.
constexpr quint32 kBasic[16] = {
    0x1e1e1e, 0xc0392b, 0x2e8b57, 0xb8860b, 0x2f6fd6, 0xa347ba, 0x1f9ea8, 0xc8c8c8,
    0x6e6e6e, 0xe74c3c, 0x3cb371, 0xd4ac0d, 0x5b8def, 0xc678dd, 0x37c3cf, 0xf5f5f5,
};

// One parameter of an SGR sequence with its colon-separated sub-parameters;
// -1 stands for an empty one.
using Group = QList<int>;

QList<Group> parseParams(QStringView params)
{
    QList<Group> groups;
    Group current;
    int value = -1;
    auto endValue = [&] {
        current.append(value);
        value = -1;
    };
    for (QChar c : params) {
        if (c.isDigit()) {
            const int d = c.unicode() - u'0';
            value = value < 0 ? d : qMin(kMaxParamValue, value * 10 + d);
        } else if (c == u':') {
            endValue();
        } else if (c == u';') {
            endValue();
            if (groups.size() < kMaxParams)
                groups.append(current);
            current.clear();
        } else {
            // '<', '=', '>', '?' mark private sequences: not colours.
            return {};
        }
    }
    endValue();
    if (groups.size() < kMaxParams)
        groups.append(current);
    return groups;
}

int at(const Group &g, int i)
{
    return i < g.size() ? g.at(i) : -1;
}

bool inByte(int v)
{
    return v >= 0 && v <= 255;
}

// 38/48: an extended colour, from sub-parameters (38:5:n, 38:2:r:g:b or
// 38:2:space:r:g:b) or from the parameters that follow (38;5;n, 38;2;r;g;b).
// Returns the colour, if valid, and advances `i` past what it used.
std::optional<quint32> extendedColour(const QList<Group> &groups, qsizetype &i)
{
    const Group &g = groups.at(i);
    if (g.size() > 1) {
        if (at(g, 1) == 5 && inByte(at(g, 2)))
            return AnsiText::paletteColor(at(g, 2));
        if (at(g, 1) == 2) {
            const int n = int(g.size());
            const int r = at(g, n - 3), gr = at(g, n - 2), b = at(g, n - 1);
            if (n >= 5 && inByte(r) && inByte(gr) && inByte(b))
                return quint32(r) << 16 | quint32(gr) << 8 | quint32(b);
        }
        return std::nullopt;
    }
    auto next = [&](qsizetype k) { return i + k < groups.size() ? at(groups.at(i + k), 0) : -1; };
    if (next(1) == 5) {
        const int n = next(2);
        i += qMin<qsizetype>(2, groups.size() - 1 - i);
        return inByte(n) ? std::optional<quint32>(AnsiText::paletteColor(n)) : std::nullopt;
    }
    if (next(1) == 2) {
        const int r = next(2), gr = next(3), b = next(4);
        i += qMin<qsizetype>(4, groups.size() - 1 - i);
        if (inByte(r) && inByte(gr) && inByte(b))
            return quint32(r) << 16 | quint32(gr) << 8 | quint32(b);
        return std::nullopt;
    }
    // An unknown colour space: the rest of the sequence cannot be trusted.
    i = groups.size();
    return std::nullopt;
}

void applySgr(AnsiText::Style &s, QStringView params)
{
    const QList<Group> groups = parseParams(params);
    if (groups.isEmpty() && !params.isEmpty())
        return;
    for (qsizetype i = 0; i < groups.size(); ++i) {
        const int p = qMax(0, at(groups.at(i), 0));
        if (p == 0) {
            s = AnsiText::Style();
        } else if (p == 1) {
            s.bold = true;
        } else if (p == 2) {
            s.faint = true;
        } else if (p == 3) {
            s.italic = true;
        } else if (p == 4 || p == 21) {
            s.underline = true;
        } else if (p == 7) {
            s.inverse = true;
        } else if (p == 22) {
            s.bold = s.faint = false;
        } else if (p == 23) {
            s.italic = false;
        } else if (p == 24) {
            s.underline = false;
        } else if (p == 27) {
            s.inverse = false;
        } else if (p >= 30 && p <= 37) {
            s.fg = AnsiText::paletteColor(p - 30);
        } else if (p == 38) {
            if (auto c = extendedColour(groups, i))
                s.fg = c;
        } else if (p == 39) {
            s.fg.reset();
        } else if (p >= 40 && p <= 47) {
            s.bg = AnsiText::paletteColor(p - 40);
        } else if (p == 48) {
            if (auto c = extendedColour(groups, i))
                s.bg = c;
        } else if (p == 49) {
            s.bg.reset();
        } else if (p >= 90 && p <= 97) {
            s.fg = AnsiText::paletteColor(p - 90 + 8);
        } else if (p >= 100 && p <= 107) {
            s.bg = AnsiText::paletteColor(p - 100 + 8);
        }
        // Blink, conceal, strike-through, fonts: nothing a log needs.
    }
}

// Builds the spans of one text: appends characters to the current line and
// can forget the current line when a carriage return is overwritten.
class SpanBuilder
{
public:
    explicit SpanBuilder(bool keepStyle) : m_keepStyle(keepStyle) {}

    void setStyle(const AnsiText::Style &s)
    {
        if (m_keepStyle)
            m_style = s;
    }
    const AnsiText::Style &style() const { return m_style; }

    void put(QChar c)
    {
        if (m_pendingReturn) {
            m_pendingReturn = false;
            eraseLine();
        }
        if (m_spans.isEmpty() || m_spans.last().style != m_style || m_spans.last().text.isEmpty())
            m_spans.append(AnsiText::Span{QString(), m_style});
        m_spans.last().text.append(c);
    }
    void newline()
    {
        m_pendingReturn = false;
        put(QLatin1Char('\n'));
        m_lineSpan = m_spans.size() - 1;
        m_lineOffset = m_spans.last().text.size();
    }
    void carriageReturn() { m_pendingReturn = true; }
    void backspace()
    {
        if (m_pendingReturn)
            return;
        if (m_spans.isEmpty())
            return;
        AnsiText::Span &last = m_spans.last();
        const qsizetype floor = m_spans.size() - 1 == m_lineSpan ? m_lineOffset : 0;
        if (last.text.size() > floor) {
            last.text.chop(1);
            if (last.text.isEmpty())
                m_spans.removeLast();
        }
    }
    QList<AnsiText::Span> take()
    {
        QList<AnsiText::Span> out;
        out.reserve(m_spans.size());
        for (AnsiText::Span &s : m_spans) {
            if (s.text.isEmpty())
                continue;
            if (!out.isEmpty() && out.last().style == s.style)
                out.last().text += s.text;
            else
                out.append(std::move(s));
        }
        return out;
    }

private:
    void eraseLine()
    {
        if (m_lineSpan < 0) {
            m_spans.clear();
            return;
        }
        while (m_spans.size() - 1 > m_lineSpan)
            m_spans.removeLast();
        m_spans.last().text.truncate(m_lineOffset);
    }

    bool m_keepStyle;
    AnsiText::Style m_style;
    QList<AnsiText::Span> m_spans;
    // Where the current line starts: the span holding the last newline and
    // the offset just after it (-1: the text's start).
    qsizetype m_lineSpan = -1;
    qsizetype m_lineOffset = 0;
    bool m_pendingReturn = false;
};

} // namespace

quint32 AnsiText::paletteColor(int index)
{
    if (index < 0 || index > 255)
        return 0;
    if (index < 16)
        return kBasic[index];
    if (index < 232) {
        const int i = index - 16;
        auto level = [](int v) { return v == 0 ? 0u : quint32(55 + v * 40); };
        return level(i / 36) << 16 | level(i / 6 % 6) << 8 | level(i % 6);
    }
    const quint32 grey = quint32(8 + (index - 232) * 10);
    return grey << 16 | grey << 8 | grey;
}

QList<AnsiText::Span> AnsiText::run(QStringView text, bool keepStyle)
{
    SpanBuilder b(keepStyle);
    const qsizetype n = text.size();
    qsizetype i = 0;
    while (i < n) {
        const char16_t c = text.at(i).unicode();
        if (c == kEsc || c == 0x9b) {
            qsizetype j = i + 1;
            const bool csi = c == 0x9b || (j < n && text.at(j) == u'[');
            if (csi) {
                if (c == kEsc)
                    ++j;
                const qsizetype paramsFrom = j;
                while (j < n && text.at(j).unicode() >= 0x30 && text.at(j).unicode() <= 0x3f)
                    ++j;
                const qsizetype paramsTo = j;
                while (j < n && text.at(j).unicode() >= 0x20 && text.at(j).unicode() <= 0x2f)
                    ++j;
                if (j >= n) {
                    i = n; // cut off at the end of the text
                    continue;
                }
                const char16_t final = text.at(j).unicode();
                if (final >= 0x40 && final <= 0x7e) {
                    if (final == u'm' && paramsTo == j) {
                        Style s = b.style();
                        applySgr(s, text.sliced(paramsFrom, paramsTo - paramsFrom));
                        b.setStyle(s);
                    }
                    i = j + 1;
                } else {
                    // A broken sequence: drop what was read, keep the rest.
                    i = j;
                }
                continue;
            }
            if (j >= n) {
                i = n;
                continue;
            }
            const char16_t kind = text.at(j).unicode();
            if (kind == u']' || kind == u'P' || kind == u'X' || kind == u'^' || kind == u'_') {
                // A string (title, hyperlink, …): up to BEL or ESC '\'. A
                // newline ends it too, so an unterminated one cannot swallow
                // the rest of a log.
                ++j;
                while (j < n) {
                    const char16_t d = text.at(j).unicode();
                    if (d == kBel) {
                        ++j;
                        break;
                    }
                    if (d == kEsc && j + 1 < n && text.at(j + 1) == u'\\') {
                        j += 2;
                        break;
                    }
                    if (d == u'\n')
                        break;
                    ++j;
                }
                i = j;
                continue;
            }
            // Any other escape: intermediates then one final character.
            while (j < n && text.at(j).unicode() >= 0x20 && text.at(j).unicode() <= 0x2f)
                ++j;
            if (j < n && text.at(j).unicode() >= 0x30 && text.at(j).unicode() <= 0x7e)
                ++j;
            i = j;
            continue;
        }
        if (c == u'\n') {
            b.newline();
        } else if (c == u'\r') {
            if (i + 1 < n && text.at(i + 1) == u'\n') {
                // "\r\n" is one line break.
            } else {
                b.carriageReturn();
            }
        } else if (c == u'\b') {
            b.backspace();
        } else if (c == u'\t' || (c >= 0x20 && c != 0x7f && !(c >= 0x80 && c <= 0x9f))) {
            b.put(text.at(i));
        }
        ++i;
    }
    return b.take();
}

QList<AnsiText::Span> AnsiText::parse(QStringView text)
{
    return run(text, true);
}

QString AnsiText::strip(QStringView text)
{
    const QList<Span> spans = run(text, false);
    return spans.isEmpty() ? QString() : spans.first().text;
}

QString AnsiText::toHtml(const QList<Span> &spans, quint32 defaultFg, quint32 defaultBg)
{
    auto hex = [](quint32 rgb) { return QStringLiteral("#%1").arg(rgb & 0xffffff, 6, 16, QLatin1Char('0')); };
    QString html = QStringLiteral("<pre style=\"margin:0\">");
    for (const Span &s : spans) {
        const QString text = s.text.toHtmlEscaped();
        if (s.style.isPlain()) {
            html += text;
            continue;
        }
        std::optional<quint32> fg = s.style.fg;
        std::optional<quint32> bg = s.style.bg;
        if (s.style.inverse) {
            const quint32 newFg = bg.value_or(defaultBg);
            bg = fg.value_or(defaultFg);
            fg = newFg;
        }
        QString css;
        if (fg)
            css += QStringLiteral("color:%1;").arg(hex(*fg));
        if (bg)
            css += QStringLiteral("background-color:%1;").arg(hex(*bg));
        if (s.style.bold)
            css += QStringLiteral("font-weight:bold;");
        if (s.style.italic)
            css += QStringLiteral("font-style:italic;");
        if (s.style.underline)
            css += QStringLiteral("text-decoration:underline;");
        if (s.style.faint && !fg)
            css += QStringLiteral("color:%1;").arg(hex(paletteColor(8)));
        html += QStringLiteral("<span style=\"%1\">%2</span>").arg(css, text);
    }
    html += QStringLiteral("</pre>");
    return html;
}
