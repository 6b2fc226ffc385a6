// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ActivityEntry.h"
#include "CodeEvent.h"

#include <QList>
#include <QString>

#include <optional>

// One entry of a code console's history: a cell (its code, what it printed
// and displayed in order, how it ended, how long it took) or a note between
// cells ("Kernel restarted …"). Data only; a view renders it and learns what
// is new from the sizes and tailRevision().
//
// What a cell keeps is bounded: the first kHeadChars of its stream output,
// then only the latest kTailChars (tail()), with the characters between
// counted in droppedChars(); at most kMaxOutputs results and errors, and
// kMaxResultBytes of images and PDFs, the rest counted in droppedOutputs().
class CodeCell
{
public:
    enum class State { Running, Finished, Failed };
    struct Output
    {
        enum class Kind { Stdout, Stderr, Result, Error };
        Kind kind = Kind::Stdout;
        QString text; // Stdout, Stderr: consecutive text of one stream merged
        CodeResult result;
        CodeError error;
    };

    static constexpr qsizetype kTailChars = 64 * 1024;
    static constexpr qsizetype kHeadChars = 1024 * 1024 - kTailChars;
    static constexpr int kMaxOutputs = 500;
    static constexpr qsizetype kMaxResultBytes = 64 * 1024 * 1024;

    explicit CodeCell(const QString &code = QString());
    static CodeCell note(const QString &text);
    // A cell someone else ran (an agent through the API), as the sandbox's
    // activity log kept it: its code, output, main result's text, error,
    // number and duration. Finished.
    static CodeCell fromLog(const ActivityEntry &entry);

    bool isNote() const { return m_isNote; }
    // Whether it came from the activity log (not run from this console),
    // and the log entry's seq.
    bool fromLog() const { return m_logSeq > 0; }
    qint64 logSeq() const { return m_logSeq; }
    QString code() const { return m_code; }
    QString noteText() const { return m_note; }
    State state() const { return m_state; }
    bool isRunning() const { return m_state == State::Running; }
    std::optional<int> executionCount() const { return m_count; }
    // Why the cell's answer failed (HTTP error, broken stream), if it did.
    QString problem() const { return m_problem; }
    qint64 durationMs() const { return m_durationMs; }
    bool raisedError() const;

    const QList<Output> &outputs() const { return m_outputs; }
    QString tail() const { return m_tail; }
    quint64 tailRevision() const { return m_tailRevision; }
    qint64 droppedChars() const { return m_beyondHead - m_tail.size(); }
    int droppedOutputs() const { return m_droppedOutputs; }

    // Adds what an event brings; an end event records the execution count.
    void apply(const CodeEvent &event);
    void finish(const QString &problem, qint64 durationMs);

private:
    void appendStream(Output::Kind kind, const QString &text);
    void appendOther(Output output, qsizetype bytes);

    QString m_code;
    QString m_note;
    bool m_isNote = false;
    qint64 m_logSeq = 0;
    State m_state = State::Running;
    std::optional<int> m_count;
    QString m_problem;
    qint64 m_durationMs = 0;
    QList<Output> m_outputs;
    qsizetype m_headChars = 0;
    qsizetype m_beyondHead = 0;
    qsizetype m_resultBytes = 0;
    QString m_tail;
    quint64 m_tailRevision = 0;
    int m_droppedOutputs = 0;
};
