// SPDX-License-Identifier: GPL-3.0-or-later
#include "ChangesPane.h"

#include "Banner.h"
#include "ChangeTreeModel.h"
#include "ChangesClient.h"
#include "DiffHighlighter.h"
#include "DiffRows.h"
#include "LivePoll.h"
#include "Formatting.h"

#include "ChangeEntry.h"

#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QScrollBar>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableWidget>
#include <QTreeView>
#include <QVBoxLayout>

#include <utility>

namespace {

constexpr int kPollMs = 2000;

QString sideText(const std::optional<ChangeDiff::Side> &s)
{
    if (!s)
        return ChangesPane::tr("none");
    return s->sha256.isEmpty() ? Formatting::bytes(s->size)
                               : ChangesPane::tr("%1, SHA-256 %2").arg(Formatting::bytes(s->size), s->sha256);
}

} // namespace

ChangesPane::ChangesPane(EngineClient *client, QWidget *parent)
    : QWidget(parent)
    , m_client(client)
    , m_changes(new ChangesClient(client, this))
    , m_model(new ChangeTreeModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_poll(new LivePoll(kPollMs, [this] { refresh(); }, this))
{

    auto *layout = new QVBoxLayout(this);
    m_banner = new Banner(false, this);
    layout->addWidget(m_banner);

    auto *bar = new QHBoxLayout;
    m_filter = new QLineEdit(this);
    m_filter->setObjectName(QStringLiteral("changesFilter"));
    m_filter->setPlaceholderText(tr("Filter paths"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setAccessibleName(tr("Filter changed paths"));
    bar->addWidget(m_filter, 1);
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("changesSummary"));
    bar->addWidget(m_summary);
    m_mode = new QComboBox(this);
    m_mode->setObjectName(QStringLiteral("changesDiffMode"));
    m_mode->addItem(tr("Unified"));
    m_mode->addItem(tr("Side by side"));
    m_mode->setAccessibleName(tr("Diff layout"));
    bar->addWidget(m_mode);
    m_savePatch = new QPushButton(tr("Save as patch…"), this);
    m_savePatch->setObjectName(QStringLiteral("changesSavePatch"));
    m_savePatch->setToolTip(tr("Write every text change as one unified diff (git apply takes it)"));
    bar->addWidget(m_savePatch);
    m_saveArchive = new QPushButton(tr("Save as archive…"), this);
    m_saveArchive->setObjectName(QStringLiteral("changesSaveArchive"));
    m_saveArchive->setAccessibleName(tr("Save the changes as an archive"));
    m_saveArchive->setToolTip(tr("Write the added and modified files as a tar, with a list of every change"));
    bar->addWidget(m_saveArchive);
    layout->addLayout(bar);

    auto *split = new QSplitter(Qt::Horizontal, this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setRecursiveFilteringEnabled(true);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setFilterRole(ChangeTreeModel::PathRole);
    m_tree = new QTreeView(split);
    m_tree->setObjectName(QStringLiteral("changesTree"));
    m_tree->setAccessibleName(tr("Changed paths"));
    m_tree->setModel(m_proxy);
    m_tree->setUniformRowHeights(true);
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(ChangeTreeModel::NameColumn, QHeaderView::Stretch);
    m_tree->header()->setSectionResizeMode(ChangeTreeModel::ChangeColumn, QHeaderView::ResizeToContents);
    m_tree->header()->setSectionResizeMode(ChangeTreeModel::SizeColumn, QHeaderView::ResizeToContents);

    auto *diffArea = new QWidget(split);
    auto *diffLayout = new QVBoxLayout(diffArea);
    diffLayout->setContentsMargins(0, 0, 0, 0);
    m_diffTitle = new QLabel(tr("Select a changed file to see its diff."), diffArea);
    m_diffTitle->setObjectName(QStringLiteral("changesDiffTitle"));
    m_diffTitle->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_diffTitle->setWordWrap(true);
    diffLayout->addWidget(m_diffTitle);
    m_diffStack = new QStackedWidget(diffArea);
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_unified = new QPlainTextEdit(m_diffStack);
    m_unified->setObjectName(QStringLiteral("changesUnified"));
    m_unified->setAccessibleName(tr("Unified diff"));
    m_unified->setReadOnly(true);
    m_unified->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_unified->setFont(mono);
    new DiffHighlighter(m_unified->document());
    m_sides = new QTableWidget(m_diffStack);
    m_sides->setObjectName(QStringLiteral("changesSideBySide"));
    m_sides->setAccessibleName(tr("Side-by-side diff"));
    m_sides->setColumnCount(4);
    m_sides->setHorizontalHeaderLabels({tr("#"), tr("Template"), tr("#"), tr("Sandbox")});
    m_sides->verticalHeader()->hide();
    m_sides->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_sides->setShowGrid(false);
    m_sides->setWordWrap(false);
    m_sides->setFont(mono);
    // Both sides in sight, half the width each; a line too long for its half
    // is cut at the right and whole in its tooltip (and in the unified view).
    m_sides->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_sides->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_sides->horizontalHeader()->setSectionResizeMode(3, QHeaderView::Stretch);
    m_sides->setTextElideMode(Qt::ElideRight);
    m_binary = new QLabel(m_diffStack);
    m_binary->setObjectName(QStringLiteral("changesBinary"));
    m_binary->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_binary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_binary->setWordWrap(true);
    m_diffStack->addWidget(m_unified);
    m_diffStack->addWidget(m_sides);
    m_diffStack->addWidget(m_binary);
    diffLayout->addWidget(m_diffStack, 1);
    split->addWidget(m_tree);
    split->addWidget(diffArea);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    layout->addWidget(split, 1);

    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_proxy->setFilterFixedString(text);
        if (!text.isEmpty())
            m_tree->expandAll();
    });
    connect(m_tree->selectionModel(), &QItemSelectionModel::currentChanged, this, [this](const QModelIndex &current) {
        const QModelIndex source = m_proxy->mapToSource(current);
        if (source.isValid() && source.data(ChangeTreeModel::ChangedRole).toBool())
            showPath(source.data(ChangeTreeModel::PathRole).toString());
    });
    connect(m_mode, &QComboBox::currentIndexChanged, this, [this] {
        if (m_diffStack->currentWidget() != m_binary)
            m_diffStack->setCurrentWidget(diffMode() == DiffMode::Unified ? static_cast<QWidget *>(m_unified) : m_sides);
    });
    connect(m_savePatch, &QPushButton::clicked, this, &ChangesPane::askSavePatch);
    connect(m_saveArchive, &QPushButton::clicked, this, &ChangesPane::askSaveArchive);
    // New folders open as they appear, so fresh changes are in sight.
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex &parent) {
        if (!parent.isValid() || m_tree->isExpanded(parent) || m_model->changeCount() > 500)
            return;
        m_tree->expand(parent);
    });
    setSandbox(QString(), false);
}

void ChangesPane::setSandbox(const QString &id, bool running)
{
    if (id != m_id) {
        m_id = id;
        m_model->setChanges({});
        m_shownPath.clear();
        m_shownChange.reset();
        m_unified->clear();
        m_sides->setRowCount(0);
        m_diffTitle->setText(tr("Select a changed file to see its diff."));
        m_summary->clear();
        m_banner->clear();
        m_inFlight = false;
    }
    m_running = running;
    m_savePatch->setEnabled(!id.isEmpty() && running);
    m_saveArchive->setEnabled(!id.isEmpty() && running);
    if (id.isEmpty())
        m_banner->show(Banner::Kind::Info, tr("Select a sandbox to see what it changed."));
    else if (!running)
        m_banner->show(Banner::Kind::Info, tr("This sandbox is not running; resume it to see its changes."));
    else if (m_banner->kind() == Banner::Kind::Info)
        m_banner->clear();
    updatePolling();
}

void ChangesPane::setPollInterval(int ms)
{
    m_poll->setInterval(ms);
}

void ChangesPane::setDiffMode(DiffMode mode)
{
    m_mode->setCurrentIndex(mode == DiffMode::Unified ? 0 : 1);
}

ChangesPane::DiffMode ChangesPane::diffMode() const
{
    return m_mode->currentIndex() == 0 ? DiffMode::Unified : DiffMode::SideBySide;
}

void ChangesPane::showEvent(QShowEvent *e)
{
    QWidget::showEvent(e);
    updatePolling();
}

void ChangesPane::hideEvent(QHideEvent *e)
{
    QWidget::hideEvent(e);
    updatePolling();
}

void ChangesPane::updatePolling()
{
    m_poll->setWanted(isVisible() && m_running && !m_id.isEmpty());
}

void ChangesPane::refresh()
{
    if (m_inFlight || m_id.isEmpty())
        return;
    m_inFlight = true;
    const QString id = m_id;
    m_changes->list(id, this, [this, id](Result<ChangeList> r) {
        if (id != m_id)
            return;
        m_inFlight = false;
        if (!r) {
            m_banner->show(Banner::Kind::Error, r.error().message);
            m_listingFailed = true;
            return;
        }
        // Only the listing's own error goes: a failed save stays in sight.
        if (m_listingFailed && m_banner->kind() == Banner::Kind::Error)
            m_banner->clear();
        m_listingFailed = false;
        m_model->setChanges(r->changes);
        int added = 0, modified = 0, deleted = 0;
        for (const ChangeEntry &c : r->changes) {
            added += c.kind == ChangeEntry::Kind::Added;
            modified += c.kind == ChangeEntry::Kind::Modified;
            deleted += c.kind == ChangeEntry::Kind::Deleted;
        }
        const int n = int(r->changes.size());
        const QString total = n == 1 ? tr("1 change") : tr("%1 changes").arg(n);
        const QString counts = tr("%1 added, %2 modified, %3 deleted").arg(added).arg(modified).arg(deleted);
        m_summary->setText(tr("%1: %2%3").arg(total, counts, r->truncated ? tr(" (the first %1 only)").arg(n) : QString()));
        if (!m_pendingPath.isEmpty()) {
            const QString wanted = std::exchange(m_pendingPath, QString());
            if (m_model->changeAt(wanted)) {
                showPath(wanted);
            } else {
                m_diffTitle->setText(tr("%1 — no change from the template now: it was changed back, or is "
                                        "not there any more")
                                         .arg(wanted));
            }
        }
        // The file on screen changed again (its size, time or kind): its
        // diff follows; an unchanged one is not read again.
        if (!m_shownPath.isEmpty()) {
            const std::optional<ChangeEntry> now = m_model->changeAt(m_shownPath);
            if (now && now != m_shownChange)
                showPath(m_shownPath);
        }
        Q_EMIT refreshed();
    });
}

void ChangesPane::showPath(const QString &path)
{
    const std::optional<ChangeEntry> c = m_model->changeAt(path);
    if (!c) {
        m_pendingPath = path;
        m_diffTitle->setText(tr("%1 — looking for it…").arg(path));
        refresh();
        return;
    }
    m_pendingPath.clear();
    // Asked from elsewhere (the command log): its row becomes the current
    // one, which shows it.
    const QModelIndex row = m_proxy->mapFromSource(m_model->indexOf(path));
    if (row.isValid() && m_tree->currentIndex() != row) {
        m_tree->scrollTo(row);
        m_tree->setCurrentIndex(row);
        return;
    }
    const bool same = path == m_shownPath;
    m_shownPath = path;
    m_shownChange = c;
    if (!same)
        m_diffTitle->setText(tr("%1 — reading…").arg(path));
    const QString id = m_id;
    m_changes->diff(id, path, this, [this, id, path](Result<ChangeDiff> r) {
        if (id != m_id || path != m_shownPath)
            return;
        if (!r) {
            m_diffTitle->setText(tr("%1 — %2").arg(path, r.error().message));
            return;
        }
        showDiff(*r);
        Q_EMIT diffShown();
    });
}

void ChangesPane::showDiff(const ChangeDiff &d)
{
    m_diffTitle->setText(tr("%1 — %2 %3").arg(d.path, ChangeEntry::kindName(d.kind), d.type));
    if (d.binary || d.tooLarge || d.diff.isEmpty()) {
        QString why;
        if (d.binary)
            why = tr("A binary file: compared by size and hash.");
        else if (d.tooLarge)
            why = tr("Too large to show as a diff: compared by size and hash.");
        else if (d.type == QLatin1String("dir"))
            why = tr("A directory: its content is listed in the tree.");
        else
            why = tr("The content is the same; its mode, owner or time changed.");
        m_binary->setText(tr("%1\n\nTemplate: %2\nSandbox: %3").arg(why, sideText(d.before), sideText(d.after)));
        m_diffStack->setCurrentWidget(m_binary);
        return;
    }
    const int scroll = m_unified->verticalScrollBar()->value();
    if (m_unified->toPlainText() != d.diff) {
        m_unified->setPlainText(d.diff);
        m_unified->verticalScrollBar()->setValue(scroll);
    }
    const QList<DiffRow> rows = DiffRows::sideBySide(d.diff);
    m_sides->setRowCount(int(rows.size()));
    for (int i = 0; i < rows.size(); ++i) {
        const DiffRow &row = rows[i];
        const QColor oldBg = row.kind == DiffRow::Kind::Removed || row.kind == DiffRow::Kind::Changed
                                 ? DiffHighlighter::removedColor()
                                 : row.kind == DiffRow::Kind::Hunk ? DiffHighlighter::hunkColor() : QColor();
        const QColor newBg = row.kind == DiffRow::Kind::Added || row.kind == DiffRow::Kind::Changed
                                 ? DiffHighlighter::addedColor()
                                 : row.kind == DiffRow::Kind::Hunk ? DiffHighlighter::hunkColor() : QColor();
        const QString tab = QStringLiteral("    ");
        const QStringList cells{row.oldLine ? QString::number(row.oldLine) : QString(),
                                QString(row.oldText).replace(QLatin1Char('\t'), tab),
                                row.newLine ? QString::number(row.newLine) : QString(),
                                QString(row.newText).replace(QLatin1Char('\t'), tab)};
        for (int col = 0; col < 4; ++col) {
            auto *item = new QTableWidgetItem(cells[col]);
            if (col % 2 == 1 && !cells[col].isEmpty())
                item->setToolTip(cells[col]);
            const QColor bg = col < 2 ? oldBg : newBg;
            if (bg.isValid())
                item->setBackground(bg);
            m_sides->setItem(i, col, item);
        }
    }
    m_sides->resizeRowsToContents();
    m_diffStack->setCurrentWidget(diffMode() == DiffMode::Unified ? static_cast<QWidget *>(m_unified) : m_sides);
}

void ChangesPane::askSavePatch()
{
    const QString name = QFileDialog::getSaveFileName(this, tr("Save as patch"), m_id + QStringLiteral(".patch"),
                                                      tr("Patches (*.patch *.diff);;All files (*)"));
    if (name.isEmpty())
        return;
    savePatch(name, [this](const QString &problem) {
        if (problem.isEmpty())
            m_banner->show(Banner::Kind::Info, tr("Saved the patch."));
        else
            m_banner->show(Banner::Kind::Error, problem);
    });
}

void ChangesPane::savePatch(const QString &fileName, std::function<void(QString)> done)
{
    m_changes->patch(m_id, this, [fileName, done](Result<QByteArray> r) {
        if (!r) {
            done(r.error().message);
            return;
        }
        QSaveFile f(fileName);
        if (!f.open(QIODevice::WriteOnly) || f.write(*r) != r->size() || !f.commit()) {
            done(tr("The patch cannot be written to %1: %2").arg(QDir::toNativeSeparators(fileName), f.errorString()));
            return;
        }
        done(QString());
    });
}

void ChangesPane::askSaveArchive()
{
    const QString name = QFileDialog::getSaveFileName(this, tr("Save as archive"), m_id + QStringLiteral(".tar"),
                                                      tr("Tar archives (*.tar *.tar.gz *.tgz);;All files (*)"));
    if (name.isEmpty())
        return;
    saveArchive(name, {});
}

void ChangesPane::saveArchive(const QString &fileName, std::function<void(QString)> done)
{
    const QString saving = tr("Saving the archive…");
    m_banner->show(Banner::Kind::Info, saving);
    m_listingFailed = false;
    m_changes->saveArchive(
        m_id, fileName, this,
        [this, saving](qint64 bytes) {
            // Only while the banner still tells of this save.
            if (m_banner->text().startsWith(saving))
                m_banner->show(Banner::Kind::Info, saving + QLatin1Char(' ') + Formatting::bytes(bytes));
        },
        [this, done](Result<qint64> r) {
            const QString problem = r ? QString() : r.error().message;
            if (problem.isEmpty())
                m_banner->show(Banner::Kind::Info, tr("Saved the archive (%1).").arg(Formatting::bytes(*r)));
            else
                m_banner->show(Banner::Kind::Error, problem);
            if (done)
                done(problem);
        });
}
