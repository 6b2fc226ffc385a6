// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ActivityEntry.h"
#include "MetricsHistory.h"
#include "Result.h"

#include <QImage>
#include <QObject>

class EngineClient;
class QFileDialog;
class QWidget;
class SessionReportCollector;

// "Export report…": one sandbox's session written as one self-contained
// HTML file (SessionReport). The data comes from SessionReportCollector;
// the Timeline tab's own view draws the picture of the whole life; the page
// is made and written on a worker thread, so the event loop never waits.
class ReportExport : public QObject
{
    Q_OBJECT
public:
    explicit ReportExport(EngineClient *client, QObject *parent = nullptr);

    // The non-modal dialog that asks where to write the report of `id`;
    // the caller connects to fileSelected and opens it.
    static QFileDialog *fileDialog(QWidget *parent, const QString &id);
    // The Timeline tab's picture of these entries and readings, `width`
    // pixels wide, as high as its lanes need, the whole life in view.
    static QImage timelineImage(const QList<ActivityEntry> &entries, const QList<MetricsHistory::Sample> &metrics,
                                int width = 1200);

    // Gathers, draws and writes; finished() follows once (unless this is
    // deleted first). One export per object.
    void start(const QString &id, const QString &file);

Q_SIGNALS:
    void progress(const QString &text);
    // `problem` is empty when the file was written.
    void finished(const QString &file, const QString &problem);

private:
    EngineClient *m_client;
    SessionReportCollector *m_collector = nullptr;
};
