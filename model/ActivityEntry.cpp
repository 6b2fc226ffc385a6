// SPDX-License-Identifier: GPL-3.0-or-later
#include "ActivityEntry.h"

#include "ActivityFields.h"
#include "ActivityLogPage.h"
#include "AnsiText.h"
#include "Formatting.h"
#include "Timestamps.h"

#include <QJsonArray>

#include <limits>

namespace {

// The engine keeps 64 KiB per stream; anything far beyond that is not from
// it and is cut rather than carried around.
constexpr qsizetype kMaxText = 1 << 20;
// What a one-line summary shows of a long command.
constexpr qsizetype kMaxSummary = 300;

QString text(const QJsonObject &o, QLatin1StringView key)
{
    QString s = o.value(key).toString();
    if (s.size() > kMaxText)
        s = s.right(kMaxText);
    return s;
}

std::optional<int> smallWhole(const QJsonValue &v)
{
    const auto w = ActivityRecord::wholeNumber(v);
    if (!w || *w < std::numeric_limits<int>::min() || *w > std::numeric_limits<int>::max())
        return std::nullopt;
    return int(*w);
}

QString oneLine(const QString &s)
{
    QString line = s.simplified();
    if (line.size() > kMaxSummary)
        line = line.left(kMaxSummary - 1) + QChar(0x2026);
    return line;
}

} // namespace

using namespace ActivityFields;

std::optional<ActivityEntry> ActivityEntry::fromJson(const QJsonObject &o)
{
    const auto r = ActivityRecord::fromJson(o);
    if (!r)
        return std::nullopt;
    auto e = fromRecord(*r);
    if (e)
        e->raw = o;
    return e;
}

std::optional<ActivityEntry> ActivityEntry::fromRecord(const ActivityRecord &r)
{
    const auto kind = ActivityRecord::kindFromName(r.kind);
    if (!kind)
        return std::nullopt;

    ActivityEntry e;
    e.seq = r.seq;
    e.kind = *kind;
    e.time = r.time;
    e.raw = r.toJson();
    const QJsonObject &o = r.fields;
    switch (e.kind) {
    case Kind::Command:
        e.commandId = text(o, kCommandId);
        e.cmd = text(o, kCmd);
        e.cwd = text(o, kCwd);
        e.user = text(o, kUser);
        e.background = o.value(kBackground).toBool();
        e.pid = ActivityRecord::wholeNumber(o.value(kPid));
        e.status = text(o, kStatus);
        if (e.status.isEmpty())
            e.status = kStatusExited;
        e.startedAt = Timestamps::fromJson(o.value(kStartedAt));
        e.endedAt = Timestamps::fromJson(o.value(kEndedAt));
        e.exitCode = smallWhole(o.value(kExitCode));
        e.commandError = text(o, kError);
        e.out = text(o, kStdout);
        e.err = text(o, kStderr);
        e.truncated = o.value(kTruncated).toBool();
        e.touched = TouchedFiles::fromJson(o.value(kTouched));
        break;
    case Kind::Code: {
        e.cmd = text(o, kCode);
        e.status = text(o, kOutcome);
        e.out = text(o, kStdout);
        e.err = text(o, kStderr);
        e.result = text(o, kResult);
        e.executionCount = smallWhole(o.value(kExecutionCount));
        e.touched = TouchedFiles::fromJson(o.value(kTouched));
        e.startedAt = Timestamps::fromJson(o.value(kStartedAt));
        e.endedAt = Timestamps::fromJson(o.value(kEndedAt));
        const QJsonObject error = o.value(kError).toObject();
        e.errorName = text(error, kErrorName);
        e.errorValue = text(error, kErrorValue);
        const QJsonValue tb = error.value(kErrorTraceback);
        if (tb.isArray()) {
            QStringList lines;
            for (const QJsonValue &v : tb.toArray())
                lines.append(v.toString());
            e.traceback = lines.join(QLatin1Char('\n'));
        } else {
            e.traceback = tb.toString();
        }
        break;
    }
    case Kind::File:
        e.op = text(o, kOp);
        e.path = text(o, kPath);
        e.to = text(o, kTo);
        e.bytes = ActivityRecord::wholeNumber(o.value(kBytes));
        break;
    case Kind::Lifecycle:
        e.event = text(o, kEvent);
        if (o.contains(kPauseKind))
            e.detail = text(o, kPauseKind);
        else if (o.contains(kReason))
            e.detail = text(o, kReason);
        else if (o.contains(kEndAt))
            e.detail = o.value(kEndAt).isNull() ? QStringLiteral("no limit") : text(o, kEndAt);
        break;
    case Kind::Pty:
        e.event = text(o, kEvent);
        e.detail = text(o, kPtyId);
        e.cmd = text(o, kCmd);
        e.user = text(o, kUser);
        break;
    }
    return e;
}

std::optional<qint64> ActivityEntry::durationMs() const
{
    if (!startedAt.isValid() || !endedAt.isValid())
        return std::nullopt;
    return qMax<qint64>(0, startedAt.msecsTo(endedAt));
}

QString ActivityEntry::summary() const
{
    switch (kind) {
    case Kind::Command:
        return oneLine(cmd);
    case Kind::Code: {
        // A cell's lines stay apart on one row: "x = 6 ⏎ x * 7".
        QStringList lines = cmd.split(QLatin1Char('\n'));
        while (!lines.isEmpty() && lines.last().trimmed().isEmpty())
            lines.removeLast();
        for (QString &l : lines)
            l = l.trimmed();
        return oneLine(lines.join(QStringLiteral(" \u23CE ")));
    }
    case Kind::File: {
        QString s = op + QLatin1Char(' ') + path;
        if (!to.isEmpty())
            s += QStringLiteral(" → ") + to;
        if (bytes)
            s += QStringLiteral(" (%1)").arg(Formatting::bytes(*bytes));
        return oneLine(s);
    }
    case Kind::Lifecycle:
        return oneLine(detail.isEmpty() ? event : QStringLiteral("%1 (%2)").arg(event, detail));
    case Kind::Pty: {
        QString s = QStringLiteral("terminal %1").arg(event);
        if (!cmd.isEmpty())
            s += QStringLiteral(": ") + cmd;
        const auto cols = ActivityRecord::wholeNumber(raw.value(kCols));
        const auto rows = ActivityRecord::wholeNumber(raw.value(kRows));
        if (cols && rows)
            s += QStringLiteral(" %1×%2").arg(*cols).arg(*rows);
        return oneLine(s);
    }
    }
    return {};
}

QString ActivityEntry::fromFirstWholeLine(const QString &text, bool truncated)
{
    if (!truncated)
        return text;
    const qsizetype newline = text.indexOf(QLatin1Char('\n'));
    return newline < 0 ? text : text.mid(newline + 1);
}

QString ActivityEntry::lastOutputLine() const
{
    // A cell's value is what it gave, beside what it printed.
    if (kind == Kind::Code && !errorName.isEmpty())
        return oneLine(errorValue.isEmpty() ? errorName : errorName + QStringLiteral(": ") + errorValue);
    if (kind == Kind::Code && !result.trimmed().isEmpty() && out.trimmed().isEmpty())
        return oneLine(result);
    // Only the tail matters: strip escapes from the last few KiB at most.
    const QString &source = !out.trimmed().isEmpty() ? out : err;
    if (source.isEmpty())
        return {};
    const QString plain = AnsiText::strip(QStringView(source).right(4096));
    const QStringList lines = plain.split(QLatin1Char('\n'));
    for (auto it = lines.crbegin(); it != lines.crend(); ++it) {
        if (!it->trimmed().isEmpty())
            return oneLine(*it);
    }
    return {};
}

QString ActivityEntry::exitText() const
{
    return exitCode ? QString::number(*exitCode) : QString();
}

QString ActivityEntry::statusText() const
{
    if (kind == Kind::Command) {
        if (!commandError.isEmpty())
            return exitCode ? QStringLiteral("%1 (exit %2)").arg(commandError).arg(*exitCode) : commandError;
        if (status == kStatusExited)
            return exitCode ? QStringLiteral("exit %1").arg(*exitCode) : QStringLiteral("exited");
        return status;
    }
    if (kind == Kind::Code)
        return status == kOutcomeError && !errorName.isEmpty() ? QStringLiteral("error: ") + errorName : status;
    return {};
}

Result<ActivityPage> ActivityPage::parse(const QByteArray &body)
{
    auto read = ActivityLogPage::fromJson(body);
    if (!read)
        return read.error();
    ActivityPage page;
    page.nextAfter = read->nextAfter;
    page.running = read->running;
    page.skipped = read->skipped;
    qint64 last = 0;
    for (const ActivityRecord &r : read->entries) {
        auto e = ActivityEntry::fromRecord(r);
        // Entries come oldest first; one out of order is not trusted.
        if (!e || e->seq <= last) {
            ++page.skipped;
            continue;
        }
        last = e->seq;
        page.entries.append(std::move(*e));
    }
    return page;
}
