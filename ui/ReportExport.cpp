// SPDX-License-Identifier: GPL-3.0-or-later
#include "ReportExport.h"

#include "SessionReport.h"
#include "SessionReportCollector.h"
#include "TimelineItems.h"
#include "TimelineView.h"
#include "UiLogging.h"

#include <QBuffer>
#include <QDateTime>
#include <QFileDialog>
#include <QFutureWatcher>
#include <QPromise>
#include <QSaveFile>
#include <QScrollBar>
#include <QStyle>
#include <QStyleFactory>
#include <QThreadPool>

#include <memory>

ReportExport::ReportExport(EngineClient *client, QObject *parent)
    : QObject(parent)
    , m_client(client)
{
}

QFileDialog *ReportExport::fileDialog(QWidget *parent, const QString &id)
{
    auto *dialog = new QFileDialog(parent, tr("Export the report of %1").arg(id));
    dialog->setObjectName(QStringLiteral("exportReportDialog"));
    dialog->setAccessibleName(tr("Export report"));
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setFileMode(QFileDialog::AnyFile);
    dialog->setNameFilters({tr("HTML pages (*.html *.htm)"), tr("All files (*)")});
    dialog->setDefaultSuffix(QStringLiteral("html"));
    dialog->selectFile(QStringLiteral("%1-report.html").arg(id));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    return dialog;
}

QImage ReportExport::timelineImage(const QList<ActivityEntry> &entries, const QList<MetricsHistory::Sample> &metrics,
                                   int width)
{
    TimelineItems items;
    items.apply(entries);
    MetricsHistory history;
    history.append(metrics);
    // "Now" is the newest time the engine told: where running bars end.
    qint64 now = std::max(items.lastMs(), history.newestMs());
    if (now == 0)
        now = QDateTime::currentMSecsSinceEpoch();

    TimelineView view;
    view.setAttribute(Qt::WA_DontShowOnScreen);
    view.setFrameShape(QFrame::NoFrame);
    // The page is light whatever the app's theme: Fusion's own palette is.
    if (const std::unique_ptr<QStyle> fusion{QStyleFactory::create(QStringLiteral("Fusion"))})
        view.setPalette(fusion->standardPalette());
    view.setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    view.setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    view.setItems(&items);
    view.setMetrics(&history);
    view.setNow(now);
    view.resize(width, 320);
    view.show();
    // As high as the lanes need: grow by what would have to be scrolled
    // (the sparklines take some of any new room, so twice).
    for (int i = 0; i < 3 && view.verticalScrollBar()->maximum() > 0; ++i)
        view.resize(width, std::min(view.height() + view.verticalScrollBar()->maximum(), 4000));
    view.fit();
    // The view shows at least ten seconds; a shorter life fills the
    // picture instead of sitting at its right end.
    qint64 first = items.isEmpty() ? now : items.firstMs();
    if (!history.isEmpty())
        first = std::min(first, history.samples().constFirst().timeMs);
    if (now - first < view.rightMs() - view.leftMs()) {
        const qint64 pad = std::max<qint64>(20, (now - first) / 30);
        view.showRange(first - pad, now + pad);
    }
    QImage image(view.viewport()->size(), QImage::Format_ARGB32_Premultiplied);
    image.fill(view.palette().color(QPalette::Base));
    view.viewport()->render(&image);
    view.hide();
    return image;
}

void ReportExport::start(const QString &id, const QString &file)
{
    Q_ASSERT(!m_collector);
    m_collector = new SessionReportCollector(m_client, this);
    connect(m_collector, &SessionReportCollector::progress, this, &ReportExport::progress);
    m_collector->collect(id, [this, id, file](Result<SessionReport::Data> r) {
        if (!r) {
            Q_EMIT finished(file, r.error().message);
            return;
        }
        SessionReport::Data data = std::move(r).value();
        Q_EMIT progress(tr("Drawing the timeline of %1…").arg(id));
        const QImage image = timelineImage(data.activity, data.metrics);
        QBuffer png(&data.timelinePng);
        png.open(QIODevice::WriteOnly);
        if (image.isNull() || !image.save(&png, "PNG"))
            data.timelineProblem = tr("The timeline could not be drawn.");
        Q_EMIT progress(tr("Writing the report of %1…").arg(id));

        // Making the page (a patch may be megabytes) and writing it happen
        // off the UI thread; the answer comes back on it.
        auto result = std::make_shared<QString>();
        QPromise<void> promise;
        auto *watcher = new QFutureWatcher<void>(this);
        connect(watcher, &QFutureWatcher<void>::finished, this, [this, watcher, file, result] {
            watcher->deleteLater();
            if (!result->isEmpty())
                qCInfo(lcUi) << "report" << file << "not written:" << *result;
            Q_EMIT finished(file, *result);
        });
        watcher->setFuture(promise.future());
        auto shared = std::make_shared<QPromise<void>>(std::move(promise));
        QThreadPool::globalInstance()->start([shared, result, file, data = std::move(data)] {
            shared->start();
            QSaveFile out(file);
            if (!out.open(QIODevice::WriteOnly)) {
                *result = tr("Could not write %1: %2").arg(file, out.errorString());
            } else {
                out.write(SessionReport::html(data).toUtf8());
                if (!out.commit())
                    *result = tr("Could not write %1: %2").arg(file, out.errorString());
            }
            shared->finish();
        });
    });
}
