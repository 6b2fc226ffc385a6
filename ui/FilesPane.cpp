// SPDX-License-Identifier: GPL-3.0-or-later
#include "FilesPane.h"

#include "EngineClient.h"
#include "FileClashDialog.h"
#include "FileDownload.h"
#include "FileIconDelegate.h"
#include "FileNames.h"
#include "FilesClient.h"
#include "FileTreeView.h"
#include "FileViewerDialog.h"
#include "FileWatch.h"
#include "Limits.h"
#include "RemoteFileModel.h"
#include "TransferPanel.h"
#include "UploadPlan.h"

#include <QAction>
#include <QCheckBox>
#include <QDir>
#include <QFileDialog>
#include <QFontMetrics>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QLoggingCategory>
#include <QMenu>
#include <QMessageBox>
#include <QMimeData>
#include <QToolButton>
#include <QVBoxLayout>

Q_LOGGING_CATEGORY(lcUiFiles, "ai2in.ui.files", QtInfoMsg)

namespace {
// Files up to this size are fetched as soon as they are selected, so that
// dragging them out finds a local copy ready.
constexpr qint64 kDragCopyMax = 8ll * 1024 * 1024;

QString defaultRoot()
{
    return QStringLiteral("/home/sandbox");
}
} // namespace

FilesPane::FilesPane(EngineClient *client, QWidget *parent)
    : QWidget(parent)
    , m_client(client)
    , m_files(new FilesClient(client, this))
    , m_model(new RemoteFileModel(client, this))
    , m_watch(new FileWatch(client, this))
    , m_queue(new UploadQueue(client, this))
    , m_root(defaultRoot())
{
    buildUi();
    connect(m_watch, &FileWatch::eventsArrived, m_model, &RemoteFileModel::applyEvents);
    connect(m_watch, &FileWatch::ended, this, [this](const QString &sentence) {
        if (m_reading)
            setStatus(sentence, true);
    });
    connect(m_model, &RemoteFileModel::problem, this, [this](const QString &s) { setStatus(s, true); });
    connect(m_model, &RemoteFileModel::renamed, this, [this](const QString &from, const QString &to) {
        setStatus(tr("Renamed %1 to %2.").arg(FileNames::baseName(from), FileNames::baseName(to)), false);
        Q_EMIT operationFinished(true, statusText());
    });
    // A reload (Refresh, the hidden-files toggle, coming back to the tab)
    // opens again the folders that were open, and selects the same item,
    // as their rows arrive.
    connect(m_model, &RemoteFileModel::modelAboutToBeReset, this, &FilesPane::rememberOpenFolders);
    connect(m_model, &RemoteFileModel::modelReset, this, [this] {
        m_path->setText(m_model->root());
        if (m_model->sandbox() + m_model->root() != m_reopenWhere)
            m_reopen.clear();
    });
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &FilesPane::reopenFolders);
    connect(m_queue, &UploadQueue::clashFound, this, &FilesPane::askClash);
    connect(m_queue, &UploadQueue::jobFinished, this, &FilesPane::onUploadFinished);
    showMessage(tr("Select a sandbox to browse its files."));
}

FilesPane::~FilesPane()
{
    m_watch->stop();
}

void FilesPane::buildUi()
{
    m_path = new QLineEdit(m_root, this);
    m_path->setObjectName(QStringLiteral("filesPath"));
    m_path->setAccessibleName(tr("Folder shown"));
    m_path->setPlaceholderText(tr("A folder in the sandbox, then Enter"));
    connect(m_path, &QLineEdit::returnPressed, this, [this] { setRoot(m_path->text()); });

    auto tool = [this](const QString &text, const QString &name, const QString &tip) {
        auto *b = new QToolButton(this);
        b->setText(text);
        b->setObjectName(name);
        b->setToolTip(tip);
        return b;
    };
    m_up = tool(tr("Up"), QStringLiteral("filesUp"), tr("Show the folder above"));
    connect(m_up, &QToolButton::clicked, this, [this] { setRoot(FileNames::parentOf(m_root)); });
    m_refresh = tool(tr("Refresh"), QStringLiteral("filesRefresh"), tr("List the folder again"));
    connect(m_refresh, &QToolButton::clicked, this, &FilesPane::refresh);
    m_hidden = new QCheckBox(tr("Hidden files"), this);
    m_hidden->setObjectName(QStringLiteral("filesShowHidden"));
    m_hidden->setToolTip(tr("Show files whose names start with a dot"));
    connect(m_hidden, &QCheckBox::toggled, this, &FilesPane::setShowHidden);
    m_newFolder = tool(tr("New folder"), QStringLiteral("filesNewFolder"), tr("Make a folder in the selected folder"));
    connect(m_newFolder, &QToolButton::clicked, this, &FilesPane::newFolderWithDialog);
    m_upload = tool(tr("Upload…"), QStringLiteral("filesUpload"),
                    tr("Send files from this computer into the selected folder (or drag them onto it)"));
    connect(m_upload, &QToolButton::clicked, this, &FilesPane::uploadWithDialog);
    m_download = tool(tr("Download…"), QStringLiteral("filesDownload"), tr("Save the selected files and folders on this computer"));
    connect(m_download, &QToolButton::clicked, this, &FilesPane::downloadWithDialog);
    m_delete = tool(tr("Delete"), QStringLiteral("filesDelete"), tr("Delete the selected files and folders"));
    connect(m_delete, &QToolButton::clicked, this, &FilesPane::deleteSelected);

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 0, 0);
    bar->addWidget(m_up);
    bar->addWidget(m_path, 1);
    bar->addWidget(m_refresh);
    bar->addWidget(m_hidden);
    bar->addWidget(m_newFolder);
    bar->addWidget(m_upload);
    bar->addWidget(m_download);
    bar->addWidget(m_delete);

    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("filesMessage"));
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setWordWrap(true);

    m_view = new FileTreeView(this);
    m_view->setObjectName(QStringLiteral("filesTree"));
    m_view->setAccessibleName(tr("Files of the sandbox"));
    m_view->setModel(m_model);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setEditTriggers(QAbstractItemView::EditKeyPressed | QAbstractItemView::SelectedClicked);
    m_view->setUniformRowHeights(true);
    m_view->setAlternatingRowColors(true);
    m_view->header()->setStretchLastSection(false);
    m_view->header()->setSectionResizeMode(RemoteFileModel::NameColumn, QHeaderView::Stretch);
    // Fixed widths that fit typical values (sizing to contents would walk
    // every row of a big folder).
    const QFontMetrics fm = m_view->fontMetrics();
    const int pad = fm.horizontalAdvance(QStringLiteral("MM"));
    m_view->setColumnWidth(RemoteFileModel::SizeColumn, fm.horizontalAdvance(QStringLiteral("999.9 KiB")) + pad);
    m_view->setColumnWidth(RemoteFileModel::ModifiedColumn, fm.horizontalAdvance(QStringLiteral("2026-12-31 23:59")) + pad);
    m_view->setColumnWidth(RemoteFileModel::PermissionsColumn, fm.horizontalAdvance(QStringLiteral("drwxr-xr-x sandbox")) + pad);
    m_view->setItemDelegate(new FileIconDelegate(m_view));
    m_view->setDragSource([this] { return dragOutData(); });
    connect(m_view, &FileTreeView::filesDropped, this, &FilesPane::handleDrop);
    connect(m_view, &QTreeView::doubleClicked, this, [this](const QModelIndex &index) {
        if (!index.data(RemoteFileModel::IsDirRole).toBool())
            openViewer(index);
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &FilesPane::prefetchForDrag);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &FilesPane::updateEnabled);

    auto addAction = [this](const QString &text, const char *name, const QKeySequence &keys, auto slot) {
        auto *a = new QAction(text, m_view);
        a->setObjectName(QLatin1String(name));
        a->setShortcut(keys);
        a->setShortcutContext(Qt::WidgetShortcut);
        connect(a, &QAction::triggered, this, slot);
        m_view->addAction(a);
        return a;
    };
    m_openAction = addAction(tr("Open"), "filesOpenAction", QKeySequence(Qt::Key_Return), [this] {
        const QModelIndex i = m_view->currentIndex();
        if (i.isValid() && !i.data(RemoteFileModel::IsDirRole).toBool())
            openViewer(i);
    });
    m_renameAction = addAction(tr("Rename"), "filesRenameAction", QKeySequence(Qt::Key_F2),
                               [this] { m_view->edit(m_view->currentIndex().siblingAtColumn(0)); });
    m_downloadAction = addAction(tr("Download…"), "filesDownloadAction", QKeySequence(), [this] { downloadWithDialog(); });
    m_uploadAction = addAction(tr("Upload…"), "filesUploadAction", QKeySequence(), [this] { uploadWithDialog(); });
    m_newFolderAction = addAction(tr("New folder"), "filesNewFolderAction", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N),
                                  [this] { newFolderWithDialog(); });
    m_deleteAction = addAction(tr("Delete"), "filesDeleteAction", QKeySequence::Delete, [this] { deleteSelected(); });
    // What the menu offers depends on where it opens: an item's actions on
    // an item, only what makes sense for the folder on the empty area.
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_view, &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        QMenu *menu = contextMenuAt(pos);
        menu->setAttribute(Qt::WA_DeleteOnClose);
        menu->popup(m_view->viewport()->mapToGlobal(pos));
    });

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("filesStatus"));
    m_status->setText(dropHint());
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_transfers = new TransferPanel(m_queue, this);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_message, 1);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_status);
    layout->addWidget(m_transfers);
}

QTreeView *FilesPane::view() const
{
    return m_view;
}

void FilesPane::setSandbox(const QString &id, bool running)
{
    if (id == m_id && running == m_running)
        return;
    const bool other = id != m_id;
    m_id = id;
    m_running = running;
    stopReading();
    m_model->setLocation(QString(), QString());
    setStatus(running ? dropHint() : QString(), false);
    if (other) {
        m_root = defaultRoot();
        m_path->setText(m_root);
        m_dragCopies.clear();
    }
    if (id.isEmpty())
        showMessage(tr("Select a sandbox to browse its files."));
    else if (!running)
        showMessage(tr("Sandbox is paused; resume it to browse its files."));
    else
        showMessage(QString());
    startReading();
}

void FilesPane::showMessage(const QString &sentence)
{
    m_message->setText(sentence);
    m_message->setVisible(!sentence.isEmpty());
    m_view->setVisible(sentence.isEmpty());
    updateEnabled();
}

QString FilesPane::message() const
{
    return m_message->text();
}

void FilesPane::startReading()
{
    if (m_id.isEmpty() || !m_running || !isVisible() || m_reading)
        return;
    m_reading = true;
    // What changed while the pane was not reading is not known: list afresh
    // (a new location lists by itself).
    if (m_model->sandbox() == m_id && m_model->root() == FileNames::normalized(m_root))
        m_model->reload();
    else
        m_model->setLocation(m_id, m_root);
    m_watch->start(m_id, m_model->root());
    updateEnabled();
}

void FilesPane::stopReading()
{
    m_reading = false;
    m_watch->stop();
}

void FilesPane::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    startReading();
}

void FilesPane::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    stopReading();
}

bool FilesPane::isWatching() const
{
    return m_watch->isActive();
}

void FilesPane::setRoot(const QString &path)
{
    const QString root = FileNames::normalized(path);
    if (root.isEmpty())
        return;
    m_root = root;
    m_path->setText(root);
    if (!m_reading)
        return;
    m_model->setLocation(m_id, root);
    m_watch->start(m_id, root);
}

QString FilesPane::root() const
{
    return m_root;
}

void FilesPane::setShowHidden(bool on)
{
    if (m_hidden->isChecked() != on)
        m_hidden->setChecked(on); // comes back here through toggled
    else
        m_model->setShowHidden(on);
}

void FilesPane::rememberOpenFolders()
{
    m_reopen.clear();
    m_reopenCurrent = m_view->currentIndex().data(RemoteFileModel::PathRole).toString();
    m_reopenWhere = m_model->sandbox() + m_model->root();
    // Only loaded rows can be open; a closed folder's subfolders stay closed.
    QList<QModelIndex> pending{QModelIndex()};
    while (!pending.isEmpty()) {
        const QModelIndex parent = pending.takeLast();
        for (int r = 0, n = m_model->rowCount(parent); r < n; ++r) {
            const QModelIndex child = m_model->index(r, 0, parent);
            if (m_view->isExpanded(child)) {
                m_reopen.insert(child.data(RemoteFileModel::PathRole).toString());
                pending.append(child);
            }
        }
    }
}

void FilesPane::reopenFolders(const QModelIndex &parent, int first, int last)
{
    if (m_reopen.isEmpty() && m_reopenCurrent.isEmpty())
        return;
    for (int r = first; r <= last; ++r) {
        const QModelIndex child = m_model->index(r, 0, parent);
        const QString path = child.data(RemoteFileModel::PathRole).toString();
        if (m_reopen.remove(path))
            m_view->expand(child); // lists it, and its rows come back here
        if (path == m_reopenCurrent) {
            m_view->setCurrentIndex(child);
            m_reopenCurrent.clear();
        }
    }
}

void FilesPane::refresh()
{
    if (m_reading)
        m_model->reload();
}

void FilesPane::setStatus(const QString &text, bool problem)
{
    m_status->setText(text);
    m_status->setProperty("problem", problem);
    m_status->setStyleSheet(problem ? QStringLiteral("color: #c0392b") : QString());
    if (problem)
        qCInfo(lcUiFiles) << text;
}

QString FilesPane::statusText() const
{
    return m_status->text();
}

QString FilesPane::dropHint()
{
    return tr("Drag files from your file manager onto a folder to upload them, or use Upload….");
}

QMenu *FilesPane::contextMenuAt(const QPoint &pos)
{
    const QModelIndex at = m_view->indexAt(pos);
    auto *menu = new QMenu(m_view);
    menu->setObjectName(QStringLiteral("filesContextMenu"));
    if (at.isValid()) {
        if (!m_view->selectionModel()->isRowSelected(at.row(), at.parent()))
            m_view->setCurrentIndex(at);
        if (!at.data(RemoteFileModel::IsDirRole).toBool())
            menu->addAction(m_openAction);
        menu->addAction(m_renameAction);
        menu->addAction(m_downloadAction);
        menu->addAction(m_deleteAction);
        menu->addSeparator();
    } else {
        // The empty area stands for the folder shown: nothing selected.
        m_view->clearSelection();
        m_view->setCurrentIndex(QModelIndex());
    }
    menu->addAction(m_uploadAction);
    menu->addAction(m_newFolderAction);
    return menu;
}

void FilesPane::uploadWithDialog()
{
    if (m_id.isEmpty() || !m_running) {
        setStatus(tr("Files can be uploaded only into a running sandbox."), true);
        return;
    }
    const QString target = targetDirOf(m_view->currentIndex());
    auto *dialog = new QFileDialog(this, tr("Upload into %1").arg(target));
    dialog->setObjectName(QStringLiteral("filesUploadDialog"));
    dialog->setFileMode(QFileDialog::ExistingFiles);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    const QString sandbox = m_id;
    connect(dialog, &QFileDialog::urlsSelected, this, [this, sandbox, target](const QList<QUrl> &urls) {
        if (sandbox == m_id)
            uploadFiles(urls, target);
    });
    dialog->open();
}

QString FilesPane::targetDirOf(const QModelIndex &index) const
{
    if (!index.isValid())
        return m_model->root().isEmpty() ? m_root : m_model->root();
    const QString path = index.data(RemoteFileModel::PathRole).toString();
    return index.data(RemoteFileModel::IsDirRole).toBool() ? path : FileNames::parentOf(path);
}

void FilesPane::uploadFiles(const QList<QUrl> &urls, const QString &targetDir)
{
    if (m_id.isEmpty() || !m_running) {
        setStatus(tr("Files can be uploaded only into a running sandbox."), true);
        return;
    }
    const UploadPlan plan = UploadPlan::fromUrls(urls, FileNames::normalized(targetDir));
    if (!plan.problems.isEmpty())
        setStatus(plan.problems.join(QLatin1Char(' ')), true);
    m_queue->enqueue(m_id, plan);
}

bool FilesPane::handleDrop(const QMimeData *data, const QModelIndex &target)
{
    if (!data || !data->hasUrls() || data->hasFormat(FileTreeView::fromSandboxFormat()))
        return false;
    const QList<QUrl> urls = data->urls();
    if (urls.isEmpty())
        return false;
    uploadFiles(urls, targetDirOf(target.siblingAtColumn(0)));
    return true;
}

void FilesPane::askClash(int jobId)
{
    const UploadQueue::Job *job = m_queue->job(jobId);
    if (!job)
        return;
    auto *dialog = new FileClashDialog(job->remotePath, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &FileClashDialog::chosen, m_queue, [this, jobId](UploadQueue::Clash choice, bool all) {
        m_queue->resolveClash(jobId, choice, all);
    });
    dialog->open();
}

void FilesPane::onUploadFinished(int jobId)
{
    const UploadQueue::Job *job = m_queue->job(jobId);
    if (!job)
        return;
    if (job->state == UploadQueue::State::Done && job->sandbox == m_id && m_reading)
        m_model->refreshPath(job->remotePath);
    else if (job->state == UploadQueue::State::Failed)
        setStatus(job->message, true);
}

QModelIndexList FilesPane::selectedItems() const
{
    return m_view->selectionModel()->selectedRows(RemoteFileModel::NameColumn);
}

FileDownload *FilesPane::downloadTo(const QModelIndexList &items, const QString &localDir)
{
    auto *download = new FileDownload(m_client, m_id, this);
    for (const QModelIndex &i : items) {
        const QString path = i.data(RemoteFileModel::PathRole).toString();
        download->add(path, i.data(RemoteFileModel::IsDirRole).toBool(), QDir(localDir).filePath(FileNames::baseName(path)));
    }
    connect(download, &FileDownload::finished, this, [this, download, localDir](bool ok, const QString &sentence) {
        download->deleteLater();
        const QString text = ok ? tr("%1 Saved in %2.").arg(sentence, QDir::toNativeSeparators(localDir)) : sentence;
        setStatus(text, !ok);
        Q_EMIT operationFinished(ok, text);
    });
    setStatus(tr("Downloading…"), false);
    download->start();
    return download;
}

void FilesPane::downloadWithDialog()
{
    const QModelIndexList items = selectedItems();
    if (items.isEmpty() || m_id.isEmpty())
        return;
    auto *dialog = new QFileDialog(this, tr("Download"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    const bool oneFile = items.size() == 1 && !items.first().data(RemoteFileModel::IsDirRole).toBool();
    if (oneFile) {
        // One file: where to save it, under which name.
        dialog->setAcceptMode(QFileDialog::AcceptSave);
        dialog->selectFile(items.first().data(RemoteFileModel::PathRole).toString().section(QLatin1Char('/'), -1));
    } else {
        dialog->setFileMode(QFileDialog::Directory);
        dialog->setOption(QFileDialog::ShowDirsOnly);
    }
    QList<QPersistentModelIndex> kept(items.cbegin(), items.cend());
    connect(dialog, &QFileDialog::fileSelected, this, [this, kept, oneFile](const QString &chosen) {
        QModelIndexList still;
        for (const QPersistentModelIndex &p : kept) {
            if (p.isValid())
                still.append(p);
        }
        if (still.isEmpty())
            return;
        if (!oneFile) {
            downloadTo(still, chosen);
            return;
        }
        auto *download = new FileDownload(m_client, m_id, this);
        download->add(still.first().data(RemoteFileModel::PathRole).toString(), false, chosen);
        connect(download, &FileDownload::finished, this, [this, download, chosen](bool ok, const QString &sentence) {
            download->deleteLater();
            setStatus(ok ? tr("Saved %1.").arg(QDir::toNativeSeparators(chosen)) : sentence, !ok);
        });
        download->start();
    });
    dialog->open();
}

void FilesPane::createFolder(const QString &dirPath, const QString &name)
{
    if (!FileNames::isValidName(name)) {
        setStatus(tr("“%1” cannot be a folder name.").arg(name), true);
        Q_EMIT operationFinished(false, statusText());
        return;
    }
    const QString path = FileNames::join(dirPath, name);
    m_files->makeFolder(m_id, path, this, [this, path, name](Status r) {
                       if (!r) {
                           setStatus(tr("The folder %1 was not made: %2").arg(name, r.error().message), true);
                       } else {
                           setStatus(tr("Made the folder %1.").arg(name), false);
                           m_model->refreshPath(path);
                       }
                       Q_EMIT operationFinished(r.ok(), statusText());
                   });
}

void FilesPane::newFolderWithDialog()
{
    if (!m_reading)
        return;
    const QString dir = targetDirOf(m_view->currentIndex().siblingAtColumn(0));
    auto *dialog = new QInputDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("New folder"));
    dialog->setLabelText(tr("A new folder in %1:").arg(dir));
    dialog->setTextValue(tr("New folder"));
    connect(dialog, &QInputDialog::textValueSelected, this, [this, dir](const QString &name) { createFolder(dir, name.trimmed()); });
    dialog->open();
}

bool FilesPane::renameItem(const QModelIndex &index, const QString &newName)
{
    return m_model->setData(index.siblingAtColumn(RemoteFileModel::NameColumn), newName, Qt::EditRole);
}

void FilesPane::removePaths(const QStringList &paths)
{
    auto left = std::make_shared<int>(int(paths.size()));
    auto failures = std::make_shared<QStringList>();
    for (const QString &path : paths) {
        m_files->remove(m_id, path, this, [this, path, left, failures, count = paths.size()](Status r) {
                           if (!r)
                               failures->append(tr("%1: %2").arg(FileNames::baseName(path), r.error().message));
                           else
                               m_model->applyEvents({{FileWatch::Event::Type::Remove, path, false}});
                           if (--*left > 0)
                               return;
                           if (failures->isEmpty())
                               setStatus(count == 1 ? tr("Deleted one item.") : tr("Deleted %1 items.").arg(count), false);
                           else
                               setStatus(tr("Not everything was deleted. %1").arg(failures->join(QLatin1Char(' '))), true);
                           Q_EMIT operationFinished(failures->isEmpty(), statusText());
                       });
    }
}

void FilesPane::deleteSelected()
{
    QStringList paths;
    for (const QModelIndex &i : selectedItems())
        paths.append(i.data(RemoteFileModel::PathRole).toString());
    if (paths.isEmpty() || !m_reading)
        return;
    const QString what = paths.size() == 1 ? tr("Delete %1 from the sandbox?").arg(FileNames::baseName(paths.first()))
                                           : tr("Delete these %1 items from the sandbox?").arg(paths.size());
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Delete"), what, QMessageBox::Yes | QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("filesDeleteConfirm"));
    box->setInformativeText(tr("Folders are deleted with everything in them. This cannot be undone."));
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, paths](int result) {
        if (result == QMessageBox::Yes)
            removePaths(paths);
    });
    box->open();
}

FileViewerDialog *FilesPane::openViewer(const QModelIndex &index)
{
    if (!index.isValid() || m_id.isEmpty())
        return nullptr;
    auto *dialog = new FileViewerDialog(m_client, m_id, index.data(RemoteFileModel::PathRole).toString(), this);
    dialog->open();
    return dialog;
}

void FilesPane::prefetchForDrag(const QModelIndex &current)
{
    if (!current.isValid() || current.data(RemoteFileModel::IsDirRole).toBool() || !m_dragDir.isValid())
        return;
    const QString path = current.data(RemoteFileModel::PathRole).toString();
    if (current.data(RemoteFileModel::SizeRole).toLongLong() > kDragCopyMax || m_dragCopies.contains(path))
        return;
    // Each copy in its own folder, so two files of one name do not meet.
    const QString dir = m_dragDir.filePath(QString::number(m_dragCopies.size() + m_dragFetches));
    const QString local = QDir(dir).filePath(FileNames::baseName(path));
    if (!QDir().mkpath(dir))
        return;
    auto *download = new FileDownload(m_client, m_id, this);
    download->add(path, false, local);
    ++m_dragFetches;
    const QString sandbox = m_id;
    connect(download, &FileDownload::finished, this, [this, download, path, local, sandbox](bool ok, const QString &) {
        download->deleteLater();
        --m_dragFetches;
        if (ok && sandbox == m_id)
            m_dragCopies.insert(path, local);
    });
    download->start();
}

QMimeData *FilesPane::dragOutData()
{
    QList<QUrl> urls;
    QStringList tooBig;
    QStringList fetching;
    for (const QModelIndex &i : selectedItems()) {
        const QString path = i.data(RemoteFileModel::PathRole).toString();
        const QString local = m_dragCopies.value(path);
        if (i.data(RemoteFileModel::IsDirRole).toBool() || i.data(RemoteFileModel::SizeRole).toLongLong() > kDragCopyMax)
            tooBig.append(FileNames::baseName(path));
        else if (local.isEmpty())
            fetching.append(FileNames::baseName(path));
        else
            urls.append(QUrl::fromLocalFile(local));
    }
    if (!tooBig.isEmpty()) {
        setStatus(tr("Only files up to %1 can be dragged out (%2); use Download… for folders and larger files.")
                      .arg(QLocale().formattedDataSize(kDragCopyMax), tooBig.join(QStringLiteral(", "))),
                  true);
    } else if (!fetching.isEmpty()) {
        setStatus(tr("Fetching %1 to drag out; drag again in a moment.").arg(fetching.join(QStringLiteral(", "))), false);
        for (const QModelIndex &i : selectedItems())
            prefetchForDrag(i);
    }
    if (urls.isEmpty())
        return nullptr;
    auto *data = new QMimeData;
    data->setUrls(urls);
    data->setData(FileTreeView::fromSandboxFormat(), m_id.toUtf8());
    return data;
}

void FilesPane::updateEnabled()
{
    const bool live = !m_id.isEmpty() && m_running;
    const bool selected = live && m_view->selectionModel() && m_view->selectionModel()->hasSelection();
    m_path->setEnabled(live);
    m_up->setEnabled(live);
    m_refresh->setEnabled(live);
    m_newFolder->setEnabled(live);
    m_download->setEnabled(selected);
    m_upload->setEnabled(live);
    if (m_openAction) {
        for (QAction *a : {m_openAction, m_renameAction, m_downloadAction, m_deleteAction})
            a->setEnabled(selected);
        m_uploadAction->setEnabled(live);
        m_newFolderAction->setEnabled(live);
    }
    m_delete->setEnabled(selected);
}
