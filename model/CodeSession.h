// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "CodeCell.h"
#include "CodeInputHistory.h"

#include <QElapsedTimer>
#include <QList>
#include <QObject>

class CodeRunner;
class EngineClient;

// A code console's state for one sandbox: its history of cells and notes,
// the inputs run (for recall), the runner of its one running cell. The
// history only grows at the end and only the running cell changes, so a
// view appends and refreshes one cell rather than rebuilds.
class CodeSession : public QObject
{
    Q_OBJECT
public:
    CodeSession(EngineClient *client, const QString &sandboxId, QObject *parent = nullptr);

    QString sandboxId() const;
    int count() const { return int(m_cells.size()); }
    const CodeCell &cell(int index) const { return m_cells.at(index); }
    bool isRunning() const;
    // The running cell's index, or -1.
    int runningIndex() const { return m_running; }
    CodeInputHistory &inputs() { return m_inputs; }
    CodeRunner *runner() const { return m_runner; }

    // Appends a cell and runs it; false while another cell runs.
    bool run(const QString &code);
    // A code cell of the sandbox's activity log: appended when someone else
    // ran it (an agent), not when it is one this console ran (same code and
    // number, or the code of the cell still running here) or was seen
    // already. Returns whether it was appended.
    bool addFromLog(const ActivityEntry &entry);
    void interrupt();
    // Restarts the kernel; a note says how it went.
    void restart();
    // Stops following the running cell (it ends with a sentence).
    void cancel();

    static QString restartedSentence();

Q_SIGNALS:
    void cellAdded(int index);
    // New outputs in a running cell; a view should coalesce these.
    void cellChanged(int index);
    void cellFinished(int index);

private:
    void addNote(const QString &text);

    CodeRunner *m_runner;
    QList<CodeCell> m_cells;
    CodeInputHistory m_inputs;
    QElapsedTimer m_clock;
    int m_running = -1;
    qint64 m_lastLogSeq = 0; // log entries up to this one were looked at
};
