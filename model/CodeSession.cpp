// SPDX-License-Identifier: GPL-3.0-or-later
#include "CodeSession.h"

#include "CodeRunner.h"

CodeSession::CodeSession(EngineClient *client, const QString &sandboxId, QObject *parent)
    : QObject(parent)
    , m_runner(new CodeRunner(client, sandboxId, this))
{
    connect(m_runner, &CodeRunner::eventReceived, this, [this](const CodeEvent &event) {
        if (m_running < 0)
            return;
        m_cells[m_running].apply(event);
        Q_EMIT cellChanged(m_running);
    });
    connect(m_runner, &CodeRunner::finished, this, [this](const QString &problem) {
        const int index = std::exchange(m_running, -1);
        if (index < 0)
            return;
        m_cells[index].finish(problem, m_clock.elapsed());
        Q_EMIT cellFinished(index);
    });
    connect(m_runner, &CodeRunner::interruptAnswered, this, [this](bool ok, const QString &problem) {
        if (!ok)
            addNote(tr("The interrupt did not reach the kernel: %1").arg(problem));
    });
    connect(m_runner, &CodeRunner::restartAnswered, this, [this](bool ok, const QString &problem) {
        addNote(ok ? restartedSentence() : tr("The kernel was not restarted: %1").arg(problem));
    });
}

QString CodeSession::sandboxId() const
{
    return m_runner->sandboxId();
}

QString CodeSession::restartedSentence()
{
    return tr("Kernel restarted — variables are gone.");
}

bool CodeSession::isRunning() const
{
    return m_runner->isRunning();
}

bool CodeSession::run(const QString &code)
{
    if (m_runner->isRunning() || code.trimmed().isEmpty())
        return false;
    m_inputs.add(code);
    m_cells.append(CodeCell(code));
    m_running = int(m_cells.size()) - 1;
    m_clock.start();
    Q_EMIT cellAdded(m_running);
    m_runner->run(code);
    return true;
}

bool CodeSession::addFromLog(const ActivityEntry &entry)
{
    if (entry.kind != ActivityEntry::Kind::Code || entry.seq <= m_lastLogSeq)
        return false;
    m_lastLogSeq = entry.seq;
    for (const CodeCell &c : std::as_const(m_cells)) {
        if (c.isNote() || c.fromLog() || c.code() != entry.cmd)
            continue;
        // The log records a cell before this console hears its end.
        if (c.isRunning() || c.executionCount() == entry.executionCount)
            return false;
    }
    m_cells.append(CodeCell::fromLog(entry));
    Q_EMIT cellAdded(int(m_cells.size()) - 1);
    return true;
}

void CodeSession::interrupt()
{
    if (m_runner->isRunning())
        m_runner->interrupt();
}

void CodeSession::restart()
{
    m_runner->restart();
}

void CodeSession::cancel()
{
    m_runner->cancel();
}

void CodeSession::addNote(const QString &text)
{
    // A note may land after a cell that still runs: views refresh cells by
    // index, not only the last one.
    m_cells.append(CodeCell::note(text));
    Q_EMIT cellAdded(int(m_cells.size()) - 1);
}
