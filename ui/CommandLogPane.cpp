// SPDX-License-Identifier: GPL-3.0-or-later
#include "CommandLogPane.h"


#include "ActivityExport.h"
#include "ActivityFilterModel.h"
#include "ActivityItemDelegate.h"
#include "ActivityModel.h"
#include "ActivityOutputView.h"
#include "ActivityPoller.h"
#include "CommandKills.h"
#include "EngineClient.h"
#include "Formatting.h"
#include "KillConfirmation.h"

#include <QAction>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QLoggingCategory>
#include <QPushButton>
#include <QScrollBar>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

Q_LOGGING_CATEGORY(lcUiCommandLog, "ai2in.ui.commandlog", QtInfoMsg)

CommandLogPane::CommandLogPane(EngineClient *client, QWidget *parent)
    : QWidget(parent)
    , m_client(client)
    , m_model(new ActivityModel(this))
    , m_filter(new ActivityFilterModel(this))
    , m_poller(new ActivityPoller(client, m_model, this))
    , m_kills(new CommandKills(client, this))
{
    m_filter->setSourceModel(m_model);
    buildUi();

    connect(m_poller, &ActivityPoller::stateChanged, this, [this](ActivityPoller::State state, const QString &problem) {
        m_problem->setText(problem);
        m_problem->setVisible(!problem.isEmpty());
        if (state == ActivityPoller::State::Gone)
            qCInfo(lcUiCommandLog) << m_id << "is gone";
        updateEnabled();
    });
    // An entry asked for by selectSeq() before it was read: once it is in
    // (and through the filter), it is selected.
    connect(m_model, &QAbstractItemModel::rowsInserted, this, [this] {
        if (m_wantedSeq && m_model->rowOfSeq(m_wantedSeq) >= 0)
            QTimer::singleShot(0, this, [this] {
                if (m_wantedSeq)
                    selectSeq(m_wantedSeq);
            });
    });
    connect(m_filter, &QAbstractItemModel::rowsInserted, this, [this] {
        if (follow())
            QTimer::singleShot(0, this, &CommandLogPane::scrollToNewest);
    });
    connect(m_model, &QAbstractItemModel::dataChanged, this, &CommandLogPane::refreshShownIfChanged);
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] { m_output->clear(); });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &CommandLogPane::showCurrent);
    // A command's end arrives as a change of its row: Kill follows it.
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &CommandLogPane::updateKillEnabled);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &CommandLogPane::updateKillEnabled);
    connect(m_model, &QAbstractItemModel::modelReset, this, &CommandLogPane::updateKillEnabled);
    connect(m_kills, &CommandKills::pendingChanged, this, &CommandLogPane::updateKillEnabled);
    connect(m_kills, &CommandKills::finished, this,
            [this](const QString &sandboxId, const QString &, bool ok, const QString &sentence) {
                if (sandboxId != m_id)
                    return;
                setStatus(sentence, !ok);
                // The row says "killed" at the next read: ask for it now.
                m_poller->pollNow();
            });
    connect(m_output, &ActivityOutputView::killRequested, this, &CommandLogPane::killShown);
    updateEnabled();
}

void CommandLogPane::buildUi()
{
    m_search = new QLineEdit(this);
    m_search->setObjectName(QStringLiteral("activitySearch"));
    m_search->setAccessibleName(tr("Search commands and output"));
    m_search->setPlaceholderText(tr("Search commands and output"));
    m_search->setClearButtonEnabled(true);
    connect(m_search, &QLineEdit::textChanged, m_filter, &ActivityFilterModel::setSearch);

    m_kind = new QComboBox(this);
    m_kind->setObjectName(QStringLiteral("activityKind"));
    m_kind->addItem(tr("All kinds"), QString());
    const QList<QPair<ActivityEntry::Kind, QString>> kinds{{ActivityEntry::Kind::Command, tr("Commands")},
                                                          {ActivityEntry::Kind::Code, tr("Code cells")},
                                                          {ActivityEntry::Kind::File, tr("Files")},
                                                          {ActivityEntry::Kind::Pty, tr("Terminals")},
                                                          {ActivityEntry::Kind::Lifecycle, tr("Lifecycle")}};
    for (const auto &k : kinds)
        m_kind->addItem(k.second, ActivityEntry::kindName(k.first));
    connect(m_kind, &QComboBox::currentIndexChanged, this, [this] {
        m_filter->setKind(ActivityEntry::kindFromName(m_kind->currentData().toString()));
    });

    m_follow = new QToolButton(this);
    m_follow->setObjectName(QStringLiteral("activityFollow"));
    m_follow->setText(tr("Follow"));
    m_follow->setCheckable(true);
    m_follow->setChecked(true);
    m_follow->setToolTip(tr("Keep the newest entry in view"));
    connect(m_follow, &QToolButton::toggled, this, [this](bool on) {
        if (on)
            scrollToNewest();
    });

    m_copy = new QToolButton(this);
    m_copy->setObjectName(QStringLiteral("activityCopy"));
    m_copy->setText(tr("Copy"));
    m_copy->setToolTip(tr("Copy the selected entries with their output"));
    connect(m_copy, &QToolButton::clicked, this, [this] { copySelection(); });

    m_export = new QToolButton(this);
    m_export->setObjectName(QStringLiteral("activityExport"));
    m_export->setText(tr("Export…"));
    m_export->setToolTip(tr("Save the entries shown to a file (text, or JSON lines for .jsonl)"));
    connect(m_export, &QToolButton::clicked, this, &CommandLogPane::exportWithDialog);

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 0, 0);
    bar->addWidget(m_search, 1);
    bar->addWidget(m_kind);
    bar->addWidget(m_follow);
    bar->addWidget(m_copy);
    bar->addWidget(m_export);

    m_problem = new QLabel(this);
    m_problem->setObjectName(QStringLiteral("activityProblem"));
    m_problem->setWordWrap(true);
    m_problem->setVisible(false);

    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("activityTable"));
    m_table->setAccessibleName(tr("Command log"));
    m_table->setModel(m_filter);
    m_table->setItemDelegate(new ActivityItemDelegate(m_table));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setWordWrap(false);
    m_table->setShowGrid(false);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setHighlightSections(false);
    // Widths from what each column holds ("12:00:00", "lifecycle",
    // "killed: out of memory"), the command narrower, so that at the default
    // window size Status is whole and Output (the last, stretched) in sight.
    const QFontMetrics fm = m_table->fontMetrics();
    const int pad = fm.horizontalAdvance(QStringLiteral("MM"));
    m_table->setColumnWidth(ActivityModel::TimeColumn, fm.horizontalAdvance(QStringLiteral("00:00:00")) + pad);
    m_table->setColumnWidth(ActivityModel::KindColumn, fm.horizontalAdvance(QStringLiteral("lifecycle")) + pad);
    m_table->setColumnWidth(ActivityModel::CommandColumn, fm.horizontalAdvance(QLatin1Char('M')) * 14);
    m_table->setColumnWidth(ActivityModel::ExitColumn, fm.horizontalAdvance(QStringLiteral("Exit")) + pad);
    m_table->setColumnWidth(ActivityModel::DurationColumn, fm.horizontalAdvance(QStringLiteral("12.3 s")) + pad);
    m_table->setColumnWidth(ActivityModel::StatusColumn, fm.horizontalAdvance(QStringLiteral("killed (signal 9)")) + pad);
    auto *copyAction = new QAction(tr("Copy"), m_table);
    copyAction->setShortcut(QKeySequence::Copy);
    copyAction->setShortcutContext(Qt::WidgetShortcut);
    connect(copyAction, &QAction::triggered, this, [this] { copySelection(); });
    m_table->addAction(copyAction);
    m_killAction = new QAction(tr("Kill…"), m_table);
    m_killAction->setObjectName(QStringLiteral("activityKill"));
    m_killAction->setShortcut(QKeySequence::Delete);
    m_killAction->setShortcutContext(Qt::WidgetShortcut);
    m_killAction->setToolTip(tr("End the selected running commands and every process they started"));
    connect(m_killAction, &QAction::triggered, this, &CommandLogPane::killSelected);
    m_table->addAction(m_killAction);
    m_killLeftoversAction = new QAction(tr("Kill what it left running…"), m_table);
    m_killLeftoversAction->setObjectName(QStringLiteral("activityKillLeftovers"));
    m_killLeftoversAction->setToolTip(tr("The command ended; end whatever it started that still runs"));
    connect(m_killLeftoversAction, &QAction::triggered, this, &CommandLogPane::killLeftoversOfSelected);
    m_table->addAction(m_killLeftoversAction);
    m_table->setContextMenuPolicy(Qt::ActionsContextMenu);
    // The window's Delete kills the selected sandbox; in the log it must
    // never: the table takes the key itself (see eventFilter).
    m_table->installEventFilter(this);
    // Scrolling away from the newest entry stops following; back at the
    // bottom it follows again.
    QScrollBar *scroll = m_table->verticalScrollBar();
    connect(scroll, &QScrollBar::actionTriggered, this, [this, scroll] {
        QTimer::singleShot(0, this, [this, scroll] { m_follow->setChecked(scroll->value() >= scroll->maximum()); });
    });

    m_output = new ActivityOutputView(this);
    m_output->setObjectName(QStringLiteral("activityOutputView"));

    auto *split = new QSplitter(Qt::Vertical, this);
    split->setObjectName(QStringLiteral("activitySplitter"));
    split->addWidget(m_table);
    split->addWidget(m_output);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);

    m_runField = new QLineEdit(this);
    m_runField->setObjectName(QStringLiteral("activityRunField"));
    m_runField->setAccessibleName(tr("Command to run in the sandbox"));
    m_runField->setPlaceholderText(tr("Run a command in the sandbox (bash -c)…"));
    connect(m_runField, &QLineEdit::returnPressed, this, &CommandLogPane::runFromField);
    m_background = new QCheckBox(tr("In the background"), this);
    m_background->setObjectName(QStringLiteral("activityBackground"));
    m_background->setToolTip(tr("Start it and come back at once; its output appears in the log as it runs"));
    m_run = new QPushButton(tr("Run"), this);
    m_run->setObjectName(QStringLiteral("activityRun"));
    connect(m_run, &QPushButton::clicked, this, &CommandLogPane::runFromField);
    auto *runRow = new QHBoxLayout;
    runRow->setContentsMargins(0, 0, 0, 0);
    runRow->addWidget(m_runField, 1);
    runRow->addWidget(m_background);
    runRow->addWidget(m_run);

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("activityStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_problem);
    layout->addWidget(split, 1);
    layout->addLayout(runRow);
    layout->addWidget(m_status);
}

bool CommandLogPane::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_table && (event->type() == QEvent::ShortcutOverride || event->type() == QEvent::KeyPress)) {
        auto *key = static_cast<QKeyEvent *>(event);
        if (key->matches(QKeySequence::Delete)) {
            // Accepting the override keeps every shortcut away (the
            // sandbox's Kill, and our action's own, which would be
            // ambiguous with it); the key press then comes here.
            event->accept();
            if (event->type() == QEvent::KeyPress && m_killAction->isEnabled())
                killSelected();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void CommandLogPane::setSandbox(const QString &id)
{
    if (id == m_id)
        return;
    m_id = id;
    m_wantedSeq = 0;
    m_kills->forget();
    m_output->clear();
    m_status->clear();
    m_problem->clear();
    m_problem->setVisible(false);
    if (id.isEmpty() || !isVisible())
        m_poller->setSandbox(QString());
    startReading();
    updateEnabled();
}

void CommandLogPane::startReading()
{
    if (!m_id.isEmpty() && isVisible())
        m_poller->setSandbox(m_id);
}

void CommandLogPane::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    startReading();
}

void CommandLogPane::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    if (m_poller->state() != ActivityPoller::State::Gone)
        m_poller->stop();
}

void CommandLogPane::selectSeq(qint64 seq)
{
    const int row = m_model->rowOfSeq(seq);
    if (row < 0) {
        m_wantedSeq = seq;
        m_poller->pollNow();
        return;
    }
    m_wantedSeq = 0;
    QModelIndex shown = m_filter->mapFromSource(m_model->index(row, 0));
    if (!shown.isValid()) {
        m_search->clear();
        m_kind->setCurrentIndex(0);
        shown = m_filter->mapFromSource(m_model->index(row, 0));
    }
    if (!shown.isValid())
        return;
    setFollow(shown.row() == m_filter->rowCount() - 1);
    m_table->selectionModel()->setCurrentIndex(shown, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_table->scrollTo(shown, QAbstractItemView::PositionAtCenter);
}

void CommandLogPane::setPollInterval(int ms)
{
    m_poller->setInterval(ms);
}

void CommandLogPane::setKindFilter(std::optional<ActivityEntry::Kind> kind)
{
    const int i = m_kind->findData(kind ? ActivityEntry::kindName(*kind) : QString());
    m_kind->setCurrentIndex(qMax(0, i));
}

void CommandLogPane::setSearchText(const QString &text)
{
    m_search->setText(text);
}

void CommandLogPane::setFollow(bool on)
{
    m_follow->setChecked(on);
}

bool CommandLogPane::follow() const
{
    return m_follow->isChecked();
}

void CommandLogPane::scrollToNewest()
{
    if (follow())
        m_table->scrollToBottom();
}

void CommandLogPane::showCurrent()
{
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    const int row = m_model->rowOfSeq(current.data(ActivityModel::SeqRole).toLongLong());
    if (const ActivityEntry *e = current.isValid() ? m_model->entryAt(row) : nullptr)
        m_output->showEntry(*e);
    else
        m_output->clear();
    updateKillEnabled();
}

void CommandLogPane::refreshShownIfChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight)
{
    const auto seq = m_output->shownSeq();
    if (!seq)
        return;
    const int row = m_model->rowOfSeq(*seq);
    if (row >= topLeft.row() && row <= bottomRight.row())
        m_output->showEntry(*m_model->entryAt(row));
}

QList<ActivityEntry> CommandLogPane::shownEntries() const
{
    QList<ActivityEntry> out;
    out.reserve(m_filter->rowCount());
    for (int r = 0; r < m_filter->rowCount(); ++r) {
        const int row = m_model->rowOfSeq(m_filter->index(r, 0).data(ActivityModel::SeqRole).toLongLong());
        if (const ActivityEntry *e = m_model->entryAt(row))
            out.append(*e);
    }
    return out;
}

QList<ActivityEntry> CommandLogPane::selectedEntries() const
{
    QList<int> rows;
    const QModelIndexList selected = m_table->selectionModel()->selectedRows();
    for (const QModelIndex &i : selected)
        rows.append(m_model->rowOfSeq(i.data(ActivityModel::SeqRole).toLongLong()));
    std::sort(rows.begin(), rows.end());
    QList<ActivityEntry> out;
    for (int row : std::as_const(rows)) {
        if (const ActivityEntry *e = m_model->entryAt(row))
            out.append(*e);
    }
    return out;
}

QString CommandLogPane::copySelection()
{
    const QList<ActivityEntry> entries = selectedEntries();
    if (entries.isEmpty())
        return {};
    const QString text = QString::fromUtf8(ActivityExport::toText(entries));
    if (QClipboard *clipboard = QGuiApplication::clipboard())
        clipboard->setText(text);
    setStatus(entries.size() == 1 ? tr("Copied one entry.") : tr("Copied %1 entries.").arg(entries.size()), false);
    return text;
}

Status CommandLogPane::exportTo(const QString &path) const
{
    return ActivityExport::write(path, shownEntries());
}

void CommandLogPane::exportWithDialog()
{
    const QString suggested = QDir::home().filePath(QStringLiteral("%1-activity.txt").arg(m_id.isEmpty() ? QStringLiteral("sandbox") : m_id));
    const QString path = QFileDialog::getSaveFileName(this, tr("Export the command log"), suggested,
                                                      tr("Text (*.txt *.log);;JSON lines (*.jsonl);;All files (*)"));
    if (path.isEmpty())
        return;
    const Status s = exportTo(path);
    if (!s)
        setStatus(s.error().message, true);
    else
        setStatus(tr("Saved %1 entries to %2.").arg(m_filter->rowCount()).arg(QDir::toNativeSeparators(path)), false);
}

void CommandLogPane::runFromField()
{
    const QString cmd = m_runField->text();
    if (cmd.trimmed().isEmpty() || m_id.isEmpty())
        return;
    m_runField->clear();
    runCommand(cmd, m_background->isChecked());
}

void CommandLogPane::runCommand(const QString &cmd, bool background)
{
    if (m_id.isEmpty() || cmd.trimmed().isEmpty())
        return;
    const QString id = m_id;
    const QString shown = Formatting::shortCommand(cmd);
    ++m_runsInFlight;
    setStatus(background ? tr("Starting “%1”…").arg(shown) : tr("Running “%1”…").arg(shown), false);
    m_client->runCommand(id, cmd, background, this,
                         [this, id, shown, background](Result<EngineClient::CommandReply> r) {
                             --m_runsInFlight;
                             QString sentence;
                             if (!r) {
                                 sentence = tr("“%1” did not run: %2").arg(shown, r.error().message);
                             } else if (background) {
                                 sentence = tr("“%1” runs in the background as %2.").arg(shown, r->commandId);
                             } else {
                                 sentence = r->error.isEmpty()
                                     ? tr("“%1” exited with %2.").arg(shown).arg(r->exitCode.value_or(-1))
                                     : tr("“%1” was %2 (exit code %3).").arg(shown, r->error).arg(r->exitCode.value_or(-1));
                             }
                             if (id == m_id) {
                                 setStatus(sentence, !r || (r->exitCode && *r->exitCode != 0));
                                 // The entry is in the log now: no need to wait a period.
                                 m_poller->pollNow();
                             }
                             Q_EMIT runFinished(r.ok(), sentence);
                         });
}

void CommandLogPane::setStatus(const QString &text, bool problem)
{
    m_status->setText(text);
    m_status->setProperty("problem", problem);
    m_status->setStyleSheet(problem ? QStringLiteral("color: %1").arg(ActivityItemDelegate::failedColor().name())
                                    : QString());
}

QString CommandLogPane::statusText() const
{
    return m_status->text();
}

void CommandLogPane::updateEnabled()
{
    const bool canRun = !m_id.isEmpty() && m_poller->state() != ActivityPoller::State::Gone;
    m_runField->setEnabled(canRun);
    m_run->setEnabled(canRun);
    m_background->setEnabled(canRun);
    updateKillEnabled();
}

const ActivityEntry *CommandLogPane::shownEntry() const
{
    const auto seq = m_output->shownSeq();
    return seq ? m_model->entryAt(m_model->rowOfSeq(*seq)) : nullptr;
}

QList<ActivityEntry> CommandLogPane::selectedKillable(bool leftovers) const
{
    QList<ActivityEntry> out;
    for (const ActivityEntry &e : selectedEntries()) {
        if (leftovers ? m_kills->canKillLeftovers(e) : m_kills->canKill(e))
            out.append(e);
    }
    return out;
}

void CommandLogPane::updateKillEnabled()
{
    const bool live = !m_id.isEmpty() && m_poller->state() != ActivityPoller::State::Gone;
    m_killAction->setEnabled(live && !selectedKillable(false).isEmpty());
    // Offered only where it applies: most ended commands left nothing.
    const bool leftovers = !selectedKillable(true).isEmpty();
    m_killLeftoversAction->setVisible(leftovers);
    m_killLeftoversAction->setEnabled(live && leftovers);
    const ActivityEntry *shown = shownEntry();
    m_output->setKillEnabled(live && shown && m_kills->canKill(*shown));
}

void CommandLogPane::killSelected()
{
    confirmAndKill(selectedKillable(false), false);
}

void CommandLogPane::killLeftoversOfSelected()
{
    confirmAndKill(selectedKillable(true), true);
}

void CommandLogPane::killShown()
{
    const ActivityEntry *shown = shownEntry();
    if (shown && m_kills->canKill(*shown))
        confirmAndKill({*shown}, false);
}

void CommandLogPane::confirmAndKill(const QList<ActivityEntry> &entries, bool leftovers)
{
    if (entries.isEmpty() || m_id.isEmpty() || m_poller->state() == ActivityPoller::State::Gone)
        return;
    const QString id = m_id;
    auto kill = [this, id, entries] {
        // The answer to a dialog may come after the pane moved on.
        if (id != m_id)
            return;
        setStatus(entries.size() == 1 ? tr("Killing “%1”…").arg(Formatting::shortCommand(entries.first().cmd))
                                      : tr("Killing %1 commands…").arg(entries.size()),
                  false);
        for (const ActivityEntry &e : entries)
            m_kills->kill(id, e);
    };
    if (!m_confirmKill) {
        kill();
        return;
    }
    const QString first = Formatting::shortCommand(entries.first().cmd);
    QString what;
    if (leftovers)
        what = entries.size() == 1 ? tr("Kill what “%1” left running?").arg(first)
                                   : tr("Kill what %1 ended commands left running?").arg(entries.size());
    else
        what = entries.size() == 1 ? tr("Kill “%1”?").arg(first) : tr("Kill %1 running commands?").arg(entries.size());
    KillConfirmation::ask(this, QStringLiteral("commandKillConfirm"), tr("Kill commands"), what,
                          leftovers ? tr("Every process it started that still runs gets SIGTERM, then SIGKILL if "
                                         "still there 2 s later, also processes in groups of their own.")
                                    : tr("The command and every process it started get SIGTERM, then SIGKILL if "
                                         "still there 2 s later, also processes in groups of their own. This "
                                         "cannot be undone."),
                          kill);
}
