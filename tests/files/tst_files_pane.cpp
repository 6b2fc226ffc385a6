// SPDX-License-Identifier: GPL-3.0-or-later
// The Files tab against a real engine. Everything the pane does is checked
// in the sandbox itself through a second client (ApiClient, as an agent
// would read it): drops upload files and folder trees, downloads give back
// the same bytes, rename / delete / new folder change the sandbox, a file a
// command makes appears by itself, a file over the limit is refused without
// being sent, name clashes are skipped / replaced / renamed, a cancelled
// upload leaves nothing, the viewer shows text and says "binary", and a
// paused sandbox is said in a sentence. One engine and one sandbox.
#include "ApiClient.h"
#include "E2eHelpers.h"
#include "EngineClient.h"
#include "EngineProcess.h"
#include "FileClashDialog.h"
#include "FileDownload.h"
#include "FileViewerDialog.h"
#include "FileWatch.h"
#include "FilesPane.h"
#include "RemoteFileModel.h"
#include "TransferPanel.h"
#include "UploadQueue.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QDir>
#include <QDropEvent>
#include <QFile>
#include <QFileInfo>
#include <QItemSelectionModel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QTreeView>

#include <memory>

using namespace E2e;

namespace {
constexpr int kTryMs = 30000;
const QString kHome = QStringLiteral("/home/sandbox");

QByteArray randomBytes(qsizetype n)
{
    QByteArray out(n, Qt::Uninitialized);
    QRandomGenerator gen(42);
    gen.fillRange(reinterpret_cast<quint32 *>(out.data()), n / 4);
    return out;
}
} // namespace

class tst_files_pane : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void uploadButtonHintAndMenus();
    void dropUploadsFilesAndFolders();
    void refreshKeepsOpenFolders();
    void downloadGivesTheSameBytes();
    void dragOutOffersLocalCopies();
    void newFolderRenameDelete();
    void deleteSeveralAfterConfirmation();
    void commandChangesAppearByThemselves();
    void hiddenFilesToggle();
    void pathBarChangesTheRoot();
    void tooLargeIsRefusedUnsent();
    void clashPolicies();
    void clashDialogAsks();
    void cancelLeavesNoPartialFile();
    void viewerShowsTextAndSaysBinary();
    void hiddenPaneReadsNothingButUploads();
    void pausedSandboxIsSaid();

private:
    QString local(const QString &rel) const { return QDir(m_local.path()).filePath(rel); }
    void writeLocal(const QString &rel, const QByteArray &bytes)
    {
        QDir().mkpath(QFileInfo(local(rel)).path());
        QFile f(local(rel));
        QVERIFY(f.open(QIODevice::WriteOnly));
        QCOMPARE(f.write(bytes), bytes.size());
    }
    // The file's bytes as the engine serves them to another client; a null
    // array when it is not there.
    QByteArray remoteBytes(const QString &path)
    {
        const ApiResponse r = m_api->get(sbx(m_id, QStringLiteral("/files/content?path=") + ApiClient::q(path)));
        return r.status == 200 ? (r.body.isNull() ? QByteArray("") : r.body) : QByteArray();
    }
    bool remoteExists(const QString &path)
    {
        const ApiResponse r = m_api->get(sbx(m_id, QStringLiteral("/files/exists?path=") + ApiClient::q(path)));
        return r.json().value(QStringLiteral("exists")).toBool();
    }
    QModelIndex row(const QString &path) const { return m_pane->model()->indexOf(path); }
    // Lists a directory row and waits for its rows.
    bool expand(const QString &path)
    {
        const QModelIndex i = row(path);
        if (!i.isValid())
            return false;
        m_pane->view()->expand(i);
        if (m_pane->model()->canFetchMore(i))
            m_pane->model()->fetchMore(i);
        return QTest::qWaitFor([&] { return m_pane->model()->isLoaded(row(path)); }, kTryMs);
    }
    bool uploadsDone() { return QTest::qWaitFor([this] { return !m_pane->uploads()->isBusy(); }, 120000); }
    const UploadQueue::Job *lastJob() const { return &m_pane->uploads()->jobs().constLast(); }
    void dropOnView(const QMimeData &data, const QPoint &pos)
    {
        QWidget *viewport = m_pane->view()->viewport();
        QDragEnterEvent enter(pos, Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(viewport, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(pos), Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(viewport, &drop);
        QVERIFY(drop.isAccepted());
    }

    std::unique_ptr<EngineProcess> m_engine;
    std::unique_ptr<ApiClient> m_api;
    EngineClient *m_client = nullptr;
    FilesPane *m_pane = nullptr;
    QString m_id;
    QTemporaryDir m_local;
    QByteArray m_binary;
};

void tst_files_pane::initTestCase()
{
    QVERIFY(m_local.isValid());
    E2E_START_ENGINE(m_engine, m_api);
    E2E_CREATE(id, *m_api, QJsonObject());
    m_id = id;

    m_client = new EngineClient(this);
    m_client->setEndpoint(m_engine->baseUrl(), m_engine->apiKey());
    m_pane = new FilesPane(m_client);
    new QAbstractItemModelTester(m_pane->model(), QAbstractItemModelTester::FailureReportingMode::QtTest, this);
    QCOMPARE(m_pane->message(), QStringLiteral("Select a sandbox to browse its files."));
    m_pane->resize(1000, 700);
    m_pane->show();
    QSignalSpy watching(m_pane->watch(), &FileWatch::started);
    m_pane->setSandbox(m_id, true);
    QVERIFY(m_pane->message().isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(m_pane->model()->isLoaded(QModelIndex()), kTryMs);
    QCOMPARE(m_pane->model()->root(), kHome);
    QCOMPARE(m_pane->pathBar()->text(), kHome);
    QTRY_VERIFY_WITH_TIMEOUT(watching.count() == 1, kTryMs);
    QVERIFY(m_pane->isWatching());
}

void tst_files_pane::uploadButtonHintAndMenus()
{
    // A new user finds a way in besides dragging: a button, a menu item,
    // and a sentence saying that dropping works.
    QCOMPARE(m_pane->statusText(), FilesPane::dropHint());
    auto *upload = m_pane->findChild<QToolButton *>(QStringLiteral("filesUpload"));
    QVERIFY(upload && upload->isEnabled());
    // The empty area's menu offers what fits the folder, not Open/Rename/Delete.
    QTreeView *view = m_pane->view();
    const QPoint empty(view->viewport()->width() / 2, view->viewport()->height() - 5);
    QVERIFY(!view->indexAt(empty).isValid());
    std::unique_ptr<QMenu> menu(m_pane->contextMenuAt(empty));
    QStringList names;
    for (QAction *a : menu->actions()) {
        if (!a->isSeparator())
            names << a->objectName();
    }
    QCOMPARE(names, QStringList({QStringLiteral("filesUploadAction"), QStringLiteral("filesNewFolderAction")}));
    // An item's menu has the item's actions, Open only for a file.
    QCOMPARE(m_api->run(m_id, QStringLiteral("echo m > /home/sandbox/menu-file.txt")).status, 200);
    QModelIndex file;
    QTRY_VERIFY_WITH_TIMEOUT((file = m_pane->model()->indexOf(kHome + QStringLiteral("/menu-file.txt"))).isValid(), kTryMs);
    const QRect rect = view->visualRect(file);
    menu.reset(m_pane->contextMenuAt(rect.center()));
    names.clear();
    for (QAction *a : menu->actions()) {
        if (!a->isSeparator())
            names << a->objectName();
    }
    QCOMPARE(names, QStringList({QStringLiteral("filesOpenAction"), QStringLiteral("filesRenameAction"),
                                 QStringLiteral("filesDownloadAction"), QStringLiteral("filesDeleteAction"),
                                 QStringLiteral("filesUploadAction"), QStringLiteral("filesNewFolderAction")}));
    QVERIFY(menu->actions().first()->isEnabled());
    QCOMPARE(view->currentIndex().siblingAtColumn(0), file);
    QVERIFY(!view->indexAt(rect.center()).data(Qt::DecorationRole).isValid()); // the model holds no icons
}

void tst_files_pane::cleanupTestCase()
{
    delete m_pane;
    if (m_api)
        m_api->killAllSandboxes();
}

void tst_files_pane::dropUploadsFilesAndFolders()
{
    m_binary = randomBytes(1024 * 1024);
    writeLocal(QStringLiteral("hello.txt"), "hello from the desktop\n");
    writeLocal(QStringLiteral("proj/a.txt"), "file a\n");
    writeLocal(QStringLiteral("proj/sub/b.bin"), m_binary);
    writeLocal(QStringLiteral("extra/c.txt"), "into proj\n");

    // On the empty area of the tree: into the root.
    QMimeData data;
    data.setUrls({QUrl::fromLocalFile(local(QStringLiteral("hello.txt"))), QUrl::fromLocalFile(local(QStringLiteral("proj")))});
    dropOnView(data, QPoint(20, m_pane->view()->viewport()->height() - 5));
    QVERIFY(uploadsDone());
    for (const UploadQueue::Job &j : m_pane->uploads()->jobs())
        QVERIFY2(j.state == UploadQueue::State::Done, qPrintable(j.remotePath + ": " + j.message));
    QCOMPARE(m_pane->uploads()->jobs().size(), 5); // hello.txt, proj/, proj/a.txt, proj/sub/, proj/sub/b.bin
    QCOMPARE(remoteBytes(kHome + "/hello.txt"), QByteArray("hello from the desktop\n"));
    QCOMPARE(remoteBytes(kHome + "/proj/a.txt"), QByteArray("file a\n"));
    QVERIFY(remoteBytes(kHome + "/proj/sub/b.bin") == m_binary);
    QCOMPARE(m_pane->uploads()->sentBytes(), m_pane->uploads()->totalBytes());
    QVERIFY(m_pane->transferPanel()->isVisible());

    // The tree shows them, with their sizes.
    QTRY_VERIFY_WITH_TIMEOUT(row(kHome + "/hello.txt").isValid() && row(kHome + "/proj").isValid(), kTryMs);
    QCOMPARE(row(kHome + "/hello.txt").data(RemoteFileModel::SizeRole).toLongLong(), 23);
    QVERIFY(row(kHome + "/proj").data(RemoteFileModel::IsDirRole).toBool());
    QVERIFY(expand(kHome + "/proj"));
    QVERIFY(row(kHome + "/proj/a.txt").isValid());
    QVERIFY(expand(kHome + "/proj/sub"));
    QCOMPARE(row(kHome + "/proj/sub/b.bin").data(RemoteFileModel::SizeRole).toLongLong(), m_binary.size());
    const QString perms = row(kHome + "/proj/a.txt").siblingAtColumn(RemoteFileModel::PermissionsColumn).data().toString();
    QVERIFY2(perms.startsWith(QStringLiteral("-rw")) && perms.endsWith(QStringLiteral("sandbox")), qPrintable(perms));

    // On a directory row: into that directory.
    QMimeData onDir;
    onDir.setUrls({QUrl::fromLocalFile(local(QStringLiteral("extra/c.txt")))});
    const QRect rect = m_pane->view()->visualRect(row(kHome + "/proj"));
    QVERIFY(rect.isValid());
    dropOnView(onDir, rect.center());
    QVERIFY(uploadsDone());
    QCOMPARE(remoteBytes(kHome + "/proj/c.txt"), QByteArray("into proj\n"));
    QTRY_VERIFY_WITH_TIMEOUT(row(kHome + "/proj/c.txt").isValid(), kTryMs);

    // A drop of files dragged out of a sandbox uploads nothing.
    QMimeData ours;
    ours.setUrls({QUrl::fromLocalFile(local(QStringLiteral("hello.txt")))});
    ours.setData(QStringLiteral("application/x-ai2in-from-sandbox"), m_id.toUtf8());
    QVERIFY(!m_pane->handleDrop(&ours, QModelIndex()));
}

void tst_files_pane::refreshKeepsOpenFolders()
{
    // Refresh lists everything again, and opens again what was open.
    QTreeView *view = m_pane->view();
    view->expand(row(kHome + "/proj"));
    QTRY_VERIFY_WITH_TIMEOUT(row(kHome + "/proj/sub").isValid(), kTryMs);
    view->expand(row(kHome + "/proj/sub"));
    QTRY_VERIFY_WITH_TIMEOUT(row(kHome + "/proj/sub/b.bin").isValid(), kTryMs);
    view->setCurrentIndex(row(kHome + "/proj/sub/b.bin"));
    QSignalSpy reset(m_pane->model(), &QAbstractItemModel::modelReset);
    m_pane->refresh();
    QCOMPARE(reset.count(), 1);
    QTRY_VERIFY_WITH_TIMEOUT(row(kHome + "/proj/sub/b.bin").isValid(), kTryMs);
    QVERIFY(view->isExpanded(row(kHome + "/proj")));
    QVERIFY(view->isExpanded(row(kHome + "/proj/sub")));
    QCOMPARE(view->currentIndex().data(RemoteFileModel::PathRole).toString(), kHome + "/proj/sub/b.bin");
    view->collapseAll();
    view->setCurrentIndex(QModelIndex());
}

void tst_files_pane::downloadGivesTheSameBytes()
{
    QVERIFY(row(kHome + "/hello.txt").isValid());
    QTemporaryDir target;
    QVERIFY(target.isValid());
    FileDownload *download = m_pane->downloadTo({row(kHome + "/hello.txt"), row(kHome + "/proj")}, target.path());
    QSignalSpy done(download, &FileDownload::finished);
    QVERIFY(done.wait(kTryMs));
    QVERIFY2(done.first().at(0).toBool(), qPrintable(done.first().at(1).toString()));
    auto bytesOf = [&target](const QString &rel) {
        QFile f(QDir(target.path()).filePath(rel));
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    };
    QCOMPARE(bytesOf(QStringLiteral("hello.txt")), QByteArray("hello from the desktop\n"));
    QCOMPARE(bytesOf(QStringLiteral("proj/a.txt")), QByteArray("file a\n"));
    QCOMPARE(bytesOf(QStringLiteral("proj/c.txt")), QByteArray("into proj\n"));
    QVERIFY(bytesOf(QStringLiteral("proj/sub/b.bin")) == m_binary);
    QVERIFY(m_pane->statusText().contains(QStringLiteral("Downloaded 4 files")));

    // A missing file is said, and leaves no file behind.
    E2E_EXPECT(gone, m_api->del(sbx(m_id, "/files?path=") + ApiClient::q(kHome + "/proj/a.txt")), 204);
    FileDownload *failing = m_pane->downloadTo({row(kHome + "/proj/a.txt")}, target.path());
    QSignalSpy failed(failing, &FileDownload::finished);
    QVERIFY(failed.wait(kTryMs));
    QVERIFY(!failed.first().at(0).toBool());
    QVERIFY2(failed.first().at(1).toString().contains(QStringLiteral("was not downloaded")), qPrintable(failed.first().at(1).toString()));
    QVERIFY(!QFile::exists(QDir(target.path()).filePath(QStringLiteral("a.txt"))));
}

void tst_files_pane::dragOutOffersLocalCopies()
{
    // Selecting a file fetches a local copy; dragging it out offers that
    // copy's URL, with the same bytes. A folder is refused with a sentence.
    const QModelIndex hello = row(kHome + "/hello.txt");
    QVERIFY(hello.isValid());
    m_pane->view()->selectionModel()->setCurrentIndex(hello, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    std::unique_ptr<QMimeData> data;
    QTRY_VERIFY_WITH_TIMEOUT((data.reset(m_pane->dragOutData()), data != nullptr), kTryMs);
    QCOMPARE(data->urls().size(), 1);
    QVERIFY(data->urls().first().isLocalFile());
    QFile copy(data->urls().first().toLocalFile());
    QVERIFY(copy.open(QIODevice::ReadOnly));
    QCOMPARE(copy.readAll(), QByteArray("hello from the desktop\n"));
    QCOMPARE(QFileInfo(copy).fileName(), QStringLiteral("hello.txt"));

    m_pane->view()->selectionModel()->setCurrentIndex(row(kHome + "/proj"), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    data.reset(m_pane->dragOutData());
    QVERIFY(data == nullptr);
    QVERIFY2(m_pane->statusText().contains(QStringLiteral("Download")), qPrintable(m_pane->statusText()));
    m_pane->view()->clearSelection();
}

void tst_files_pane::newFolderRenameDelete()
{
    QSignalSpy finished(m_pane, &FilesPane::operationFinished);
    m_pane->createFolder(kHome, QStringLiteral("made by pane"));
    QVERIFY(finished.wait(kTryMs));
    QVERIFY2(finished.last().at(0).toBool(), qPrintable(finished.last().at(1).toString()));
    const ApiResponse stat = m_api->get(sbx(m_id, "/files/stat?path=") + ApiClient::q(kHome + "/made by pane"));
    QCOMPARE(stat.json().value(QStringLiteral("type")).toString(), QStringLiteral("dir"));
    QTRY_VERIFY_WITH_TIMEOUT(row(kHome + "/made by pane").isValid(), kTryMs);

    // A bad name is refused before asking the engine.
    m_pane->createFolder(kHome, QStringLiteral("a/b"));
    QVERIFY(!finished.last().at(0).toBool());
    QVERIFY(!remoteExists(kHome + "/a"));

    finished.clear();
    QVERIFY(m_pane->renameItem(row(kHome + "/hello.txt"), QStringLiteral("renamed.txt")));
    QVERIFY(finished.wait(kTryMs));
    QVERIFY2(finished.last().at(0).toBool(), qPrintable(finished.last().at(1).toString()));
    QCOMPARE(remoteBytes(kHome + "/renamed.txt"), QByteArray("hello from the desktop\n"));
    QVERIFY(!remoteExists(kHome + "/hello.txt"));
    QTRY_VERIFY_WITH_TIMEOUT(row(kHome + "/renamed.txt").isValid() && !row(kHome + "/hello.txt").isValid(), kTryMs);

    finished.clear();
    m_pane->removePaths({kHome + "/renamed.txt"});
    QVERIFY(finished.wait(kTryMs));
    QVERIFY2(finished.last().at(0).toBool(), qPrintable(finished.last().at(1).toString()));
    QVERIFY(!remoteExists(kHome + "/renamed.txt"));
    QTRY_VERIFY_WITH_TIMEOUT(!row(kHome + "/renamed.txt").isValid(), kTryMs);
}

void tst_files_pane::deleteSeveralAfterConfirmation()
{
    E2E_RUN(made, *m_api, m_id, "mkdir -p /home/sandbox/del/d && touch /home/sandbox/del/one /home/sandbox/del/d/two", QJsonObject(), 0);
    QTRY_VERIFY_WITH_TIMEOUT(row(kHome + "/del").isValid(), kTryMs);
    QVERIFY(expand(kHome + "/del"));
    QTRY_VERIFY_WITH_TIMEOUT(row(kHome + "/del/one").isValid() && row(kHome + "/del/d").isValid(), kTryMs);
    QItemSelectionModel *sel = m_pane->view()->selectionModel();
    sel->clearSelection();
    sel->select(row(kHome + "/del/one"), QItemSelectionModel::Select | QItemSelectionModel::Rows);
    sel->select(row(kHome + "/del/d"), QItemSelectionModel::Select | QItemSelectionModel::Rows);

    QSignalSpy finished(m_pane, &FilesPane::operationFinished);
    m_pane->deleteSelected();
    auto *box = m_pane->findChild<QMessageBox *>(QStringLiteral("filesDeleteConfirm"));
    QVERIFY(box);
    QVERIFY(box->text().contains(QStringLiteral("these 2 items")));
    // Nothing goes before the answer.
    QVERIFY(remoteExists(kHome + "/del/one"));
    box->button(QMessageBox::Yes)->click();
    QVERIFY(finished.wait(kTryMs));
    QVERIFY2(finished.last().at(0).toBool(), qPrintable(finished.last().at(1).toString()));
    QVERIFY(!remoteExists(kHome + "/del/one"));
    QVERIFY(!remoteExists(kHome + "/del/d"));
    QVERIFY(remoteExists(kHome + "/del"));
    QTRY_VERIFY_WITH_TIMEOUT(!row(kHome + "/del/one").isValid() && !row(kHome + "/del/d").isValid(), kTryMs);
}

void tst_files_pane::commandChangesAppearByThemselves()
{
    const int requestsBefore = m_pane->model()->requestsInFlight();
    Q_UNUSED(requestsBefore)
    E2E_RUN(made, *m_api, m_id, "echo x > /home/sandbox/new.txt", QJsonObject(), 0);
    QTRY_VERIFY_WITH_TIMEOUT(row(kHome + "/new.txt").isValid(), 10000);
    QCOMPARE(row(kHome + "/new.txt").data(RemoteFileModel::SizeRole).toLongLong(), 2);

    E2E_RUN(grown, *m_api, m_id, "echo more text >> /home/sandbox/new.txt", QJsonObject(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(row(kHome + "/new.txt").data(RemoteFileModel::SizeRole).toLongLong(), 12, 10000);

    // Inside a loaded subdirectory too, and removals.
    E2E_RUN(sub, *m_api, m_id, "echo y > /home/sandbox/proj/sub/inner.txt && rm /home/sandbox/new.txt", QJsonObject(), 0);
    QTRY_VERIFY_WITH_TIMEOUT(row(kHome + "/proj/sub/inner.txt").isValid(), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(!row(kHome + "/new.txt").isValid(), 10000);

    // A burst: many files at once arrive as rows too.
    E2E_RUN(burst, *m_api, m_id, "mkdir -p /home/sandbox/proj/many && cd /home/sandbox/proj && touch many/f{1..300}", QJsonObject(), 0);
    QTRY_VERIFY_WITH_TIMEOUT(row(kHome + "/proj/many").isValid(), 10000);
    QVERIFY(expand(kHome + "/proj/many"));
    QTRY_COMPARE_WITH_TIMEOUT(m_pane->model()->rowCount(row(kHome + "/proj/many")), 300, 10000);
    E2E_RUN(more, *m_api, m_id, "touch /home/sandbox/proj/many/g{1..200}", QJsonObject(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(m_pane->model()->rowCount(row(kHome + "/proj/many")), 500, 15000);
}

void tst_files_pane::hiddenFilesToggle()
{
    E2E_RUN(made, *m_api, m_id, "echo s > /home/sandbox/.secret", QJsonObject(), 0);
    QTest::qWait(1000);
    QVERIFY(!row(kHome + "/.secret").isValid());
    m_pane->setShowHidden(true);
    QTRY_VERIFY_WITH_TIMEOUT(row(kHome + "/.secret").isValid(), kTryMs);
    m_pane->setShowHidden(false);
    QTRY_VERIFY_WITH_TIMEOUT(m_pane->model()->isLoaded(QModelIndex()), kTryMs);
    QVERIFY(!row(kHome + "/.secret").isValid());
    QVERIFY(row(kHome + "/proj").isValid());
}

void tst_files_pane::pathBarChangesTheRoot()
{
    m_pane->pathBar()->setText(QStringLiteral("/home/sandbox/proj/"));
    QTest::keyClick(m_pane->pathBar(), Qt::Key_Return);
    QCOMPARE(m_pane->model()->root(), kHome + "/proj");
    QTRY_VERIFY_WITH_TIMEOUT(m_pane->model()->isLoaded(QModelIndex()), kTryMs);
    QVERIFY(row(kHome + "/proj/c.txt").isValid());
    QCOMPARE(m_pane->model()->index(0, 0).data(RemoteFileModel::IsDirRole).toBool(), true); // folders first
    // The watch follows the new root.
    QTRY_VERIFY_WITH_TIMEOUT(m_pane->watch()->path() == kHome + "/proj" && m_pane->isWatching(), kTryMs);
    E2E_RUN(made, *m_api, m_id, "echo z > /home/sandbox/proj/z.txt", QJsonObject(), 0);
    QTRY_VERIFY_WITH_TIMEOUT(row(kHome + "/proj/z.txt").isValid(), 10000);

    m_pane->setRoot(kHome);
    QTRY_VERIFY_WITH_TIMEOUT(m_pane->model()->isLoaded(QModelIndex()), kTryMs);
    QCOMPARE(m_pane->pathBar()->text(), kHome);
    QTRY_VERIFY_WITH_TIMEOUT(m_pane->watch()->path() == kHome && m_pane->isWatching(), kTryMs);
}

void tst_files_pane::tooLargeIsRefusedUnsent()
{
    {
        QFile big(local(QStringLiteral("big.bin")));
        QVERIFY(big.open(QIODevice::WriteOnly));
        QVERIFY(big.resize(33ll * 1024 * 1024));
    }
    m_pane->uploadFiles({QUrl::fromLocalFile(local(QStringLiteral("big.bin")))}, kHome);
    const UploadQueue::Job *job = lastJob();
    QCOMPARE(job->state, UploadQueue::State::Failed);
    QCOMPARE(job->sent, 0);
    QCOMPARE(job->message, UploadQueue::tooLargeSentence(QStringLiteral("big.bin"), 33ll * 1024 * 1024));
    QCOMPARE(m_pane->statusText(), job->message);
    QVERIFY(m_pane->transferPanel()->rowText(job->id).contains(QStringLiteral("so it was not uploaded")));
    QVERIFY(uploadsDone());
    QVERIFY(!remoteExists(kHome + "/big.bin"));
}

void tst_files_pane::clashPolicies()
{
    QSignalSpy asked(m_pane->uploads(), &UploadQueue::clashFound);
    auto upload = [this](const QByteArray &bytes) {
        writeLocal(QStringLiteral("clash/clash.txt"), bytes);
        m_pane->uploadFiles({QUrl::fromLocalFile(local(QStringLiteral("clash/clash.txt")))}, kHome);
        return uploadsDone();
    };
    const QString path = kHome + "/clash.txt";
    m_pane->uploads()->setClashPolicy(UploadQueue::Clash::Skip);
    QVERIFY(upload("one"));
    QCOMPARE(lastJob()->state, UploadQueue::State::Done); // no clash yet
    QVERIFY(upload("two"));
    QCOMPARE(lastJob()->state, UploadQueue::State::Skipped);
    QCOMPARE(remoteBytes(path), QByteArray("one"));

    m_pane->uploads()->setClashPolicy(UploadQueue::Clash::Replace);
    QVERIFY(upload("three"));
    QCOMPARE(lastJob()->state, UploadQueue::State::Done);
    QCOMPARE(remoteBytes(path), QByteArray("three"));

    m_pane->uploads()->setClashPolicy(UploadQueue::Clash::Rename);
    QVERIFY(upload("four"));
    QCOMPARE(lastJob()->state, UploadQueue::State::Done);
    QCOMPARE(lastJob()->remotePath, kHome + "/clash (1).txt");
    QVERIFY(upload("five"));
    QCOMPARE(lastJob()->remotePath, kHome + "/clash (2).txt");
    QCOMPARE(remoteBytes(path), QByteArray("three"));
    QCOMPARE(remoteBytes(kHome + "/clash (1).txt"), QByteArray("four"));
    QCOMPARE(remoteBytes(kHome + "/clash (2).txt"), QByteArray("five"));
    QTRY_VERIFY_WITH_TIMEOUT(row(kHome + "/clash (2).txt").isValid(), kTryMs);
    QCOMPARE(asked.count(), 0); // a preset policy never asks
}

void tst_files_pane::clashDialogAsks()
{
    m_pane->uploads()->setClashPolicy(UploadQueue::Clash::Ask);
    QSignalSpy asked(m_pane->uploads(), &UploadQueue::clashFound);
    writeLocal(QStringLiteral("clash/clash.txt"), "six");
    m_pane->uploadFiles({QUrl::fromLocalFile(local(QStringLiteral("clash/clash.txt")))}, kHome);
    QVERIFY(asked.wait(kTryMs));
    auto *dialog = m_pane->findChild<FileClashDialog *>(QStringLiteral("fileClashDialog"));
    QVERIFY(dialog);
    QVERIFY(dialog->isVisible());
    QCOMPARE(lastJob()->state, UploadQueue::State::Asking);
    // "Keep both" for all: the policy for the rest.
    dialog->applyToAllBox()->setChecked(true);
    dialog->findChild<QPushButton *>(QStringLiteral("clashRename"))->click();
    QVERIFY(uploadsDone());
    QCOMPARE(lastJob()->remotePath, kHome + "/clash (3).txt");
    QCOMPARE(remoteBytes(kHome + "/clash (3).txt"), QByteArray("six"));
    QCOMPARE(remoteBytes(kHome + "/clash.txt"), QByteArray("three"));
    QCOMPARE(m_pane->uploads()->clashPolicy(), UploadQueue::Clash::Rename);
    m_pane->uploads()->setClashPolicy(UploadQueue::Clash::Ask);
}

void tst_files_pane::cancelLeavesNoPartialFile()
{
    writeLocal(QStringLiteral("cancel/cancelme.bin"), randomBytes(30 * 1024 * 1024));
    UploadQueue *queue = m_pane->uploads();
    bool sawProgress = false;
    auto conn = connect(queue, &UploadQueue::jobChanged, this, [&](int id) {
        const UploadQueue::Job *j = queue->job(id);
        if (j && j->state == UploadQueue::State::Sending && j->sent > 0 && !sawProgress) {
            sawProgress = true;
            queue->cancel(id);
        }
    });
    m_pane->uploadFiles({QUrl::fromLocalFile(local(QStringLiteral("cancel/cancelme.bin")))}, kHome);
    QVERIFY(uploadsDone());
    disconnect(conn);
    QVERIFY(sawProgress);
    QCOMPARE(lastJob()->state, UploadQueue::State::Cancelled);
    // The engine gets time to have written anything it would write.
    QTest::qWait(2000);
    QVERIFY(!remoteExists(kHome + "/cancelme.bin"));
    E2E_RUN(listing, *m_api, m_id, "ls -A /home/sandbox", QJsonObject(), 0);
    QVERIFY2(!listing.contains(QStringLiteral("cancelme")), qPrintable(listing));

    // Cancel all: the waiting ones too.
    writeLocal(QStringLiteral("cancel/w1.txt"), "1");
    writeLocal(QStringLiteral("cancel/w2.txt"), "2");
    m_pane->uploadFiles({QUrl::fromLocalFile(local(QStringLiteral("cancel/w1.txt"))),
                         QUrl::fromLocalFile(local(QStringLiteral("cancel/w2.txt")))},
                        kHome);
    queue->cancelAll();
    QVERIFY(!queue->isBusy());
    QTest::qWait(1000);
    QVERIFY(!remoteExists(kHome + "/w1.txt"));
    QVERIFY(!remoteExists(kHome + "/w2.txt"));
}

void tst_files_pane::viewerShowsTextAndSaysBinary()
{
    E2E_RUN(made, *m_api, m_id,
            "printf 'line one\\nline two\\n' > /home/sandbox/view.txt && head -c 2000000 /dev/zero | tr '\\0' a > /home/sandbox/long.txt",
            QJsonObject(), 0);
    QTRY_VERIFY_WITH_TIMEOUT(row(kHome + "/view.txt").isValid() && row(kHome + "/long.txt").isValid(), 10000);

    FileViewerDialog *text = m_pane->openViewer(row(kHome + "/view.txt"));
    QVERIFY(text);
    QTRY_VERIFY_WITH_TIMEOUT(text->isLoaded(), kTryMs);
    QCOMPARE(text->text(), QStringLiteral("line one\nline two\n"));
    QVERIFY(!text->isBinary());
    QVERIFY(!text->isTruncated());
    text->close();

    FileViewerDialog *binary = m_pane->openViewer(row(kHome + "/proj/sub/b.bin"));
    QTRY_VERIFY_WITH_TIMEOUT(binary->isLoaded(), kTryMs);
    QVERIFY(binary->isBinary());
    QVERIFY2(binary->note().contains(QStringLiteral("binary")), qPrintable(binary->note()));
    const QString firstBytes = QStringLiteral("%1 %2").arg(uchar(m_binary[0]), 2, 16, QLatin1Char('0')).arg(uchar(m_binary[1]), 2, 16, QLatin1Char('0'));
    QVERIFY2(binary->text().startsWith(QStringLiteral("00000000  ") + firstBytes), qPrintable(binary->text().left(80)));
    binary->close();

    FileViewerDialog *longText = m_pane->openViewer(row(kHome + "/long.txt"));
    QTRY_VERIFY_WITH_TIMEOUT(longText->isLoaded(), kTryMs);
    QVERIFY(longText->isTruncated());
    QCOMPARE(longText->text().size(), 1024 * 1024);
    QVERIFY2(longText->note().contains(QStringLiteral("truncated")), qPrintable(longText->note()));
    longText->close();
}

void tst_files_pane::hiddenPaneReadsNothingButUploads()
{
    writeLocal(QStringLiteral("hidden/while-hidden.bin"), randomBytes(8 * 1024 * 1024));
    m_pane->uploadFiles({QUrl::fromLocalFile(local(QStringLiteral("hidden/while-hidden.bin")))}, kHome);
    m_pane->hide();
    QVERIFY(!m_pane->isWatching());
    // The upload carries on; nothing else is asked of the engine.
    QVERIFY(uploadsDone());
    QCOMPARE(lastJob()->state, UploadQueue::State::Done);
    QCOMPARE(remoteBytes(kHome + "/while-hidden.bin").size(), 8 * 1024 * 1024);
    E2E_RUN(made, *m_api, m_id, "echo h > /home/sandbox/made-while-hidden.txt", QJsonObject(), 0);
    QTest::qWait(1000);
    QCOMPARE(m_pane->model()->requestsInFlight(), 0);
    QVERIFY(!row(kHome + "/made-while-hidden.txt").isValid());

    // Shown again: listed afresh and watched again.
    QSignalSpy watching(m_pane->watch(), &FileWatch::started);
    m_pane->show();
    QTRY_VERIFY_WITH_TIMEOUT(row(kHome + "/made-while-hidden.txt").isValid() && row(kHome + "/while-hidden.bin").isValid(), kTryMs);
    QTRY_VERIFY_WITH_TIMEOUT(watching.count() == 1, kTryMs);
}

void tst_files_pane::pausedSandboxIsSaid()
{
    E2E_EXPECT(paused, m_api->post(sbx(m_id, "/pause"), QJsonObject()), 200);
    m_pane->setSandbox(m_id, false);
    QCOMPARE(m_pane->message(), QStringLiteral("Sandbox is paused; resume it to browse its files."));
    QVERIFY(!m_pane->isWatching());
    QCOMPARE(m_pane->model()->rowCount(), 0);
    QVERIFY(!m_pane->view()->isVisible());
    // Nothing is read while paused.
    QTest::qWait(500);
    QCOMPARE(m_pane->model()->requestsInFlight(), 0);
    m_pane->setSandbox(m_id, false); // the same again: nothing changes
    QCOMPARE(m_pane->model()->rowCount(), 0);

    E2E_EXPECT(resumed, m_api->post(sbx(m_id, "/resume"), QJsonObject()), 200);
    QSignalSpy watching(m_pane->watch(), &FileWatch::started);
    m_pane->setSandbox(m_id, true);
    QVERIFY(m_pane->message().isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(row(kHome + "/proj").isValid(), kTryMs);
    QTRY_VERIFY_WITH_TIMEOUT(watching.count() == 1, kTryMs);
    E2E_RUN(made, *m_api, m_id, "echo back > /home/sandbox/after-resume.txt", QJsonObject(), 0);
    QTRY_VERIFY_WITH_TIMEOUT(row(kHome + "/after-resume.txt").isValid(), 10000);

    m_pane->setSandbox(QString(), false);
    QCOMPARE(m_pane->message(), QStringLiteral("Select a sandbox to browse its files."));
    QVERIFY(!m_pane->isWatching());
}

QTEST_MAIN(tst_files_pane)
#include "tst_files_pane.moc"
