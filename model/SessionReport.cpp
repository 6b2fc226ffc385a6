// SPDX-License-Identifier: GPL-3.0-or-later
#include "SessionReport.h"

#include "AnsiText.h"
#include "Formatting.h"

#include <QStringList>

#include <algorithm>
#include <cmath>

namespace {

// Light colours that print well; the diff's are those of the Changes tab.
const char kStyle[] = R"css(
body { font: 14px/1.45 system-ui, "DejaVu Sans", sans-serif; color: #1d2430; background: #fff; margin: 0 auto;
       max-width: 1240px; padding: 16px 24px 48px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 18px; border-bottom: 1px solid #d5dae1; padding-bottom: 4px; margin: 28px 0 10px; }
h3 { font-size: 15px; margin: 18px 0 6px; }
h4 { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: #5b6573; margin: 8px 0 2px; }
code, pre, .mono { font-family: "DejaVu Sans Mono", ui-monospace, monospace; font-size: 12.5px; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; margin: 0; }
.made { color: #5b6573; margin: 0 0 8px; }
nav a { margin-right: 14px; color: #1f5fbf; text-decoration: none; }
table { border-collapse: collapse; }
table.info th { text-align: left; vertical-align: top; padding: 3px 16px 3px 0; color: #5b6573; font-weight: 600;
                white-space: nowrap; }
table.info td { padding: 3px 0; }
table.list td, table.list th { padding: 2px 12px 2px 0; text-align: left; vertical-align: top; }
table.list th { color: #5b6573; font-weight: 600; border-bottom: 1px solid #d5dae1; }
td.num { text-align: right; white-space: nowrap; }
.problem { background: #fff4e5; border-left: 4px solid #e08a00; padding: 6px 10px; margin: 6px 0; }
.muted { color: #6b7480; }
.timeline img { max-width: 100%; border: 1px solid #d5dae1; }
.entry { border: 1px solid #d5dae1; border-left: 5px solid #9aa4b1; border-radius: 4px; padding: 6px 10px; margin: 8px 0;
         break-inside: avoid; }
.entry.ok { border-left-color: #2e9d4a; }
.entry.failed { border-left-color: #d2322d; }
.entry.running { border-left-color: #2f6fd6; }
.entry .head { display: flex; flex-wrap: wrap; gap: 4px 12px; align-items: baseline; }
.entry .seq { color: #6b7480; }
.entry .kind { font-weight: 600; }
.status { padding: 0 6px; border-radius: 3px; background: #e8ebef; }
.status.ok { background: #dcf3e2; color: #1c6b31; }
.status.failed { background: #fbe0df; color: #a01c18; }
.status.running { background: #e0eafb; color: #1d4f9e; }
pre.cmd { background: #f3f5f8; padding: 4px 6px; border-radius: 3px; margin: 4px 0; }
pre.out, pre.err { max-height: 32em; overflow: auto; background: #fafbfc; border: 1px solid #eceff3; padding: 4px 6px; }
pre.err { background: #fff8f8; border-color: #f3dede; }
.touched ul { list-style: none; padding: 0; margin: 2px 0; }
.mark { display: inline-block; width: 1.4em; text-align: center; font-weight: 700; border-radius: 3px; margin-right: 6px; }
.mark.A { color: #1c6b31; background: #dcf3e2; }
.mark.M { color: #8a5a00; background: #fbefd5; }
.mark.D { color: #a01c18; background: #fbe0df; }
pre.diff { border: 1px solid #d5dae1; padding: 4px 0; white-space: pre; overflow: auto; }
pre.diff span { display: block; padding: 0 8px; }
.d-file { font-weight: 700; background: #eef1f5; }
.d-hunk { color: #5c3fb0; background: #f3f0fb; }
.d-add { background: #e6f6ea; color: #185f2b; }
.d-del { background: #fdeaea; color: #8f1b17; }
.charts svg { display: block; margin: 6px 0 14px; max-width: 100%; height: auto; }
)css";

const QString kNone = QStringLiteral("\u2014");

QString pre(const QString &cls, const QString &text)
{
    return QStringLiteral("<pre class=\"%1\">%2</pre>\n").arg(cls, SessionReport::escape(text));
}

QString problem(const QString &sentence)
{
    return QStringLiteral("<p class=\"problem\">%1</p>\n").arg(SessionReport::escape(sentence));
}

QString row(const QString &name, const QString &valueHtml)
{
    return QStringLiteral("<tr><th>%1</th><td>%2</td></tr>\n").arg(SessionReport::escape(name), valueHtml);
}

QString markHtml(ChangeEntry::Kind kind)
{
    const QChar m = ChangeEntry{QString(), kind}.mark();
    return QStringLiteral("<span class=\"mark %1\">%1</span>").arg(m);
}

// ok, failed, running or "" (neither), as the timeline colours them.
QString outcomeClass(const ActivityEntry &e)
{
    if (e.kind == ActivityEntry::Kind::Command) {
        if (e.isRunning())
            return QStringLiteral("running");
        const bool ok = e.status == QLatin1String("exited") && e.exitCode == 0 && e.commandError.isEmpty();
        return ok ? QStringLiteral("ok") : QStringLiteral("failed");
    }
    if (e.kind == ActivityEntry::Kind::Code)
        return e.status == QLatin1String("ok") ? QStringLiteral("ok") : QStringLiteral("failed");
    if (e.kind == ActivityEntry::Kind::Lifecycle && (e.event == QLatin1String("error") || e.event == QLatin1String("killed")))
        return QStringLiteral("failed");
    return {};
}

QString kindText(const ActivityEntry &e)
{
    switch (e.kind) {
    case ActivityEntry::Kind::Command:
        return e.background ? SessionReport::tr("command (background)") : SessionReport::tr("command");
    case ActivityEntry::Kind::Code:
        return SessionReport::tr("code cell");
    case ActivityEntry::Kind::File:
        return SessionReport::tr("file");
    case ActivityEntry::Kind::Lifecycle:
        return SessionReport::tr("lifecycle");
    case ActivityEntry::Kind::Pty:
        return SessionReport::tr("terminal");
    }
    return {};
}

QString rulesText(const QList<NetworkRule> &rules)
{
    if (rules.isEmpty())
        return SessionReport::tr("none");
    QStringList out;
    for (const NetworkRule &r : rules)
        out << QStringLiteral("<code>%1</code>").arg(SessionReport::escape(r.text()));
    return out.join(QStringLiteral(", "));
}

// A round step for `count` grid lines up to `max` (1, 2 or 5 × 10^n).
double niceStep(double max, int count)
{
    const double raw = max / count;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    for (const double f : {1.0, 2.0, 5.0, 10.0}) {
        if (f * magnitude >= raw)
            return f * magnitude;
    }
    return 10 * magnitude;
}

QString number(double v)
{
    return QString::number(v, 'f', 1);
}

} // namespace

QString SessionReport::escape(const QString &text)
{
    QString out = text.toHtmlEscaped();
    // Control characters have no business in HTML text: shown as their
    // symbols (U+2400…), so they are visible and harmless.
    for (QChar &c : out) {
        const ushort u = c.unicode();
        if ((u < 0x20 && u != '\n' && u != '\t') || u == 0x7f)
            c = QChar(u == 0x7f ? 0x2421 : 0x2400 + u);
    }
    return out;
}

QString SessionReport::time(const QDateTime &t)
{
    if (!t.isValid())
        return kNone;
    return t.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")) + QStringLiteral(" UTC");
}

QString SessionReport::infoSection(const Data &d)
{
    const SandboxInfo &s = d.sandbox;
    QString h = QStringLiteral("<section id=\"sandbox\"><h2>%1</h2>\n<table class=\"info\">\n").arg(tr("Sandbox"));
    h += row(tr("ID"), QStringLiteral("<code>%1</code>").arg(escape(s.id)));
    h += row(tr("Template"), escape(s.templateName));
    QString state = SandboxStates::apiName(s.state);
    if (!s.pauseKind.isEmpty())
        state += QStringLiteral(" (%1)").arg(s.pauseKind);
    if (!s.errorReason.isEmpty())
        state += QStringLiteral(": ") + s.errorReason;
    h += row(tr("State"), escape(state));
    h += row(tr("Created"), escape(time(s.createdAt)));
    h += row(tr("Last started"), escape(time(s.startedAt)));
    if (s.pausedAt.isValid())
        h += row(tr("Paused"), escape(time(s.pausedAt)));
    h += row(tr("Ends"), s.endAt.isValid() ? escape(time(s.endAt)) : escape(tr("not set: it lives until killed")));
    h += row(tr("Node"), escape(s.nodeId.isEmpty() ? kNone : s.nodeId));
    h += row(tr("Resources"), escape(tr("%n CPUs, %1 memory, %2 disk", nullptr, s.cpuCount)
                                         .arg(Formatting::bytes(qint64(s.memoryMb) << 20),
                                              s.diskMb > 0 ? Formatting::bytes(qint64(s.diskMb) << 20) : tr("unlimited"))));
    QStringList meta;
    for (auto it = s.metadata.cbegin(); it != s.metadata.cend(); ++it)
        meta << QStringLiteral("<code>%1</code> = <code>%2</code>").arg(escape(it.key()), escape(it.value()));
    h += row(tr("Metadata"), meta.isEmpty() ? escape(tr("none")) : meta.join(QStringLiteral("<br>")));
    QString envs;
    if (!d.envs) {
        envs = QStringLiteral("<span class=\"muted\">%1</span>")
                   .arg(escape(tr("Not known: the engine does not tell a sandbox's environment variables.")));
    } else if (d.envs->isEmpty()) {
        envs = escape(tr("none"));
    } else {
        QStringList names;
        for (auto it = d.envs->cbegin(); it != d.envs->cend(); ++it)
            names << QStringLiteral("<code>%1</code>").arg(escape(it.key())); // never the value
        envs = names.join(QStringLiteral(", ")) + QStringLiteral(" <span class=\"muted\">%1</span>").arg(escape(tr("(names only)")));
    }
    h += row(tr("Environment variables"), envs);
    QString net = s.network.allowInternetAccess ? escape(tr("internet access allowed"))
                                                : escape(tr("internet access closed"));
    net += QStringLiteral("<br>") + escape(tr("allowed out:")) + QLatin1Char(' ') + rulesText(s.network.allowOut);
    net += QStringLiteral("<br>") + escape(tr("denied out:")) + QLatin1Char(' ') + rulesText(s.network.denyOut);
    net += QStringLiteral("<br>") + escape(tr("address:")) + QLatin1Char(' ')
           + (s.netAddress.isEmpty() ? escape(tr("none (no network of its own)")) : QStringLiteral("<code>%1</code>").arg(escape(s.netAddress)));
    h += row(tr("Network"), net);
    QStringList ports;
    for (const SandboxPort &p : s.ports)
        ports << QString::number(p.port);
    h += row(tr("Listening ports"), escape(ports.isEmpty() ? tr("none") : ports.join(QStringLiteral(", "))));
    h += QStringLiteral("</table></section>\n");
    return h;
}

QString SessionReport::timelineSection(const Data &d)
{
    QString h = QStringLiteral("<section id=\"timeline\" class=\"timeline\"><h2>%1</h2>\n").arg(tr("Timeline"));
    if (!d.timelineProblem.isEmpty())
        h += problem(d.timelineProblem);
    if (!d.timelinePng.isEmpty()) {
        h += QStringLiteral("<img src=\"data:image/png;base64,%1\" alt=\"%2\">\n")
                 .arg(QString::fromLatin1(d.timelinePng.toBase64()),
                      escape(tr("The sandbox's whole life on one time axis, as the app's Timeline tab draws it")));
    } else if (d.timelineProblem.isEmpty()) {
        h += problem(tr("No timeline picture was made."));
    }
    h += QStringLiteral("</section>\n");
    return h;
}

QString SessionReport::entryHtml(const ActivityEntry &e)
{
    const QString outcome = outcomeClass(e);
    QString h = QStringLiteral("<article class=\"entry %1\" id=\"seq-%2\">\n<div class=\"head\">").arg(outcome).arg(e.seq);
    h += QStringLiteral("<span class=\"seq\">#%1</span>").arg(e.seq);
    h += QStringLiteral("<span class=\"kind\">%1</span>").arg(escape(kindText(e)));
    const QDateTime when = e.startedAt.isValid() ? e.startedAt : e.time;
    h += QStringLiteral("<span class=\"time\">%1</span>").arg(escape(time(when)));
    const QString status = e.statusText();
    if (!status.isEmpty())
        h += QStringLiteral("<span class=\"status %1\">%2</span>").arg(outcome, escape(status));
    if (const auto ms = e.durationMs())
        h += QStringLiteral("<span class=\"duration\">%1</span>").arg(escape(tr("took %1").arg(Formatting::elapsed(*ms))));
    h += QStringLiteral("</div>\n");

    switch (e.kind) {
    case ActivityEntry::Kind::Command: {
        h += pre(QStringLiteral("cmd"), QStringLiteral("$ ") + e.cmd);
        QStringList meta;
        if (!e.cwd.isEmpty())
            meta << tr("in %1").arg(e.cwd);
        if (!e.user.isEmpty())
            meta << tr("as %1").arg(e.user);
        if (e.pid)
            meta << tr("pid %1").arg(*e.pid);
        if (e.exitCode)
            meta << tr("exit code %1").arg(*e.exitCode);
        if (e.endedAt.isValid())
            meta << tr("ended %1").arg(time(e.endedAt));
        if (!meta.isEmpty())
            h += QStringLiteral("<div class=\"muted\">%1</div>\n").arg(escape(meta.join(QStringLiteral(" \u00b7 "))));
        break;
    }
    case ActivityEntry::Kind::Code:
        h += pre(QStringLiteral("cmd"), e.cmd);
        if (e.executionCount)
            h += QStringLiteral("<div class=\"muted\">%1</div>\n").arg(escape(tr("execution count %1").arg(*e.executionCount)));
        break;
    case ActivityEntry::Kind::File:
    case ActivityEntry::Kind::Lifecycle:
    case ActivityEntry::Kind::Pty:
        h += pre(QStringLiteral("cmd"), e.summary());
        break;
    }

    const QString out = AnsiText::strip(e.out);
    const QString err = AnsiText::strip(e.err);
    if (!out.isEmpty())
        h += QStringLiteral("<h4>stdout</h4>") + pre(QStringLiteral("out"), out);
    if (!err.isEmpty())
        h += QStringLiteral("<h4>stderr</h4>") + pre(QStringLiteral("err"), err);
    if (e.truncated)
        h += QStringLiteral("<p class=\"muted\">%1</p>\n")
                 .arg(escape(tr("The output was cut: the engine keeps only the last part of each stream.")));
    if (e.kind == ActivityEntry::Kind::Code) {
        if (!e.result.isEmpty())
            h += QStringLiteral("<h4>%1</h4>").arg(escape(tr("result"))) + pre(QStringLiteral("out"), AnsiText::strip(e.result));
        if (!e.errorName.isEmpty() || !e.errorValue.isEmpty()) {
            h += QStringLiteral("<h4>%1</h4>").arg(escape(tr("error")))
                 + pre(QStringLiteral("err"), QStringLiteral("%1: %2").arg(e.errorName, e.errorValue));
            if (!e.traceback.isEmpty())
                h += pre(QStringLiteral("err"), AnsiText::strip(e.traceback));
        }
    }
    if (e.touched) {
        h += QStringLiteral("<div class=\"touched\"><h4>%1</h4>")
                 .arg(escape(e.touched->paths.isEmpty() ? tr("It changed no files") : tr("Files it changed")));
        if (!e.touched->paths.isEmpty()) {
            h += QStringLiteral("<ul>");
            for (const TouchedFiles::Path &p : e.touched->paths) {
                h += QStringLiteral("<li>%1<code>%2%3</code></li>")
                         .arg(markHtml(p.change), escape(p.path), p.isDir ? QStringLiteral("/") : QString());
            }
            h += QStringLiteral("</ul>");
        }
        if (e.touched->partial)
            h += QStringLiteral("<p class=\"muted\">%1</p>").arg(escape(tr("Some changes may be missing from this list.")));
        h += QStringLiteral("</div>\n");
    }
    h += QStringLiteral("</article>\n");
    return h;
}

QString SessionReport::activitySection(const Data &d)
{
    QString h = QStringLiteral("<section id=\"activity\"><h2>%1</h2>\n").arg(tr("Command log"));
    if (!d.activityProblem.isEmpty())
        h += problem(d.activityProblem);
    int commands = 0, cells = 0, failed = 0;
    for (const ActivityEntry &e : d.activity) {
        commands += e.kind == ActivityEntry::Kind::Command;
        cells += e.kind == ActivityEntry::Kind::Code;
        failed += outcomeClass(e) == QLatin1String("failed") && e.kind != ActivityEntry::Kind::Lifecycle;
    }
    if (d.activityProblem.isEmpty() || !d.activity.isEmpty()) {
        h += QStringLiteral("<p>%1</p>\n")
                 .arg(escape(tr("%n entries: ", nullptr, int(d.activity.size()))
                             + tr("%n commands, ", nullptr, commands) + tr("%n code cells, ", nullptr, cells)
                             + tr("%n of them failed.", nullptr, failed)));
    }
    for (const ActivityEntry &e : d.activity)
        h += entryHtml(e);
    h += QStringLiteral("</section>\n");
    return h;
}

QString SessionReport::patchHtml(const QString &patch)
{
    QString h = QStringLiteral("<pre class=\"diff\">");
    const QStringList lines = patch.split(QLatin1Char('\n'));
    const qsizetype n = lines.size() - (patch.endsWith(QLatin1Char('\n')) ? 1 : 0);
    for (qsizetype i = 0; i < n; ++i) {
        const QString &l = lines.at(i);
        QString cls;
        // Inside a hunk every line starts with ' ', '+', '-' or '\\'; one
        // that starts with a letter is a file's header ("diff --git",
        // "new file mode", "index").
        if (l.startsWith(QLatin1String("--- ")) || l.startsWith(QLatin1String("+++ ")) || (!l.isEmpty() && l.at(0).isLetter()))
            cls = QStringLiteral("d-file");
        else if (l.startsWith(QLatin1String("@@")))
            cls = QStringLiteral("d-hunk");
        else if (l.startsWith(QLatin1Char('+')))
            cls = QStringLiteral("d-add");
        else if (l.startsWith(QLatin1Char('-')))
            cls = QStringLiteral("d-del");
        // An empty span would have no height: a space keeps the line.
        const QString text = l.isEmpty() ? QStringLiteral(" ") : escape(l);
        h += cls.isEmpty() ? QStringLiteral("<span>%1</span>").arg(text)
                           : QStringLiteral("<span class=\"%1\">%2</span>").arg(cls, text);
    }
    h += QStringLiteral("</pre>\n");
    return h;
}

QString SessionReport::changesSection(const Data &d)
{
    QString h = QStringLiteral("<section id=\"changes\"><h2>%1</h2>\n").arg(tr("Changes to the template's files"));
    if (!d.changesProblem.isEmpty())
        h += problem(d.changesProblem);
    if (d.changes) {
        if (d.changes->changes.isEmpty()) {
            h += QStringLiteral("<p>%1</p>\n").arg(escape(tr("No file differs from the template.")));
        } else {
            h += QStringLiteral("<p>%1</p>\n").arg(escape(tr("%n paths differ from the template:", nullptr,
                                                               int(d.changes->changes.size()))));
            h += QStringLiteral("<table class=\"list\"><tr><th></th><th>%1</th><th>%2</th><th>%3</th></tr>\n")
                     .arg(escape(tr("Path")), escape(tr("Type")), escape(tr("Size")));
            for (const ChangeEntry &c : d.changes->changes) {
                QString path = QStringLiteral("<code>%1</code>").arg(escape(c.path));
                if (c.symlinkTarget)
                    path += QStringLiteral(" \u2192 <code>%1</code>").arg(escape(*c.symlinkTarget));
                const QString size = c.kind == ChangeEntry::Kind::Deleted || c.type != QLatin1String("file")
                                         ? QString()
                                         : Formatting::bytes(c.size);
                h += QStringLiteral("<tr><td>%1</td><td>%2</td><td>%3</td><td class=\"num\">%4</td></tr>\n")
                         .arg(markHtml(c.kind), path, escape(c.type), escape(size));
            }
            h += QStringLiteral("</table>\n");
        }
        if (d.changes->truncated)
            h += problem(tr("The engine stopped listing at its limit: more paths changed than are shown."));
    }
    h += QStringLiteral("<h3>%1</h3>\n").arg(escape(tr("Patch")));
    if (!d.patchProblem.isEmpty())
        h += problem(d.patchProblem);
    else if (d.patch.isEmpty())
        h += QStringLiteral("<p>%1</p>\n").arg(escape(tr("No text file changed.")));
    else
        h += QStringLiteral("<p class=\"muted\">%1</p>\n")
                 .arg(escape(tr("Every text change as a unified diff (binary files are only listed above); "
                                "git apply -p1 applies it from /.")))
             + patchHtml(QString::fromUtf8(d.patch));
    h += QStringLiteral("</section>\n");
    return h;
}

QString SessionReport::chartSvg(const QList<QPair<qint64, double>> &points, double maxValue, double limit,
                                const QString &title, const std::function<QString(double)> &label)
{
    constexpr int kW = 1000, kH = 220, kLeft = 80, kRight = 16, kTop = 28, kBottom = 28;
    constexpr int kPlotW = kW - kLeft - kRight, kPlotH = kH - kTop - kBottom;
    // A gap longer than this between readings (a pause) breaks the line.
    constexpr qint64 kGapMs = 5000;
    QString s = QStringLiteral("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%1\" height=\"%2\" viewBox=\"0 0 %1 %2\" "
                               "role=\"img\" aria-label=\"%3\" font-family=\"DejaVu Sans, sans-serif\" font-size=\"12\">\n")
                    .arg(kW)
                    .arg(kH)
                    .arg(escape(title));
    s += QStringLiteral("<rect x=\"%1\" y=\"%2\" width=\"%3\" height=\"%4\" fill=\"#fafbfc\" stroke=\"#d5dae1\"/>\n")
             .arg(kLeft)
             .arg(kTop)
             .arg(kPlotW)
             .arg(kPlotH);
    s += QStringLiteral("<text x=\"%1\" y=\"18\" font-weight=\"bold\" fill=\"#1d2430\">%2</text>\n").arg(kLeft).arg(escape(title));
    if (maxValue <= 0)
        maxValue = 1;
    const double step = niceStep(maxValue, 4);
    for (double v = 0; v <= maxValue + step * 1e-9; v += step) {
        const double y = kTop + kPlotH - v / maxValue * kPlotH;
        s += QStringLiteral("<line x1=\"%1\" x2=\"%2\" y1=\"%3\" y2=\"%3\" stroke=\"#e3e7ec\"/>"
                            "<text x=\"%4\" y=\"%5\" text-anchor=\"end\" fill=\"#5b6573\">%6</text>\n")
                 .arg(kLeft)
                 .arg(kLeft + kPlotW)
                 .arg(number(y))
                 .arg(kLeft - 6)
                 .arg(number(y + 4))
                 .arg(escape(label(v)));
    }
    if (points.isEmpty()) {
        s += QStringLiteral("<text x=\"%1\" y=\"%2\" text-anchor=\"middle\" fill=\"#6b7480\">%3</text>\n")
                 .arg(kLeft + kPlotW / 2)
                 .arg(kTop + kPlotH / 2)
                 .arg(escape(tr("No readings.")));
        return s + QStringLiteral("</svg>\n");
    }
    const qint64 t0 = points.constFirst().first;
    const qint64 t1 = std::max(points.constLast().first, t0 + 1);
    auto xOf = [&](qint64 t) { return kLeft + double(t - t0) / double(t1 - t0) * kPlotW; };
    auto yOf = [&](double v) { return kTop + kPlotH - std::clamp(v / maxValue, 0.0, 1.0) * kPlotH; };
    if (limit > 0 && limit <= maxValue) {
        s += QStringLiteral("<line x1=\"%1\" x2=\"%2\" y1=\"%3\" y2=\"%3\" stroke=\"#d2322d\" stroke-dasharray=\"6 4\"/>"
                            "<text x=\"%2\" y=\"%4\" text-anchor=\"end\" fill=\"#a01c18\">%5</text>\n")
                 .arg(kLeft)
                 .arg(kLeft + kPlotW)
                 .arg(number(yOf(limit)))
                 .arg(number(yOf(limit) - 4))
                 .arg(escape(tr("limit %1").arg(label(limit))));
    }
    QList<QPair<double, double>> line;
    auto flush = [&] {
        if (line.size() == 1) { // a lone reading: a dot
            s += QStringLiteral("<circle cx=\"%1\" cy=\"%2\" r=\"2\" fill=\"#2f6fd6\"/>\n")
                     .arg(number(line.constFirst().first), number(line.constFirst().second));
        } else if (line.size() > 1) {
            QStringList xy;
            for (const auto &[x, y] : std::as_const(line))
                xy << number(x) + QLatin1Char(',') + number(y);
            s += QStringLiteral("<polyline fill=\"none\" stroke=\"#2f6fd6\" stroke-width=\"1.5\" points=\"%1\"/>\n")
                     .arg(xy.join(QLatin1Char(' ')));
        }
        line.clear();
    };
    qint64 previous = t0;
    for (const auto &[t, v] : points) {
        if (t - previous > kGapMs)
            flush();
        line.append({xOf(t), yOf(v)});
        previous = t;
    }
    flush();
    const auto clock = [](qint64 ms) {
        return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(QStringLiteral("HH:mm:ss"));
    };
    s += QStringLiteral("<text x=\"%1\" y=\"%2\" fill=\"#5b6573\">%3</text>"
                        "<text x=\"%4\" y=\"%2\" text-anchor=\"end\" fill=\"#5b6573\">%5</text>\n")
             .arg(kLeft)
             .arg(kH - 8)
             .arg(escape(clock(t0) + QStringLiteral(" UTC")), QString::number(kLeft + kPlotW), escape(clock(t1) + QStringLiteral(" UTC")));
    return s + QStringLiteral("</svg>\n");
}

QString SessionReport::metricsSection(const Data &d)
{
    QString h = QStringLiteral("<section id=\"metrics\" class=\"charts\"><h2>%1</h2>\n").arg(tr("Metrics"));
    if (!d.metricsProblem.isEmpty())
        h += problem(d.metricsProblem);
    else if (d.metrics.isEmpty())
        h += QStringLiteral("<p>%1</p>\n").arg(escape(tr("The engine kept no readings (it reads running sandboxes only).")));
    if (d.metrics.isEmpty())
        return h + QStringLiteral("</section>\n");
    const qint64 span = d.metrics.constLast().timeMs - d.metrics.constFirst().timeMs;
    h += QStringLiteral("<p class=\"muted\">%1</p>\n")
             .arg(escape(tr("%n readings over %1, as the engine keeps them (the last 15 minutes of running).", nullptr,
                            int(d.metrics.size()))
                             .arg(Formatting::duration(span / 1000))));
    QList<QPair<qint64, double>> cpu, memory;
    double cpuMax = 0, memoryMax = 0;
    for (const MetricsHistory::Sample &s : d.metrics) {
        cpu.append({s.timeMs, s.cpuPercent});
        memory.append({s.timeMs, double(s.memoryBytes)});
        cpuMax = std::max(cpuMax, s.cpuPercent);
        memoryMax = std::max(memoryMax, double(s.memoryBytes));
    }
    // Scaled to what was used, so a small use still shows its shape; the
    // limit is drawn when it is near enough to be on the same scale.
    auto scale = [](double used, double floor, double limit) {
        double top = std::max(used * 1.2, floor);
        if (limit > 0 && limit <= used * 2.5)
            top = std::max(top, limit * 1.05);
        return top;
    };
    const double cpuLimit = 100.0 * d.cpuCount;
    h += chartSvg(cpu, scale(cpuMax, 10, cpuLimit), cpuLimit,
                  d.cpuCount > 0 ? tr("CPU (%, 100 % = one CPU; %n CPUs)", nullptr, d.cpuCount) : tr("CPU (%, 100 % = one CPU)"),
                  [](double v) { return Formatting::percent(v); });
    const double memoryLimit = double(d.memoryLimitBytes);
    // In MiB, so the grid falls on round sizes.
    constexpr double kMiB = 1024.0 * 1024.0;
    for (auto &point : memory)
        point.second /= kMiB;
    h += chartSvg(memory, scale(memoryMax / kMiB, 1, memoryLimit / kMiB), memoryLimit / kMiB,
                  d.memoryLimitBytes > 0 ? tr("Memory (limit %1)").arg(Formatting::bytes(d.memoryLimitBytes)) : tr("Memory"),
                  [](double v) { return Formatting::bytes(qint64(v * kMiB)); });
    return h + QStringLiteral("</section>\n");
}

QString SessionReport::html(const Data &d)
{
    QString h = QStringLiteral("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                               "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    h += QStringLiteral("<title>%1</title>\n").arg(escape(tr("ai2in session report: %1").arg(d.sandbox.id)));
    h += QStringLiteral("<style>") + QLatin1String(kStyle) + QStringLiteral("</style>\n</head>\n<body>\n<header>\n");
    h += QStringLiteral("<h1>%1 <code>%2</code></h1>\n").arg(escape(tr("Session report of sandbox")), escape(d.sandbox.id));
    QString made = tr("Made %1 by ai2in-desktop %2").arg(time(d.generatedAt), d.appVersion);
    if (!d.engineVersion.isEmpty())
        made += tr(", from engine ai2ind %1").arg(d.engineVersion);
    h += QStringLiteral("<p class=\"made\">%1. %2</p>\n")
             .arg(escape(made), escape(tr("It holds the commands' output and the changed files' contents: look for "
                                          "secrets in them before you share it.")));
    h += QStringLiteral("<nav><a href=\"#sandbox\">%1</a><a href=\"#timeline\">%2</a><a href=\"#activity\">%3</a>"
                        "<a href=\"#changes\">%4</a><a href=\"#metrics\">%5</a></nav>\n</header>\n")
             .arg(escape(tr("Sandbox")), escape(tr("Timeline")), escape(tr("Command log")), escape(tr("Changes")),
                  escape(tr("Metrics")));
    h += infoSection(d);
    h += timelineSection(d);
    h += activitySection(d);
    h += changesSection(d);
    h += metricsSection(d);
    h += QStringLiteral("</body>\n</html>\n");
    return h;
}
