// SPDX-License-Identifier: GPL-3.0-or-later
#include "CodeCell.h"

CodeCell::CodeCell(const QString &code)
    : m_code(code)
{
}

CodeCell CodeCell::note(const QString &text)
{
    CodeCell c;
    c.m_isNote = true;
    c.m_note = text;
    c.m_state = State::Finished;
    return c;
}

bool CodeCell::raisedError() const
{
    for (const Output &o : m_outputs) {
        if (o.kind == Output::Kind::Error)
            return true;
    }
    return false;
}

CodeCell CodeCell::fromLog(const ActivityEntry &entry)
{
    CodeCell c(entry.cmd);
    c.m_logSeq = entry.seq;
    if (!entry.out.isEmpty())
        c.apply({CodeEvent::Type::Stdout, entry.out, {}, {}, {}});
    if (!entry.err.isEmpty())
        c.apply({CodeEvent::Type::Stderr, entry.err, {}, {}, {}});
    if (!entry.result.isEmpty()) {
        CodeResult r;
        r.text = entry.result;
        r.isMainResult = true;
        c.apply({CodeEvent::Type::Result, {}, r, {}, {}});
    }
    if (!entry.errorName.isEmpty())
        c.apply({CodeEvent::Type::Error, {}, {}, {entry.errorName, entry.errorValue, entry.traceback}, {}});
    c.apply({CodeEvent::Type::End, {}, {}, {}, entry.executionCount});
    c.finish(QString(), entry.durationMs().value_or(0));
    return c;
}

void CodeCell::apply(const CodeEvent &event)
{
    switch (event.type) {
    case CodeEvent::Type::Stdout:
        appendStream(Output::Kind::Stdout, event.text);
        break;
    case CodeEvent::Type::Stderr:
        appendStream(Output::Kind::Stderr, event.text);
        break;
    case CodeEvent::Type::Result: {
        const CodeResult &r = event.result;
        Output o;
        o.kind = Output::Kind::Result;
        o.result = r;
        appendOther(std::move(o), r.png.size() + r.jpeg.size() + r.pdf.size() + r.svg.size() + r.html.size());
        break;
    }
    case CodeEvent::Type::Error: {
        Output o;
        o.kind = Output::Kind::Error;
        o.error = event.error;
        appendOther(std::move(o), 0);
        break;
    }
    case CodeEvent::Type::End:
        m_count = event.executionCount;
        break;
    }
}

void CodeCell::finish(const QString &problem, qint64 durationMs)
{
    m_problem = problem;
    m_durationMs = durationMs;
    m_state = problem.isEmpty() ? State::Finished : State::Failed;
}

void CodeCell::appendStream(Output::Kind kind, const QString &text)
{
    if (text.isEmpty())
        return;
    const qsizetype room = kHeadChars - m_headChars;
    const QString head = text.first(qMin(room, text.size()));
    if (!head.isEmpty()) {
        if (m_outputs.isEmpty() || m_outputs.last().kind != kind) {
            Output o;
            o.kind = kind;
            m_outputs.append(std::move(o));
        }
        m_outputs.last().text += head;
        m_headChars += head.size();
    }
    if (head.size() == text.size())
        return;
    const QString rest = text.sliced(head.size());
    m_beyondHead += rest.size();
    m_tail += rest;
    if (m_tail.size() > kTailChars) {
        // Start the tail at a line when one starts close enough.
        qsizetype cut = m_tail.size() - kTailChars;
        const qsizetype nl = m_tail.indexOf(QLatin1Char('\n'), cut);
        if (nl >= 0 && nl - cut < 1024)
            cut = nl + 1;
        m_tail.remove(0, cut);
    }
    ++m_tailRevision;
}

void CodeCell::appendOther(Output output, qsizetype bytes)
{
    if (m_outputs.size() >= kMaxOutputs || m_resultBytes + bytes > kMaxResultBytes) {
        ++m_droppedOutputs;
        return;
    }
    m_resultBytes += bytes;
    m_outputs.append(std::move(output));
}
