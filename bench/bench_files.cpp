// SPDX-License-Identifier: GPL-3.0-or-later
// The Files tab's two heavy paths against a real engine, each against a
// baseline measured in the same run:
// * a 32 MiB upload through the UploadQueue (name check, then the PUT from
//   disk) against the same bytes PUT from memory by a plain
//   QNetworkAccessManager;
// * a directory of 10 000 files (see kFiles) listed into the RemoteFileModel until every
//   row is in (also with a tree view showing it) against the raw
//   `GET …/files?path=` and its JSON parse.

#include "ApiClient.h"
#include "ApiPaths.h"
#include "BenchEngine.h"
#include "BenchReport.h"
#include "EngineClient.h"
#include "EngineProcess.h"
#include "FileNames.h"
#include "Limits.h"
#include "RemoteFileModel.h"
#include "UploadPlan.h"
#include "UploadQueue.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTimer>
#include <QTreeView>

#include <cstdio>

using namespace BenchReport;

namespace {

constexpr int kRounds = 5;
constexpr int kFiles = 10000;
const QString kManyDir = QStringLiteral("/home/sandbox/many");
qint64 g_listingBytes = 0; // the size of the listing's answer

// Runs the event loop until `done` or a minute has gone by.
template <typename Pred>
void waitUntil(Pred done, const char *what)
{
    QElapsedTimer t;
    t.start();
    while (!done()) {
        if (t.elapsed() > 60000)
            die(QStringLiteral("timed out waiting for %1").arg(QLatin1String(what)));
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    }
}

QNetworkRequest rawRequest(const EngineProcess &engine, const QString &pathAndQuery)
{
    QUrl url = engine.baseUrl();
    const qsizetype q = pathAndQuery.indexOf(QLatin1Char('?'));
    url.setPath(pathAndQuery.left(q));
    url.setQuery(pathAndQuery.mid(q + 1));
    QNetworkRequest req(url);
    req.setRawHeader("Authorization", "Bearer " + engine.apiKey().toUtf8());
    return req;
}

double rawPut(QNetworkAccessManager &nam, const EngineProcess &engine, const QString &id, const QByteArray &bytes)
{
    QNetworkRequest req = rawRequest(engine, ApiPaths::fileContentPath(id, QStringLiteral("/home/sandbox/raw.bin")));
    req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/octet-stream"));
    QElapsedTimer t;
    t.start();
    QNetworkReply *reply = nam.put(req, bytes);
    waitUntil([reply] { return reply->isFinished(); }, "the raw upload");
    const double ms = msSince(t);
    if (reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() != 200)
        die(QStringLiteral("raw upload: %1").arg(QString::fromUtf8(reply->readAll())));
    reply->deleteLater();
    return ms;
}

double queueUpload(UploadQueue &queue, const QString &id, const QString &localFile)
{
    QElapsedTimer t;
    t.start();
    const QList<int> ids = queue.enqueue(id, UploadPlan::fromUrls({QUrl::fromLocalFile(localFile)}, QStringLiteral("/home/sandbox")));
    waitUntil([&queue] { return !queue.isBusy(); }, "the queued upload");
    const double ms = msSince(t);
    const UploadQueue::Job *job = queue.job(ids.value(0));
    if (!job || job->state != UploadQueue::State::Done)
        die(QStringLiteral("queued upload: %1").arg(job ? job->message : QStringLiteral("no job")));
    queue.clearFinished();
    return ms;
}

double rawList(QNetworkAccessManager &nam, const EngineProcess &engine, const QString &id)
{
    QElapsedTimer t;
    t.start();
    QNetworkReply *reply = nam.get(rawRequest(engine, ApiPaths::filesPath(id, kManyDir)));
    waitUntil([reply] { return reply->isFinished(); }, "the raw listing");
    const QByteArray body = reply->readAll();
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    g_listingBytes = body.size();
    const double ms = msSince(t);
    if (doc.object().value(QStringLiteral("entries")).toArray().size() != kFiles)
        die(QStringLiteral("the raw listing has %1 entries, not %2: %3").arg(doc.object().value(QStringLiteral("entries")).toArray().size()).arg(kFiles).arg(reply->errorString()));
    reply->deleteLater();
    return ms;
}

double modelList(RemoteFileModel &model, const QString &id)
{
    QElapsedTimer t;
    t.start();
    if (model.sandbox() != id)
        model.setLocation(id, kManyDir);
    else
        model.reload();
    waitUntil([&model] { return model.isLoaded(QModelIndex()) && model.requestsInFlight() == 0; }, "the model's listing");
    const double ms = msSince(t);
    if (model.rowCount() != kFiles)
        die(QStringLiteral("the model has %1 rows, not %2").arg(model.rowCount()).arg(kFiles));
    return ms;
}

} // namespace

int main(int argc, char **argv)
{
    if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const bool write = !app.arguments().contains(QStringLiteral("--no-write"));
    EngineProcess engine;
    BenchEngine::start(engine);
    ApiClient api(engine.baseUrl(), engine.apiKey());
    const QString id = BenchEngine::createSandbox(api);

    EngineClient client;
    client.setEndpoint(engine.baseUrl(), engine.apiKey());
    QNetworkAccessManager nam;

    // The largest file the engine takes.
    QTemporaryDir tmp;
    const QString localFile = QDir(tmp.path()).filePath(QStringLiteral("upload.bin"));
    QByteArray bytes(Limits::kMaxFileBytes, Qt::Uninitialized);
    QRandomGenerator(7).fillRange(reinterpret_cast<quint32 *>(bytes.data()), bytes.size() / 4);
    {
        QFile f(localFile);
        if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
            die(QStringLiteral("cannot write %1").arg(localFile));
    }
    UploadQueue queue(&client);
    queue.setClashPolicy(UploadQueue::Clash::Replace);
    QList<double> rawUp, queueUp;
    for (int i = 0; i < kRounds; ++i) {
        // Alternated so both see the same machine load.
        rawUp << rawPut(nam, engine, id, bytes);
        queueUp << queueUpload(queue, id, localFile);
        std::printf("upload round %d: raw %.0f ms, queue %.0f ms\n", i + 1, rawUp.last(), queueUp.last());
        std::fflush(stdout);
    }

    const ApiResponse made = api.run(id, QStringLiteral("mkdir -p %1 && cd %1 && seq -f 'file-%g.txt' 1 %2 | xargs touch")
                                             .arg(kManyDir).arg(kFiles));
    if (made.json().value(QStringLiteral("exit_code")).toInt(-1) != 0)
        die(QString::fromUtf8(made.describe()));
    RemoteFileModel bare(&client);
    RemoteFileModel shown(&client);
    QTreeView view;
    view.setModel(&shown);
    view.setUniformRowHeights(true);
    view.resize(900, 700);
    view.show();
    QList<double> rawLs, modelLs, viewLs;
    for (int i = 0; i < kRounds; ++i) {
        rawLs << rawList(nam, engine, id);
        modelLs << modelList(bare, id);
        viewLs << modelList(shown, id);
        std::printf("listing round %d: raw %.0f ms, model %.0f ms, model + view %.0f ms\n", i + 1, rawLs.last(),
                    modelLs.last(), viewLs.last());
        std::fflush(stdout);
    }
    api.del(QStringLiteral("/v1/sandboxes/") + id);

    QFile loadFile(QStringLiteral("/proc/loadavg"));
    const QString loadAvg = loadFile.open(QIODevice::ReadOnly) ? QString::fromLatin1(loadFile.readAll()).section(QLatin1Char(' '), 0, 2) : QStringLiteral("unknown");
    const double up = percentile(queueUp, 0.5);
    const double upBase = percentile(rawUp, 0.5);
    const double ls = percentile(modelLs, 0.5);
    const double lsBase = percentile(rawLs, 0.5);
    const double lsView = percentile(viewLs, 0.5);
    const QList<Row> rows = {
        {QStringLiteral("32 MiB upload through the UploadQueue, p50 (ms)"), fmt(up, 0),
         QStringLiteral("%1 (plain QNetworkAccessManager PUT from memory)").arg(fmt(upBase, 0)), QStringLiteral("≤ 2000 ms"),
         up <= 2000 ? 1 : 0},
        {QStringLiteral("upload: queue / baseline"), QStringLiteral("%1×").arg(fmt(up / std::max(0.01, upBase), 2)), QString(),
         QStringLiteral("—"), -1},
        {QStringLiteral("%1-file directory into the RemoteFileModel, all rows in, p50 (ms)").arg(kFiles), fmt(ls, 0),
         QStringLiteral("%1 (raw GET + JSON parse)").arg(fmt(lsBase, 0)), QStringLiteral("≤ 1000 ms"), ls <= 1000 ? 1 : 0},
        {QStringLiteral("listing: model / baseline"), QStringLiteral("%1×").arg(fmt(ls / std::max(0.01, lsBase), 2)), QString(),
         QStringLiteral("—"), -1},
        {QStringLiteral("the same with a QTreeView showing the model, p50 (ms)"), fmt(lsView, 0), QString(),
         QStringLiteral("≤ 1000 ms"), lsView <= 1000 ? 1 : 0},
    };
    const QString section =
        QStringLiteral("## Files tab (`bench/bench_files`)\n\n%1\n"
                       "%2 rounds each, baseline and ai2in alternated; p50. Load average at the end: %3. "
                       "The queue's upload includes its name check "
                       "(`GET …/files/exists`) and reads the file from disk; the baseline PUTs the same bytes from "
                       "memory. The listing is one `GET …/files` of %4 empty files, parsed and inserted as rows in "
                       "one batch; the baseline parses the same answer into a QJsonDocument (%5 KiB for %4 entries).\n\n")
            .arg(machineLine())
            .arg(kRounds)
            .arg(loadAvg)
            .arg(kFiles)
            .arg(g_listingBytes / 1024)
        + markdownTable(rows) + QLatin1Char('\n');
    std::printf("%s", qPrintable(section));
    if (write) {
        QString error;
        if (!writeSection(QStringLiteral(AI2IN_PERFORMANCE_MD), QStringLiteral("bench_files"), section, &error))
            die(error);
    }
    return 0;
}
