// SPDX-License-Identifier: GPL-3.0-or-later
#include "ActivityOutputView.h"

#include "AnsiText.h"

#include <QCheckBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QScrollBar>
#include <QTextBrowser>
#include <QVBoxLayout>

#include <algorithm>

namespace {

quint32 rgbOf(const QColor &c)
{
    return quint32(c.red()) << 16 | quint32(c.green()) << 8 | quint32(c.blue());
}

QString sectionTitle(const QString &name, bool html)
{
    return html ? QStringLiteral("<p style=\"margin:6px 0 2px 0\"><b>%1</b></p>").arg(name.toHtmlEscaped())
                : QStringLiteral("── %1 ──\n").arg(name);
}

} // namespace

ActivityOutputView::ActivityOutputView(QWidget *parent)
    : QWidget(parent)
    , m_header(new QLabel(this))
    , m_colours(new QCheckBox(tr("Colours"), this))
    , m_kill(new QPushButton(tr("Kill…"), this))
    , m_touchedTitle(new QLabel(this))
    , m_touched(new QListWidget(this))
    , m_text(new QTextBrowser(this))
{
    m_header->setObjectName(QStringLiteral("activityHeader"));
    m_header->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_header->setWordWrap(true);
    m_colours->setObjectName(QStringLiteral("activityColours"));
    m_colours->setChecked(true);
    m_colours->setToolTip(tr("Show the output's ANSI colours, or the text without them"));
    m_kill->setObjectName(QStringLiteral("activityKillShown"));
    m_kill->setToolTip(tr("End this command and every process it started"));
    m_kill->setVisible(false);
    m_touchedTitle->setObjectName(QStringLiteral("activityTouchedTitle"));
    m_touchedTitle->setVisible(false);
    m_touched->setObjectName(QStringLiteral("activityTouched"));
    m_touched->setAccessibleName(tr("Files the selected entry touched"));
    m_touched->setToolTip(tr("Click a file to see its diff against the template in Changes"));
    m_touched->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_touched->setUniformItemSizes(true);
    m_touched->setVisible(false);
    m_text->setObjectName(QStringLiteral("activityOutput"));
    m_text->setAccessibleName(tr("Output of the selected entry"));
    m_text->setOpenLinks(false);
    m_text->setLineWrapMode(QTextEdit::NoWrap);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_text->setPlaceholderText(tr("Select an entry to see its output."));

    auto *top = new QHBoxLayout;
    top->setContentsMargins(0, 0, 0, 0);
    top->addWidget(m_header, 1);
    top->addWidget(m_kill, 0, Qt::AlignTop);
    top->addWidget(m_colours, 0, Qt::AlignTop);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(m_touchedTitle);
    layout->addWidget(m_touched);
    layout->addWidget(m_text, 1);

    connect(m_colours, &QCheckBox::toggled, this, [this] { render(); });
    connect(m_kill, &QPushButton::clicked, this, &ActivityOutputView::killRequested);
    auto open = [this](QListWidgetItem *item) {
        if (item)
            Q_EMIT touchedFileClicked(item->data(Qt::UserRole).toString());
    };
    connect(m_touched, &QListWidget::itemClicked, this, open);
    connect(m_touched, &QListWidget::itemActivated, this, open);
}

void ActivityOutputView::setKillEnabled(bool on)
{
    m_kill->setEnabled(on);
}

void ActivityOutputView::showEntry(const ActivityEntry &entry)
{
    if (m_entry && m_entry->seq == entry.seq && m_entry->raw == entry.raw)
        return;
    const bool same = m_entry && m_entry->seq == entry.seq;
    QScrollBar *bar = m_text->verticalScrollBar();
    const bool atEnd = bar->value() >= bar->maximum();
    const int where = bar->value();
    m_entry = entry;
    render();
    if (same)
        bar->setValue(atEnd ? bar->maximum() : where);
    else if (entry.isRunning())
        bar->setValue(bar->maximum());
}

void ActivityOutputView::clear()
{
    m_entry.reset();
    m_kill->setVisible(false);
    m_header->clear();
    m_text->clear();
    renderTouched();
}

std::optional<qint64> ActivityOutputView::shownSeq() const
{
    return m_entry ? std::optional<qint64>(m_entry->seq) : std::nullopt;
}

void ActivityOutputView::setColours(bool on)
{
    m_colours->setChecked(on);
}

bool ActivityOutputView::colours() const
{
    return m_colours->isChecked();
}

QString ActivityOutputView::headerText() const
{
    return m_header->text();
}

QString ActivityOutputView::outputText() const
{
    return m_text->toPlainText();
}

QString ActivityOutputView::touchedTitle() const
{
    return m_entry && m_entry->touched ? m_touchedTitle->text() : QString();
}

void ActivityOutputView::renderTouched()
{
    const std::optional<TouchedFiles> touched = m_entry ? m_entry->touched : std::nullopt;
    m_touchedTitle->setVisible(touched.has_value());
    m_touched->setVisible(touched && !touched->paths.isEmpty());
    if (!touched) {
        m_touched->clear();
        return;
    }
    const int n = int(touched->paths.size());
    QString title = n == 0 ? tr("It changed no files in its home or working directory.")
                           : (n == 1 ? tr("It changed 1 file:") : tr("It changed %1 files:").arg(n));
    if (touched->partial)
        title += QLatin1Char(' ') + tr("(perhaps more: not all could be followed)");
    m_touchedTitle->setText(title);
    // The same list again (more output of the same entry) keeps its place.
    bool same = m_touched->count() == n;
    for (int i = 0; same && i < n; ++i)
        same = m_touched->item(i)->data(Qt::UserRole).toString() == touched->paths.at(i).path;
    if (same)
        return;
    m_touched->clear();
    for (const TouchedFiles::Path &p : touched->paths) {
        const ChangeEntry mark{p.path, p.change};
        auto *item = new QListWidgetItem(QStringLiteral("%1  %2%3").arg(mark.mark(), p.path,
                                                                      p.isDir ? QStringLiteral("/") : QString()));
        item->setData(Qt::UserRole, p.path);
        item->setToolTip(tr("%1 while it ran; click to see its diff in Changes").arg(ChangeEntry::kindName(p.change)));
        m_touched->addItem(item);
    }
    // Up to six rows in sight; the rest scroll.
    const int row = m_touched->sizeHintForRow(0);
    m_touched->setFixedHeight(std::min(n, 6) * std::max(row, 1) + 2 * m_touched->frameWidth() + 2);
}

void ActivityOutputView::render()
{
    if (!m_entry) {
        clear();
        return;
    }
    const ActivityEntry &e = *m_entry;
    m_kill->setVisible(e.isRunning());
    renderTouched();
    QStringList facts{ActivityEntry::kindName(e.kind)};
    if (!e.statusText().isEmpty())
        facts << e.statusText();
    if (const auto ms = e.durationMs())
        facts << tr("%1 ms").arg(*ms);
    if (e.background)
        facts << tr("background");
    if (!e.user.isEmpty())
        facts << tr("as %1").arg(e.user);
    if (!e.cwd.isEmpty())
        facts << tr("in %1").arg(e.cwd);
    if (!e.commandId.isEmpty())
        facts << e.commandId;
    if (e.truncated)
        facts << tr("output truncated");
    const QString what = e.kind == ActivityEntry::Kind::Command ? QStringLiteral("$ ") + e.summary() : e.summary();
    m_header->setText(what + QLatin1Char('\n') + facts.join(QStringLiteral(" · ")));

    const bool html = m_colours->isChecked();
    const quint32 fg = rgbOf(palette().color(QPalette::Text));
    const quint32 bg = rgbOf(palette().color(QPalette::Base));
    QString body;
    auto section = [&](const QString &name, const QString &text) {
        if (text.isEmpty())
            return;
        body += sectionTitle(name, html);
        if (html) {
            body += AnsiText::toHtml(AnsiText::parse(text), fg, bg);
        } else {
            body += AnsiText::strip(text);
            if (!body.endsWith(QLatin1Char('\n')))
                body += QLatin1Char('\n');
        }
    };
    if (e.kind == ActivityEntry::Kind::Code)
        section(tr("code"), e.cmd);
    // A cut output says where it was cut and starts at a whole line.
    const QString cut = tr("[… earlier output was dropped; the last 64 KiB are kept …]\n");
    auto output = [&](const QString &name, const QString &text) {
        if (e.truncated && !text.isEmpty())
            section(name, cut + ActivityEntry::fromFirstWholeLine(text, true));
        else
            section(name, text);
    };
    output(tr("stdout"), e.out);
    output(tr("stderr"), e.err);
    section(tr("result"), e.result);
    if (!e.errorName.isEmpty())
        section(tr("error"), e.errorName + QStringLiteral(": ") + e.errorValue + QLatin1Char('\n') + e.traceback);
    if (body.isEmpty() && (e.kind == ActivityEntry::Kind::Command || e.kind == ActivityEntry::Kind::Code))
        body = e.isRunning() ? tr("No output yet.") : tr("No output.");
    if (html)
        m_text->setHtml(body);
    else
        m_text->setPlainText(body);
}
