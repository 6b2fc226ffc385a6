// SPDX-License-Identifier: GPL-3.0-or-later
#include "CodePane.h"

#include "CodeCellView.h"
#include "CodeEditor.h"
#include "CodeHistoryView.h"
#include "CodeSession.h"
#include "EngineClient.h"
#include "LivePoll.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLoggingCategory>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QVBoxLayout>

Q_LOGGING_CATEGORY(lcUiCode, "ai2in.ui.code", QtInfoMsg)

CodePane::CodePane(EngineClient *client, QWidget *parent)
    : QWidget(parent)
    , m_client(client)
    , m_stack(new QStackedWidget(this))
    , m_empty(new QLabel(this))
    , m_notice(new QLabel(this))
    , m_editor(new CodeEditor(this))
    , m_run(new QPushButton(tr("Run"), this))
    , m_interrupt(new QPushButton(tr("Interrupt"), this))
    , m_restart(new QPushButton(tr("Restart kernel"), this))
    , m_logPoll(new LivePoll(2000, [this] { readLog(); }, this))
{
    m_empty->setObjectName(QStringLiteral("codeEmpty"));
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setText(tr("Select a sandbox to run Python code in it."));
    m_stack->setObjectName(QStringLiteral("codeStack"));
    m_stack->addWidget(m_empty);
    m_notice->setObjectName(QStringLiteral("codeNotice"));
    m_notice->setWordWrap(true);
    m_notice->hide();
    m_editor->setObjectName(QStringLiteral("codeEditor"));
    m_editor->setAccessibleName(tr("Python code to run"));
    m_run->setObjectName(QStringLiteral("codeRun"));
    m_run->setToolTip(tr("Run the code (Ctrl+Enter)"));
    m_interrupt->setObjectName(QStringLiteral("codeInterrupt"));
    m_interrupt->setToolTip(tr("Stop the running cell (KeyboardInterrupt)"));
    m_restart->setObjectName(QStringLiteral("codeRestart"));
    m_restart->setToolTip(tr("Start a fresh kernel; every variable is lost"));

    auto *top = new QHBoxLayout;
    top->setContentsMargins(0, 0, 0, 0);
    top->addWidget(m_interrupt);
    top->addWidget(m_restart);
    top->addStretch(1);

    auto *input = new QWidget(this);
    auto *inputRow = new QHBoxLayout(input);
    inputRow->setContentsMargins(0, 0, 0, 0);
    inputRow->addWidget(m_editor, 1);
    inputRow->addWidget(m_run, 0, Qt::AlignBottom);
    m_editor->setMinimumHeight(m_editor->fontMetrics().lineSpacing() * 3);

    auto *split = new QSplitter(Qt::Vertical, this);
    split->setObjectName(QStringLiteral("codeSplitter"));
    split->addWidget(m_stack);
    split->addWidget(input);
    split->setStretchFactor(0, 4);
    split->setStretchFactor(1, 1);
    // The cells get the room; the editor starts a few lines high (its own
    // size hint would take a third of the pane).
    split->setSizes({800, 120});
    split->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_notice);
    layout->addWidget(split, 1);

    connect(m_editor, &CodeEditor::runRequested, this, &CodePane::runFromEditor);
    connect(m_run, &QPushButton::clicked, this, &CodePane::runFromEditor);
    connect(m_interrupt, &QPushButton::clicked, this, &CodePane::interrupt);
    connect(m_restart, &QPushButton::clicked, this, &CodePane::restart);
    updateState();
}

void CodePane::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    updateLogReading();
}

void CodePane::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    updateLogReading();
}

void CodePane::updateLogReading()
{
    m_logPoll->setWanted(isVisible() && !m_id.isEmpty());
}

void CodePane::readLog()
{
    if (m_logInFlight || m_id.isEmpty())
        return;
    m_logInFlight = true;
    const QString id = m_id;
    m_client->activity(id, m_logCursor.value(id), 200, this, [this, id](Result<ActivityPage> r) {
        m_logInFlight = false;
        CodeSession *s = m_sessions.value(id);
        if (!r || !s)
            return; // the command log says what is wrong with the engine
        for (const ActivityEntry &e : r->entries)
            s->addFromLog(e);
        m_logCursor.insert(id, qMax(m_logCursor.value(id), r->nextAfter));
        // A full page: there is more to read now.
        if (r->entries.size() == 200 && id == m_id)
            readLog();
    });
}

CodeSession *CodePane::session() const
{
    return m_sessions.value(m_id);
}

CodeHistoryView *CodePane::historyView() const
{
    return m_views.value(m_id);
}

void CodePane::setSandbox(const QString &id, bool running)
{
    if (m_known && id == m_id && running == m_running)
        return;
    m_known = true;
    if (id != m_id) {
        if (!m_id.isEmpty() && m_sessions.contains(m_id))
            m_drafts.insert(m_id, m_editor->toPlainText());
        m_id = id;
        CodeSession *s = id.isEmpty() ? nullptr : openSession(id);
        m_editor->setHistory(s ? &s->inputs() : nullptr);
        m_editor->setPlainText(m_drafts.value(id));
        m_stack->setCurrentWidget(s ? static_cast<QWidget *>(historyView()) : m_empty);
    }
    m_running = running;
    updateState();
    updateLogReading();
}

CodeSession *CodePane::openSession(const QString &id)
{
    m_recent.removeAll(id);
    m_recent.append(id);
    if (CodeSession *s = m_sessions.value(id))
        return s;
    // Bounded: forget the least recently shown histories with nothing running.
    for (qsizetype i = 0; m_sessions.size() >= kMaxSessions && i < m_recent.size() - 1;) {
        const QString old = m_recent.at(i);
        if (m_sessions.value(old) && !m_sessions.value(old)->isRunning())
            dropSession(old);
        else
            ++i;
    }
    auto *s = new CodeSession(m_client, id, this);
    auto *view = new CodeHistoryView(s, m_stack);
    m_sessions.insert(id, s);
    m_views.insert(id, view);
    m_stack->addWidget(view);
    connect(view, &CodeHistoryView::cellFinished, this, [this, s](int index) {
        if (s == session()) {
            updateState();
            Q_EMIT cellFinished(index);
        }
    });
    qCDebug(lcUiCode) << "history opened for" << id;
    return s;
}

void CodePane::dropSession(const QString &id)
{
    m_recent.removeAll(id);
    m_logCursor.remove(id);
    m_drafts.remove(id);
    if (CodeHistoryView *view = m_views.take(id)) {
        m_stack->removeWidget(view);
        view->deleteLater();
    }
    if (CodeSession *s = m_sessions.take(id)) {
        s->cancel();
        s->deleteLater();
    }
}

void CodePane::keepSandboxes(const QStringList &ids)
{
    const QStringList known = m_sessions.keys();
    for (const QString &id : known) {
        if (!ids.contains(id) && id != m_id)
            dropSession(id);
    }
}

bool CodePane::isRunning() const
{
    const CodeSession *s = session();
    return s && s->isRunning();
}

bool CodePane::run(const QString &code)
{
    CodeSession *s = session();
    if (!s || !m_running || s->isRunning() || code.trimmed().isEmpty())
        return false;
    if (!s->run(code))
        return false;
    updateState();
    Q_EMIT cellStarted(s->count() - 1);
    return true;
}

void CodePane::runFromEditor()
{
    if (run(m_editor->toPlainText()))
        m_editor->clear();
}

void CodePane::interrupt()
{
    if (CodeSession *s = session())
        s->interrupt();
}

void CodePane::restart()
{
    CodeSession *s = session();
    if (!s || !m_running)
        return;
    auto *box = new QMessageBox(QMessageBox::Question, tr("Restart the kernel"),
                                tr("Restart the kernel of %1? Every variable and import is lost.").arg(m_id),
                                QMessageBox::Yes | QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("codeRestartQuestion"));
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    // The answer goes to the sandbox asked about, even if another one is
    // shown by then.
    const QPointer<CodeSession> asked(s);
    connect(box, &QMessageBox::finished, this, [asked](int result) {
        if (result == QMessageBox::Yes && asked)
            asked->restart();
    });
    box->open();
}

void CodePane::updateState()
{
    const CodeSession *s = session();
    const bool busy = s && s->isRunning();
    m_run->setEnabled(s && m_running && !busy);
    m_editor->setEnabled(s != nullptr);
    m_interrupt->setEnabled(busy && m_running);
    m_restart->setEnabled(s && m_running);
    QString notice;
    if (s && !m_running)
        notice = tr("The sandbox is not running; resume it to run code. Its earlier cells stay here.");
    m_notice->setText(notice);
    m_notice->setVisible(!notice.isEmpty());
}

QString CodePane::noticeText() const
{
    return session() ? m_notice->text() : m_empty->text();
}

int CodePane::cellCount() const
{
    const CodeSession *s = session();
    return s ? s->count() : 0;
}

const CodeCellView *CodePane::cellView(int index) const
{
    const CodeHistoryView *v = historyView();
    return v ? v->cellView(index) : nullptr;
}

QString CodePane::cellPrompt(int index) const
{
    const CodeCellView *c = cellView(index);
    return c ? c->promptText() : QString();
}

QString CodePane::cellOutputText(int index) const
{
    const CodeCellView *c = cellView(index);
    return c ? c->outputText() : QString();
}

QList<QImage> CodePane::cellImages(int index) const
{
    const CodeCellView *c = cellView(index);
    return c ? c->images() : QList<QImage>();
}

QString CodePane::cellFacts(int index) const
{
    const CodeCellView *c = cellView(index);
    return c ? c->factsText() : QString();
}
