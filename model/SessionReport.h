// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ActivityEntry.h"
#include "ChangeEntry.h"
#include "MetricsHistory.h"
#include "SandboxInfo.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QDateTime>
#include <QList>
#include <QString>

#include <functional>

#include <optional>

// One sandbox's session as a single self-contained HTML page, to attach to a
// bug report: its info, the timeline as a picture, every activity entry with
// its output and the files it touched, the changes with their patch, and CPU
// and memory as charts. Nothing in the page refers to anything outside it
// (inline CSS and SVG, the picture as a data: URI, no script), so it opens
// anywhere without a network.
//
// Pure: the gathered data in, the HTML text out. Every text that came from
// the sandbox is escaped; environment variables show by name only, never
// their values (they may be secrets). A part that could not be read carries
// a sentence saying why, and the page says it in that part's place.
class SessionReport
{
    Q_DECLARE_TR_FUNCTIONS(SessionReport)
public:
    struct Data
    {
        QDateTime generatedAt;
        QString appVersion;    // the desktop app that made the page
        QString engineVersion; // empty when not known

        SandboxInfo sandbox;
        // The sandbox's environment variables, when known; only the names
        // are ever written.
        std::optional<StringMap> envs;

        QList<ActivityEntry> activity; // oldest first
        QString activityProblem;       // non-empty: the log could not be read

        std::optional<ChangeList> changes;
        QString changesProblem;
        QByteArray patch; // unified diff of every text change
        QString patchProblem;

        QList<MetricsHistory::Sample> metrics; // oldest first
        int cpuCount = 0;
        qint64 memoryLimitBytes = 0;
        QString metricsProblem;

        QByteArray timelinePng; // the Timeline tab's picture of the whole life
        QString timelineProblem;
    };

    static QString html(const Data &data);

    // The parts, each pure; html() joins them.
    static QString escape(const QString &text);
    static QString time(const QDateTime &t); // "2026-11-22 10:00:00.123 UTC"; "—" when invalid
    static QString infoSection(const Data &data);
    static QString timelineSection(const Data &data);
    static QString activitySection(const Data &data);
    static QString entryHtml(const ActivityEntry &entry);
    static QString changesSection(const Data &data);
    // The patch as lines coloured by kind (file header, hunk, added, removed).
    static QString patchHtml(const QString &patch);
    static QString metricsSection(const Data &data);
    // One line chart as inline SVG: values over times, from 0 to `maxValue`
    // (a dashed line at `limit` when > 0), with its axis labels.
    static QString chartSvg(const QList<QPair<qint64, double>> &points, double maxValue, double limit,
                            const QString &title, const std::function<QString(double)> &label);
};
