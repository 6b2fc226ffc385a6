// SPDX-License-Identifier: GPL-3.0-or-later
#include "CodeCellView.h"

#include "AnsiText.h"
#include "CodeOutputBrowser.h"
#include "CodeSession.h"
#include "Formatting.h"

#include <QAbstractTextDocumentLayout>
#include <QCoreApplication>
#include <QDir>
#include <QFileDialog>
#include <QFontDatabase>
#include <QGridLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QPainter>
#include <QScrollBar>
#include <QTextBrowser>
#include <QTextDocumentFragment>
#include <QTextImageFormat>

#ifdef AI2IN_HAVE_SVG
#include <QSvgRenderer>
#endif

namespace {

// Past this an output scrolls inside its cell instead of growing it.
constexpr int kMaxOutputHeight = 480;
// An unfinished line longer than this is drawn once, not redrawn on every
// chunk (a program printing megabytes without a newline).
constexpr qsizetype kMaxRedrawnLine = 4096;
// What a line break costs of a refresh's budget, in characters.
constexpr qsizetype kLineCost = 20;
// An SVG without a size of its own, and the largest one drawn.
constexpr QSize kDefaultSvgSize(480, 360);
constexpr int kMaxSvgSide = 4000;
const QString kImageScheme = QStringLiteral("ai2in-image");
// Markup longer than this is shown as the result's text: laying out a huge
// table would freeze the window.
constexpr qsizetype kMaxMarkupChars = 256 * 1024;
// A text result is cut here (a repr of a huge list).
constexpr qsizetype kMaxResultText = 256 * 1024;

QColor errorColor()
{
    return QColor::fromRgb(AnsiText::paletteColor(1));
}

QString jsonText(const QJsonValue &v)
{
    if (v.isObject())
        return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Indented));
    if (v.isArray())
        return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Indented));
    return v.toVariant().toString();
}

bool isStream(const CodeCell::Output &o)
{
    return o.kind == CodeCell::Output::Kind::Stdout || o.kind == CodeCell::Output::Kind::Stderr;
}

} // namespace

CodeCellView::CodeCellView(const CodeSession *session, int index, QWidget *parent)
    : QFrame(parent)
    , m_session(session)
    , m_index(index)
    , m_prompt(new QLabel(this))
    , m_code(new QLabel(this))
    , m_facts(new QLabel(this))
    , m_output(new CodeOutputBrowser(this))
{
    setObjectName(QStringLiteral("codeCell%1").arg(index));
    const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_prompt->setObjectName(QStringLiteral("codeCellPrompt"));
    m_prompt->setFont(fixed);
    m_prompt->setAlignment(Qt::AlignRight | Qt::AlignTop);
    m_prompt->setMinimumWidth(m_prompt->fontMetrics().horizontalAdvance(QStringLiteral("[9999]")));
    m_code->setObjectName(QStringLiteral("codeCellCode"));
    m_code->setFont(fixed);
    m_code->setTextFormat(Qt::PlainText);
    m_code->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_code->setAutoFillBackground(true);
    m_code->setBackgroundRole(QPalette::AlternateBase);
    m_code->setMargin(4);
    m_facts->setObjectName(QStringLiteral("codeCellFacts"));
    m_facts->setWordWrap(true);
    m_facts->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_output->setObjectName(QStringLiteral("codeCellOutput"));
    m_output->setFrameShape(QFrame::NoFrame);
    m_output->document()->setDefaultFont(fixed);
    m_output->setContextMenuPolicy(Qt::CustomContextMenu);
    m_output->setVerticalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    m_output->hide();
    connect(m_output, &QWidget::customContextMenuRequested, this, &CodeCellView::showContextMenu);
    connect(m_output->document()->documentLayout(), &QAbstractTextDocumentLayout::documentSizeChanged, this,
            &CodeCellView::fitHeight);

    auto *grid = new QGridLayout(this);
    grid->setContentsMargins(4, 4, 4, 4);
    grid->setVerticalSpacing(2);
    grid->addWidget(m_prompt, 0, 0);
    grid->addWidget(m_code, 0, 1);
    grid->addWidget(m_output, 1, 1);
    grid->addWidget(m_facts, 2, 1);
    grid->setColumnStretch(1, 1);

    if (cell().isNote()) {
        m_code->hide();
        m_prompt->clear();
        m_facts->setText(cell().noteText());
        QFont italic = m_facts->font();
        italic.setItalic(true);
        m_facts->setFont(italic);
        return;
    }
    m_code->setText(cell().code());
    refresh();
}

const CodeCell &CodeCellView::cell() const
{
    return m_session->cell(m_index);
}

QString CodeCellView::promptText() const
{
    return m_prompt->text();
}

QString CodeCellView::factsText() const
{
    return m_facts->text();
}

QString CodeCellView::outputText() const
{
    return m_output->toPlainText();
}

bool CodeCellView::refresh()
{
    if (cell().isNote())
        return true;
    const bool complete = refreshOutputs();
    refreshHeader();
    return complete;
}

void CodeCellView::refreshHeader()
{
    const CodeCell &c = cell();
    if (c.isRunning())
        m_prompt->setText(QStringLiteral("[*]"));
    else if (c.executionCount())
        m_prompt->setText(QStringLiteral("[%1]").arg(*c.executionCount()));
    else
        m_prompt->setText(QStringLiteral("[ ]"));
    QStringList facts;
    if (c.isRunning())
        facts << tr("Running…");
    else
        facts << Formatting::elapsed(c.durationMs(), 2);
    if (c.fromLog())
        facts << tr("run through the API (by an agent, or before this window opened); its main result as text only");
    if (c.droppedChars() > 0)
        facts << tr("output past %1 not kept").arg(Formatting::bytes(CodeCell::kHeadChars));
    if (c.droppedOutputs() > 0)
        facts << tr("%n more output(s) not kept", nullptr, c.droppedOutputs());
    QString text = facts.join(QStringLiteral(" · "));
    if (!c.problem().isEmpty())
        text += QLatin1Char('\n') + c.problem();
    m_facts->setText(text);
    const QString style = c.problem().isEmpty() ? QString() : QStringLiteral("color: %1").arg(errorColor().name());
    if (m_facts->styleSheet() != style)
        m_facts->setStyleSheet(style);
}

QTextCursor CodeCellView::insertionCursor()
{
    QTextCursor c(m_output->document());
    if (m_tailStart >= 0)
        c.setPosition(m_tailStart);
    else
        c.movePosition(QTextCursor::End);
    return c;
}

bool CodeCellView::refreshOutputs()
{
    const CodeCell &cellData = cell();
    const QList<CodeCell::Output> &outputs = cellData.outputs();
    auto lastGrew = [&] {
        return m_shownOutputs > 0 && isStream(outputs.at(m_shownOutputs - 1))
               && outputs.at(m_shownOutputs - 1).text.size() > m_shownChars;
    };
    auto complete = [&] {
        return !lastGrew() && m_shownOutputs == outputs.size() && cellData.tailRevision() == m_shownTail;
    };
    if (complete())
        return true;
    QScrollBar *bar = m_output->verticalScrollBar();
    const bool atEnd = bar->value() >= bar->maximum();
    qsizetype budget = kCharsPerRefresh;
    QTextCursor c = insertionCursor();
    c.beginEditBlock();
    if (lastGrew())
        continueStream(c, outputs.at(m_shownOutputs - 1), budget);
    // A stream drawn in part stays the last one shown: the budget is spent.
    for (; m_shownOutputs < outputs.size() && budget > 0; ++m_shownOutputs)
        writeOutput(c, outputs.at(m_shownOutputs), budget);
    if (m_tailStart >= 0)
        m_tailStart = c.position();
    c.endEditBlock();
    if (budget > 0 && cellData.tailRevision() != m_shownTail)
        writeTail(c);
    m_output->setVisible(!m_output->document()->isEmpty());
    if (atEnd)
        bar->setValue(bar->maximum());
    return complete();
}

void CodeCellView::continueStream(QTextCursor &c, const CodeCell::Output &o, qsizetype &budget)
{
    // Laying out a line costs more than its characters: count both.
    qsizetype end = m_shownChars;
    qsizetype cost = 0;
    while (end < o.text.size() && cost < budget)
        cost += o.text.at(end++) == QLatin1Char('\n') ? kLineCost : 1;
    if (end == m_shownChars)
        return;
    const QStringView text = QStringView(o.text).first(end);
    budget = end < o.text.size() ? 0 : budget - cost;
    // Redraw the unfinished line with what was added to it.
    c.setPosition(m_lineInDoc, QTextCursor::KeepAnchor);
    c.removeSelectedText();
    QTextCharFormat base;
    if (o.kind == CodeCell::Output::Kind::Stderr)
        base.setForeground(errorColor());
    qsizetype lineStart = text.lastIndexOf(QLatin1Char('\n')) + 1;
    if (text.size() - lineStart > kMaxRedrawnLine)
        lineStart = text.size();
    if (lineStart > m_lineInText) {
        writeAnsi(c, text.sliced(m_lineInText, lineStart - m_lineInText), base);
        m_lineInText = lineStart;
        m_lineInDoc = c.position();
    }
    writeAnsi(c, text.sliced(m_lineInText), base);
    m_shownChars = text.size();
}

void CodeCellView::writeOutput(QTextCursor &c, const CodeCell::Output &o, qsizetype &budget)
{
    // A result or an error costs about as much as a screenful of text.
    constexpr qsizetype kOtherCost = 4096;
    startBlock(c);
    switch (o.kind) {
    case CodeCell::Output::Kind::Stdout:
    case CodeCell::Output::Kind::Stderr:
        m_lineInText = 0;
        m_lineInDoc = c.position();
        m_shownChars = 0;
        continueStream(c, o, budget);
        break;
    case CodeCell::Output::Kind::Result:
        writeResult(c, o.result);
        budget -= kOtherCost;
        break;
    case CodeCell::Output::Kind::Error:
        writeError(c, o.error);
        budget -= kOtherCost;
        break;
    }
}

void CodeCellView::writeResult(QTextCursor &c, const CodeResult &r)
{
    switch (r.preferredForm()) {
    case CodeResult::Form::Png:
    case CodeResult::Form::Jpeg: {
        const bool png = r.preferredForm() == CodeResult::Form::Png;
        const QImage image = QImage::fromData(png ? r.png : r.jpeg, png ? "PNG" : "JPEG");
        if (image.isNull())
            writeNote(c, png ? tr("[a PNG image that cannot be read]") : tr("[a JPEG image that cannot be read]"));
        else
            writeImage(c, image);
        break;
    }
    case CodeResult::Form::Svg: {
#ifdef AI2IN_HAVE_SVG
        QSvgRenderer svg(r.svg.toUtf8());
        if (svg.isValid()) {
            QSize size = svg.defaultSize().isEmpty() ? kDefaultSvgSize : svg.defaultSize();
            size = size.boundedTo(QSize(kMaxSvgSide, kMaxSvgSide));
            QImage image(size, QImage::Format_ARGB32_Premultiplied);
            image.fill(Qt::transparent);
            QPainter painter(&image);
            svg.render(&painter);
            painter.end();
            writeImage(c, image);
            break;
        }
#endif
        writeText(c, r.svg);
        break;
    }
    case CodeResult::Form::Html:
    case CodeResult::Form::Markdown: {
        const bool html = r.preferredForm() == CodeResult::Form::Html;
        const QString &markup = html ? r.html : r.markdown;
        if (markup.size() > kMaxMarkupChars) {
            writeNote(c, tr("[%1 characters of markup, shown as text]").arg(markup.size()));
            c.insertBlock();
            writeText(c, r.text.isEmpty() ? markup : r.text);
        } else if (html) {
            c.insertHtml(markup);
        } else {
            QTextDocument markdown;
            markdown.setMarkdown(markup);
            c.insertFragment(QTextDocumentFragment(&markdown));
        }
        break;
    }
    case CodeResult::Form::Latex:
        writeText(c, r.latex);
        break;
    case CodeResult::Form::Json:
        writeText(c, jsonText(r.json));
        break;
    case CodeResult::Form::Text:
        writeText(c, r.text);
        break;
    case CodeResult::Form::Pdf:
        writeNote(c, tr("[a PDF document of %1, not shown here]").arg(Formatting::bytes(r.pdf.size())));
        break;
    case CodeResult::Form::Javascript:
        writeNote(c, tr("[JavaScript output, not run here]"));
        break;
    case CodeResult::Form::Nothing:
        break;
    }
}

void CodeCellView::writeError(QTextCursor &c, const CodeError &e)
{
    QTextCharFormat title;
    title.setForeground(errorColor());
    title.setFontWeight(QFont::Bold);
    c.insertText(e.value.isEmpty() ? e.name : e.name + QStringLiteral(": ") + e.value, title);
    if (!e.traceback.isEmpty()) {
        c.insertBlock();
        writeAnsi(c, e.traceback, QTextCharFormat());
    }
}

void CodeCellView::writeTail(QTextCursor &c)
{
    const CodeCell &cellData = cell();
    // The latest part of the kept tail that one refresh can draw, from the
    // start of a line: it is drawn again whenever the tail moves on.
    const QString &tail = cellData.tail();
    qsizetype from = tail.size();
    for (qsizetype cost = 0; from > 0 && cost < kCharsPerRefresh;)
        cost += tail.at(--from) == QLatin1Char('\n') ? kLineCost : 1;
    if (from > 0) {
        const qsizetype nl = tail.indexOf(QLatin1Char('\n'), from);
        from = nl < 0 ? from : nl + 1;
    }
    const qint64 notShown = cellData.droppedChars() + from;
    if (m_tailStart < 0) {
        c.movePosition(QTextCursor::End);
        m_tailStart = c.position();
    }
    c.beginEditBlock();
    c.setPosition(m_tailStart);
    c.movePosition(QTextCursor::End, QTextCursor::KeepAnchor);
    c.removeSelectedText();
    c.insertBlock();
    writeNote(c, tr("… %1 characters of output not shown; the latest follow:").arg(notShown));
    c.insertBlock();
    writeAnsi(c, QStringView(tail).sliced(from), QTextCharFormat());
    c.endEditBlock();
    m_shownTail = cellData.tailRevision();
}

void CodeCellView::writeAnsi(QTextCursor &c, QStringView text, const QTextCharFormat &base)
{
    const QList<AnsiText::Span> spans = AnsiText::parse(text);
    for (const AnsiText::Span &s : spans) {
        QTextCharFormat f = base;
        std::optional<quint32> fg = s.style.fg;
        std::optional<quint32> bg = s.style.bg;
        if (s.style.inverse && fg && bg)
            std::swap(fg, bg);
        if (fg)
            f.setForeground(QColor::fromRgb(*fg));
        if (bg)
            f.setBackground(QColor::fromRgb(*bg));
        if (s.style.bold)
            f.setFontWeight(QFont::Bold);
        if (s.style.italic)
            f.setFontItalic(true);
        if (s.style.underline)
            f.setFontUnderline(true);
        c.insertText(s.text, f);
    }
}

void CodeCellView::writeText(QTextCursor &c, const QString &text)
{
    writeAnsi(c, QStringView(text).first(qMin(text.size(), kMaxResultText)), QTextCharFormat());
    if (text.size() > kMaxResultText) {
        c.insertBlock();
        writeNote(c, tr("[cut: %1 more characters]").arg(text.size() - kMaxResultText));
    }
}

void CodeCellView::writeImage(QTextCursor &c, const QImage &image)
{
    const QUrl name(QStringLiteral("%1:%2").arg(kImageScheme).arg(m_images.size()));
    m_output->document()->addResource(QTextDocument::ImageResource, name, image);
    QTextImageFormat f;
    f.setName(name.toString());
    if (image.width() > kMaxImageWidth) {
        f.setWidth(kMaxImageWidth);
        f.setHeight(double(image.height()) * kMaxImageWidth / image.width());
    }
    c.insertImage(f);
    m_images.append(image);
}

void CodeCellView::writeNote(QTextCursor &c, const QString &text)
{
    QTextCharFormat f;
    f.setFontItalic(true);
    f.setForeground(palette().color(QPalette::PlaceholderText));
    c.insertText(text, f);
}

void CodeCellView::startBlock(QTextCursor &c)
{
    if (!c.atBlockStart())
        c.insertBlock();
}

void CodeCellView::fitHeight(const QSizeF &documentSize)
{
    // The size the layout reports, not document()->size(): asking for that
    // would lay out the whole document at once.
    const int content = int(documentSize.height()) + 2 * m_output->frameWidth() + 4;
    m_output->setFixedHeight(qMin(content, kMaxOutputHeight));
}

void CodeCellView::showContextMenu(const QPoint &pos)
{
    // The image under the pointer, if any: its character is just before or
    // just after the position the pointer maps to.
    int which = -1;
    QTextCursor at = m_output->cursorForPosition(pos);
    for (int step = 0; step < 2 && which < 0; ++step) {
        const QTextCharFormat f = at.charFormat();
        if (f.isImageFormat()) {
            const QUrl url(f.toImageFormat().name());
            if (url.scheme() == kImageScheme)
                which = url.path().toInt();
        }
        at.movePosition(QTextCursor::NextCharacter);
    }
    QMenu *menu = m_output->createStandardContextMenu(pos);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    if (which >= 0 && which < m_images.size()) {
        menu->addSeparator();
        menu->addAction(tr("Save image…"), this, [this, which] { saveImage(which); });
    }
    menu->popup(m_output->viewport()->mapToGlobal(pos));
}

void CodeCellView::saveImage(int which)
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Save the image"), QStringLiteral("cell-image.png"),
                                                      tr("PNG images (*.png);;JPEG images (*.jpg *.jpeg)"));
    if (path.isEmpty() || m_images.at(which).save(path))
        return;
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Save the image"),
                                tr("The image could not be written to %1.").arg(QDir::toNativeSeparators(path)),
                                QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}
