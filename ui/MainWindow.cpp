// SPDX-License-Identifier: GPL-3.0-or-later
#include "MainWindow.h"

#include "ActivityOutputView.h"
#include "Banner.h"
#include "CodePane.h"
#include "CommandLogPane.h"
#include "EngineClient.h"
#include "EngineSet.h"
#include "ChangesPane.h"
#include "CommandPalette.h"
#include "FilesPane.h"
#include "Icons.h"
#include "MetricsPane.h"
#include "OverviewPane.h"
#include "PreviewBar.h"
#include "SandboxFilterModel.h"
#include "SandboxActions.h"
#include "SandboxListView.h"
#include "SandboxModel.h"
#include "SandboxNotifier.h"
#include "SandboxPoller.h"
#include "SettingsDialog.h"
#include "ShortcutsDialog.h"
#include "TerminalStack.h"
#include "TimelinePane.h"
#include "Theme.h"
#include "TrayIcon.h"
#include "UiLogging.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDataStream>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QProgressBar>
#include <QSplitter>
#include <QStatusBar>
#include <QStyle>
#include <QTabWidget>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>

#include <memory>

MainWindow::MainWindow(EngineSet *engines, QWidget *parent)
    : QMainWindow(parent)
    , m_engines(engines)
    , m_client(engines->router())
    , m_model(engines->model())
    , m_proxy(new SandboxFilterModel(this))
    , m_notifier(new SandboxNotifier(m_model, this))
    , m_tray(new TrayIcon(this, m_notifier, this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("ai2in"));
    m_proxy->setSandboxModel(m_model);
    m_list = new SandboxListView(this);
    m_list->setObjectName(QStringLiteral("sandboxList"));
    m_list->setAccessibleName(tr("Sandboxes"));
    m_actions = new SandboxActions({this, m_engines, m_list}, this);
    buildActions();
    buildUi();
    connect(m_actions, &SandboxActions::started, m_actionBanner, &Banner::clear);
    connect(m_actions, &SandboxActions::failed, this, [this](const QString &sentences) {
        m_actionBanner->show(Banner::Kind::Error, sentences);
    });
    connect(m_actions, &SandboxActions::busyChanged, this, [this](const QString &text) {
        m_workLabel->setText(text);
        m_workBar->setVisible(!text.isEmpty());
    });
    connect(m_actions, &SandboxActions::message, this, [this](const QString &text) { statusBar()->showMessage(text, 5000); });
    connect(m_actions, &SandboxActions::finished, this, &MainWindow::actionFinished);
    // A notice the tray cannot show stays in the status bar a while.
    connect(m_tray, &TrayIcon::unshown, this, [this](const QString &sentence) { statusBar()->showMessage(sentence, 15000); });
    connect(m_tray, &TrayIcon::sandboxRequested, this, [this](const QString &id) {
        showNormal();
        raise();
        activateWindow();
        m_list->selectIds({id});
    });
    resize(1280, 720);

    connect(m_engines, &EngineSet::connectionChanged, this, &MainWindow::onConnectionChanged);
    connect(m_engines, &EngineSet::healthChanged, this, &MainWindow::updateHealth);
    connect(m_engines, &EngineSet::polled, this, &MainWindow::updateHealth);
    connect(m_engines, &EngineSet::engineAdded, this, &MainWindow::onEnginesChanged);
    connect(m_engines, &EngineSet::engineRemoved, this, &MainWindow::onEnginesChanged);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &MainWindow::scheduleDetails);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &MainWindow::scheduleDetails);
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(m_proxy, signal, this, &MainWindow::updateEmptyText);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &MainWindow::updateEmptyText);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, [this] {
        // Columns fit the first data; afterwards the user's widths stay.
        if (!m_fitted && m_model->rowCount() > 0) {
            // Columns fit the first data unless the user's widths were restored.
            m_fitted = true;
            // Room for values that grow (a countdown, CPU figures).
            for (int c = 0; c < SandboxModel::ColumnCount; ++c) {
                m_list->resizeColumnToContents(c);
                const bool grows = c == SandboxModel::TimeLeftColumn || c == SandboxModel::UptimeColumn
                    || c == SandboxModel::CpuColumn || c == SandboxModel::MemoryColumn;
                int w = m_list->columnWidth(c) + (grows ? 12 : 4);
                // Long metadata is elided here and shown whole in Overview.
                if (c == SandboxModel::MetadataColumn)
                    w = qMin(w, 150);
                m_list->setColumnWidth(c, w);
            }
        }
    });
    connect(m_list->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        updateActions();
        scheduleDetails();
    });
    connect(m_list, &QWidget::customContextMenuRequested, this, &MainWindow::showContextMenu);
    connect(m_overview, &OverviewPane::extendRequested, this, [this] {
        if (!m_overview->shownId().isEmpty())
            m_actions->openSetTimeout({m_overview->shownId()});
    });
    connect(m_overview, &OverviewPane::networkChangeRequested, this, [this] {
        if (!m_overview->shownId().isEmpty())
            m_actions->openNetworkPolicy(m_overview->shownId());
    });
    setSettings(m_settings);
    updateActions();
    onConnectionChanged();
}

MainWindow::~MainWindow() = default;

void MainWindow::buildActions()
{
    auto make = [this](const char *name, const QString &text, Icons::Name icon, const QKeySequence &key,
                       std::function<void()> slot) {
        auto *a = new QAction(Icons::get(icon), text, this);
        a->setObjectName(QLatin1String(name));
        a->setShortcut(key);
        connect(a, &QAction::triggered, this, [slot] { slot(); });
        addAction(a);
        return a;
    };
    m_refresh = make("actionRefresh", tr("Refresh"), Icons::Name::Refresh, QKeySequence::Refresh, [this] { m_engines->pollNow(); });
    m_settingsAction = make("actionSettings", tr("Settings…"), Icons::Name::Settings, QKeySequence::Preferences,
                            [this] { openSettings(); });
    make("actionPalette", tr("Command palette…"), Icons::Name::CommandPalette, QKeySequence(Qt::CTRL | Qt::Key_K),
         [this] { openCommandPalette(); });
    make("actionShortcuts", tr("Keyboard shortcuts…"), Icons::Name::KeyboardShortcuts, QKeySequence::HelpContents,
         [this] { ShortcutsDialog::openFor(this); });
}

CommandPalette *MainWindow::openCommandPalette()
{
    // Every action of the window, and a way to each tab of the workbench.
    QList<QAction *> all{m_actions->newSandbox(), m_actions->pause(),       m_actions->resume(),
                         m_actions->kill(),       m_actions->setTimeout(),  m_actions->copyId(),
                         m_actions->copySnippet(), m_actions->exportReport(), m_refresh,
                         m_settingsAction, findChild<QAction *>(QStringLiteral("actionShortcuts"))};
    QList<QAction *> tabs;
    for (int i = 0; i < m_tabs->count(); ++i) {
        auto *show = new QAction(tr("Show the %1 tab").arg(m_tabs->tabText(i)));
        connect(show, &QAction::triggered, this, [this, i] { m_tabs->setCurrentIndex(i); });
        tabs.append(show);
    }
    auto *palette = new CommandPalette(all + tabs, this);
    for (QAction *a : tabs)
        a->setParent(palette); // they go with it
    palette->setAttribute(Qt::WA_DeleteOnClose);
    palette->open();
    return palette;
}

void MainWindow::buildUi()
{
    auto *tools = addToolBar(tr("Sandboxes"));
    tools->setObjectName(QStringLiteral("mainToolBar"));
    tools->setMovable(false);
    tools->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    // The engines to watch: any number of connections at once.
    m_profiles = new QToolButton(this);
    m_profiles->setObjectName(QStringLiteral("enginesButton"));
    m_profiles->setAccessibleName(tr("Engines"));
    m_profiles->setToolTip(tr("The engines whose sandboxes the list shows"));
    m_profiles->setPopupMode(QToolButton::InstantPopup);
    m_profiles->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_profileMenu = new QMenu(m_profiles);
    m_profileMenu->setObjectName(QStringLiteral("enginesMenu"));
    m_profiles->setMenu(m_profileMenu);
    tools->addWidget(m_profiles);
    tools->addSeparator();
    tools->addAction(m_actions->newSandbox());
    tools->addAction(m_actions->pause());
    tools->addAction(m_actions->resume());
    tools->addAction(m_actions->kill());
    tools->addAction(m_actions->setTimeout());
    tools->addSeparator();
    tools->addAction(m_actions->copyId());
    tools->addAction(m_actions->copySnippet());
    tools->addSeparator();
    tools->addAction(m_refresh);
    tools->addAction(m_settingsAction);

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(6, 6, 6, 0);
    m_connectionBanner = new Banner(false, central);
    m_connectionBanner->setObjectName(QStringLiteral("connectionBanner"));
    m_actionBanner = new Banner(true, central);
    m_actionBanner->setObjectName(QStringLiteral("actionBanner"));
    layout->addWidget(m_connectionBanner);
    layout->addWidget(m_actionBanner);

    auto *filterRow = new QHBoxLayout;
    m_filter = new QLineEdit(central);
    m_filter->setObjectName(QStringLiteral("filterEdit"));
    m_filter->setAccessibleName(tr("Filter sandboxes"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setPlaceholderText(tr("Filter by id, template or metadata; key=value for an exact metadata pair"));
    m_stateFilter = new QComboBox(central);
    m_stateFilter->setObjectName(QStringLiteral("stateFilter"));
    m_stateFilter->addItem(tr("Running and paused"), int(SandboxFilterModel::StateFilter::Any));
    m_stateFilter->addItem(tr("Running"), int(SandboxFilterModel::StateFilter::Running));
    m_stateFilter->addItem(tr("Paused"), int(SandboxFilterModel::StateFilter::Paused));
    m_stateFilter->setAccessibleName(tr("Sandbox state"));
    // With two engines or more: all of them, or one.
    m_engineFilter = new QComboBox(central);
    m_engineFilter->setObjectName(QStringLiteral("engineFilter"));
    m_engineFilter->setAccessibleName(tr("Engine"));
    m_engineFilter->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_engineFilter->setVisible(false);
    connect(m_engineFilter, &QComboBox::currentIndexChanged, this, [this] {
        const QString engine = m_engineFilter->currentData().toString();
        m_proxy->setEngineFilter(engine);
        m_actions->setEngineFilter(engine);
    });
    filterRow->addWidget(m_filter, 1);
    filterRow->addWidget(m_engineFilter);
    filterRow->addWidget(m_stateFilter);
    layout->addLayout(filterRow);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &SandboxFilterModel::setFilterText);
    connect(m_stateFilter, &QComboBox::currentIndexChanged, this, [this] {
        m_proxy->setStateFilter(SandboxFilterModel::StateFilter(m_stateFilter->currentData().toInt()));
    });

    auto *split = new QSplitter(Qt::Horizontal, central);
    split->setObjectName(QStringLiteral("mainSplitter"));
    m_list->setModel(m_proxy);
    // At a glance: what a person looks at first comes first, so at the
    // default size state, id, metadata, time left, CPU and memory show
    // without scrolling; the rest follows (the model's order is unchanged).
    {
        using M = SandboxModel;
        const int order[] = {M::StateColumn,   M::IdColumn,     M::MetadataColumn, M::TimeLeftColumn,
                             M::CpuColumn,     M::MemoryColumn, M::EngineColumn,   M::UptimeColumn,
                             M::StartedColumn, M::TemplateColumn, M::PortsColumn,  M::NodeColumn};
        QHeaderView *header = m_list->header();
        for (int visual = 0; visual < int(std::size(order)); ++visual)
            header->moveSection(header->visualIndex(order[visual]), visual);
    }
    m_list->addAction(m_actions->copyId());
    m_tabs = new QTabWidget(split);
    m_tabs->setObjectName(QStringLiteral("detailsTabs"));
    m_tabs->setDocumentMode(true);
    m_overview = new OverviewPane(m_tabs);
    m_overview->setObjectName(QStringLiteral("overviewPane"));
    m_tabs->addTab(m_overview, tr("Overview"));
    // Each pane asks the engine only while it is visible.
    m_commandLog = new CommandLogPane(m_client, m_tabs);
    m_commandLog->setObjectName(QStringLiteral("commandLogPane"));
    m_tabs->addTab(m_commandLog, tr("Command log"));
    auto *timeline = new TimelinePane(m_client, m_tabs);
    timeline->setObjectName(QStringLiteral("timelinePane"));
    m_tabs->addTab(timeline, tr("Timeline"));
    // A command or cell clicked in the timeline is shown in the log.
    connect(timeline, &TimelinePane::entryActivated, this, [this](qint64 seq) {
        m_tabs->setCurrentWidget(m_commandLog);
        m_commandLog->selectSeq(seq);
    });
    m_terminals = new TerminalStack(m_tabs);
    m_terminals->setObjectName(QStringLiteral("terminalStack"));
    m_tabs->addTab(m_terminals, tr("Terminal"));
    m_files = new FilesPane(m_client, m_tabs);
    m_files->setObjectName(QStringLiteral("filesPane"));
    m_tabs->addTab(m_files, tr("Files"));
    m_changes = new ChangesPane(m_client, m_tabs);
    m_changes->setObjectName(QStringLiteral("changesPane"));
    m_tabs->addTab(m_changes, tr("Changes"));
    m_metrics = new MetricsPane(m_client, m_tabs);
    m_metrics->setObjectName(QStringLiteral("metricsPane"));
    m_tabs->addTab(m_metrics, tr("Metrics"));
    m_code = new CodePane(m_client, m_tabs);
    m_code->setObjectName(QStringLiteral("codePane"));
    m_tabs->addTab(m_code, tr("Code"));
    // A file a command touched opens in Changes with its diff.
    connect(m_commandLog->outputView(), &ActivityOutputView::touchedFileClicked, this, [this](const QString &path) {
        m_tabs->setCurrentWidget(m_changes);
        m_changes->showPath(path);
    });
    // The selected sandbox's preview buttons stay in sight over every tab.
    auto *details = new QWidget(split);
    auto *detailsLayout = new QVBoxLayout(details);
    detailsLayout->setContentsMargins(0, 0, 0, 0);
    detailsLayout->setSpacing(2);
    m_previews = new PreviewBar(details);
    m_previews->setObjectName(QStringLiteral("previewBar"));
    connect(m_previews, &PreviewBar::copied, this, [this](const QString &text) { statusBar()->showMessage(text, 5000); });
    detailsLayout->addWidget(m_previews);
    detailsLayout->addWidget(m_tabs, 1);
    split->addWidget(m_list);
    split->addWidget(details);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    // The workbench needs room for its six tabs; the list scrolls sideways.
    split->setSizes({620, 660});
    layout->addWidget(split, 1);
    setCentralWidget(central);

    m_connLabel = new QLabel(this);
    m_connLabel->setObjectName(QStringLiteral("connectionLabel"));
    m_engineLabel = new QLabel(this);
    m_engineLabel->setObjectName(QStringLiteral("engineLabel"));
    m_rttLabel = new QLabel(this);
    m_rttLabel->setObjectName(QStringLiteral("rttLabel"));
    m_workLabel = new QLabel(this);
    m_workLabel->setObjectName(QStringLiteral("workLabel"));
    m_workBar = new QProgressBar(this);
    m_workBar->setObjectName(QStringLiteral("workBar"));
    m_workBar->setRange(0, 0);
    m_workBar->setMaximumWidth(120);
    m_workBar->setVisible(false);
    statusBar()->addWidget(m_connLabel);
    statusBar()->addWidget(m_workBar);
    statusBar()->addWidget(m_workLabel, 1);
    statusBar()->addPermanentWidget(m_engineLabel);
    statusBar()->addPermanentWidget(m_rttLabel);
}

void MainWindow::setProfiles(const QStringList &names, const QStringList &watched)
{
    m_profileMenu->clear();
    for (const QString &name : names) {
        QAction *a = m_profileMenu->addAction(name);
        a->setObjectName(QStringLiteral("watch_") + name);
        a->setCheckable(true);
        a->setChecked(watched.contains(name));
        connect(a, &QAction::toggled, this, [this, name](bool on) { Q_EMIT profileWatchRequested(name, on); });
    }
    m_profileMenu->addSeparator();
    QAction *add = m_profileMenu->addAction(tr("Add remote connection…"));
    add->setObjectName(QStringLiteral("addConnection"));
    connect(add, &QAction::triggered, this, &MainWindow::addProfileRequested);
    m_profiles->setText(watched.isEmpty()      ? tr("Engines: none")
                        : watched.size() == 1 ? tr("Engine: %1").arg(watched.first())
                                              : tr("Engines: %1").arg(watched.size()));
    setWindowTitle(watched.size() == 1 ? tr("ai2in — %1").arg(watched.first()) : tr("ai2in"));
}

void MainWindow::setSettings(const DesktopSettings &settings)
{
    const bool themeChanged = settings.theme != m_settings.theme;
    m_settings = settings;
    m_engines->setInterval(settings.pollIntervalMs);
    m_actions->setConfirmKill(settings.confirmKill);
    m_commandLog->setConfirmKill(settings.confirmKill);
    m_notifier->setSettings({settings.notifyFailures, settings.notifyOomKills, settings.notifyEndMinutes});
    if (themeChanged)
        Theme::apply(settings.theme);
}

void MainWindow::showEngineProgress(const QString &text, bool isError)
{
    m_connectionBanner->show(isError ? Banner::Kind::Error : Banner::Kind::Info, text);
}

QString MainWindow::connectionMessage() const { return m_connectionBanner->text(); }
QString MainWindow::actionMessage() const { return m_actionBanner->text(); }

QString MainWindow::statusText() const
{
    // Each engine's health, when there are several, is in the engine label.
    return QStringList{m_connLabel->text(), m_engineLabel->text(), m_rttLabel->text(), m_workLabel->text()}.join(QStringLiteral(" | "));
}

QStringList MainWindow::selectedIds() const { return m_list->selectedIds(); }
void MainWindow::selectIds(const QStringList &ids) { m_list->selectIds(ids); }

int MainWindow::pendingActions() const
{
    return m_actions->pending();
}

void MainWindow::updateActions()
{
    m_actions->updateEnabled();
}

void MainWindow::scheduleDetails()
{
    if (m_detailsQueued)
        return;
    m_detailsQueued = true;
    QTimer::singleShot(0, this, [this] {
        m_detailsQueued = false;
        updateDetails();
        updateActions();
    });
}

namespace {
// The Timeline tab's pane (MainWindow keeps no member for it).
TimelinePane *timelineIn(const QTabWidget *tabs)
{
    return tabs->findChild<TimelinePane *>(QStringLiteral("timelinePane"));
}
} // namespace

void MainWindow::updateDetails()
{
    const QStringList ids = selectedIds();
    const SandboxInfo *info = ids.size() == 1 ? m_model->find(ids.first()) : nullptr;
    m_overview->showSandbox(info, info ? m_model->metricsOf(info->id) : std::nullopt, int(ids.size()));
    const QString one = info ? info->id : QString();
    const bool running = info && info->state == SandboxState::Running;
    m_commandLog->setSandbox(one);
    timelineIn(m_tabs)->setSandbox(one, running);
    m_files->setSandbox(one, running);
    m_changes->setSandbox(one, running);
    m_metrics->setSandbox(one, running);
    QStringList existing;
    for (const SandboxInfo &s : m_model->sandboxes())
        existing.append(s.id);
    m_code->keepSandboxes(existing);
    m_code->setSandbox(one, running);
    m_previews->setPorts(one, info ? info->ports : QList<SandboxPort>(), info ? info->previewToken : QString());
    m_terminals->retainOnly([this](const QString &id) { return m_model->find(id) != nullptr; });
    // A terminal holds its own engine's client (it outlives the selection).
    m_terminals->setSandbox(one.isEmpty() ? m_client : m_engines->clientOf(one), one, running);
}

void MainWindow::leaveSandbox()
{
    m_commandLog->setSandbox(QString());
    timelineIn(m_tabs)->setSandbox(QString(), false);
    m_files->setSandbox(QString(), false);
    m_changes->setSandbox(QString(), false);
    m_metrics->setSandbox(QString(), false);
    m_code->setSandbox(QString(), false);
    m_previews->setPorts(QString(), {});
}

void MainWindow::onConnectionChanged()
{
    using C = SandboxPoller::Connection;
    const QStringList names = m_engines->names();
    const bool several = names.size() > 1;
    QStringList problems;
    QStringList stale;
    bool error = false;
    int connected = 0;
    for (const QString &name : names) {
        const SandboxPoller *p = m_engines->poller(name);
        // With several engines, each sentence says which engine it is about.
        const QString who = several ? tr("%1: ").arg(name) : QString();
        const bool hasRows = m_model->rowCountOf(name) > 0;
        switch (p->connection()) {
        case C::Stopped:
        case C::Connecting:
            break;
        case C::Connected:
            ++connected;
            break;
        case C::Unreachable:
            problems.append(who + p->problem() + QLatin1Char(' ')
                            + (hasRows ? tr("The list shows the last known state; reconnecting by itself.")
                                       : tr("Reconnecting by itself.")));
            stale.append(name);
            break;
        case C::Unauthorized:
            problems.append(who + p->problem() + QLatin1Char(' ') + tr("Check the API key of this connection."));
            stale.append(name);
            error = true;
            break;
        case C::Failing:
            problems.append(who + p->problem());
            stale.append(name);
            break;
        }
    }
    if (names.isEmpty()) {
        m_connLabel->setText(tr("Not connected"));
    } else if (several) {
        m_connLabel->setText(tr("%1 of %2 engines connected").arg(connected).arg(names.size()));
    } else {
        const SandboxPoller *p = m_engines->poller(names.first());
        const QString where = m_engines->client(names.first())->baseUrl().toString();
        switch (p->connection()) {
        case C::Stopped: m_connLabel->setText(tr("Not connected")); break;
        case C::Connecting: m_connLabel->setText(tr("Connecting to %1…").arg(where)); break;
        case C::Connected: m_connLabel->setText(tr("Connected to %1").arg(where)); break;
        case C::Unreachable: m_connLabel->setText(tr("Engine unreachable")); break;
        case C::Unauthorized: m_connLabel->setText(tr("API key refused")); break;
        case C::Failing: m_connLabel->setText(tr("Engine error")); break;
        }
    }
    if (problems.isEmpty())
        m_connectionBanner->clear();
    else
        m_connectionBanner->show(error ? Banner::Kind::Error : Banner::Kind::Warning, problems.join(QLatin1Char('\n')));
    m_list->setStaleEngines(stale);
    updateHealth();
    updateEmptyText();
    updateActions();
}

void MainWindow::onEnginesChanged()
{
    const QStringList names = m_engines->names();
    const bool several = names.size() > 1;
    // The Engine column and filter matter only with two engines or more.
    if (several && m_list->isColumnHidden(SandboxModel::EngineColumn)) {
        m_list->setColumnHidden(SandboxModel::EngineColumn, false);
        m_list->resizeColumnToContents(SandboxModel::EngineColumn);
    }
    m_list->setColumnHidden(SandboxModel::EngineColumn, !several);
    const QString chosen = m_engineFilter->currentData().toString();
    {
        const QSignalBlocker quiet(m_engineFilter);
        m_engineFilter->clear();
        m_engineFilter->addItem(tr("All engines"), QString());
        for (const QString &name : names)
            m_engineFilter->addItem(name, name);
        m_engineFilter->setCurrentIndex(qMax(0, m_engineFilter->findData(chosen)));
    }
    m_engineFilter->setVisible(several);
    const QString now = m_engineFilter->currentData().toString();
    m_proxy->setEngineFilter(now);
    m_actions->setEngineFilter(now);
    onConnectionChanged();
}

void MainWindow::updateHealth()
{
    const QStringList names = m_engines->names();
    if (names.size() == 1) {
        const SandboxPoller *p = m_engines->poller(names.first());
        m_engineLabel->setText(p->engineVersion().isEmpty() ? QString()
                                                             : tr("ai2ind %1 on %2").arg(p->engineVersion(), p->nodeId()));
        m_rttLabel->setText(p->lastRoundTripMs() < 0 ? QString() : tr("last poll %1 ms").arg(p->lastRoundTripMs()));
        m_engineLabel->setToolTip({});
        return;
    }
    // One entry per engine: its name, whether it answers, and how fast.
    QStringList parts;
    QStringList details;
    for (const QString &name : names) {
        const SandboxPoller *p = m_engines->poller(name);
        const bool up = p->connection() == SandboxPoller::Connection::Connected;
        parts.append(up ? tr("%1 ● %2 ms").arg(name).arg(p->lastRoundTripMs()) : tr("%1 ○ %2").arg(name, statusWord(p->connection())));
        details.append(up ? tr("%1: ai2ind %2 on %3, at %4").arg(name, p->engineVersion(), p->nodeId(),
                                                               m_engines->client(name)->baseUrl().toString())
                          : tr("%1: %2").arg(name, p->problem().isEmpty() ? statusWord(p->connection()) : p->problem()));
    }
    m_engineLabel->setText(parts.join(QStringLiteral("   ")));
    m_engineLabel->setToolTip(details.join(QLatin1Char('\n')));
    m_rttLabel->clear();
}

QString MainWindow::statusWord(SandboxPoller::Connection c)
{
    switch (c) {
    case SandboxPoller::Connection::Stopped: return tr("not connected");
    case SandboxPoller::Connection::Connecting: return tr("connecting");
    case SandboxPoller::Connection::Connected: return tr("connected");
    case SandboxPoller::Connection::Unreachable: return tr("unreachable");
    case SandboxPoller::Connection::Unauthorized: return tr("key refused");
    case SandboxPoller::Connection::Failing: return tr("failing");
    }
    return {};
}

void MainWindow::openSettings()
{
    auto *dialog = new SettingsDialog(m_settings, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        const DesktopSettings s = dialog->settings();
        if (s == m_settings)
            return;
        setSettings(s);
        Q_EMIT settingsChanged(s);
    });
    dialog->open();
}

void MainWindow::showContextMenu(const QPoint &pos)
{
    if (!m_menu) {
        m_menu = new QMenu(this);
        m_menu->setObjectName(QStringLiteral("sandboxMenu"));
        m_menu->addAction(m_actions->pause());
        m_menu->addAction(m_actions->resume());
        m_menu->addAction(m_actions->setTimeout());
        m_menu->addAction(m_actions->kill());
        m_menu->addSeparator();
        m_menu->addAction(m_actions->copyId());
        m_menu->addAction(m_actions->copySnippet());
        m_menu->addAction(m_actions->exportReport());
        m_menu->addSeparator();
        m_menu->addAction(m_actions->newSandbox());
    }
    // popup(), not exec(): no nested event loop.
    m_menu->popup(m_list->viewport()->mapToGlobal(pos));
}

void MainWindow::updateEmptyText()
{
    QString text;
    if (m_engines->anyConnected()) {
        text = m_model->rowCount() == 0 ? tr("No sandboxes yet. Create one with New sandbox, or from code:\n"
                                              "from ai2in import Sandbox; sandbox = Sandbox()")
                                        : tr("No sandbox matches the filter.");
    }
    m_list->setEmptyText(text);
}

QByteArray MainWindow::saveLayout() const
{
    QByteArray out;
    QDataStream ds(&out, QIODevice::WriteOnly);
    ds << quint32(1) << saveGeometry() << saveState() << findChild<QSplitter *>(QStringLiteral("mainSplitter"))->saveState()
       << m_list->header()->saveState();
    return out;
}

bool MainWindow::restoreLayout(const QByteArray &saved)
{
    QDataStream ds(saved);
    quint32 version = 0;
    QByteArray geometry, state, split, header;
    ds >> version >> geometry >> state >> split >> header;
    if (ds.status() != QDataStream::Ok || version != 1)
        return false;
    restoreGeometry(geometry);
    restoreState(state);
    findChild<QSplitter *>(QStringLiteral("mainSplitter"))->restoreState(split);
    if (m_list->header()->restoreState(header))
        m_fitted = true;
    return true;
}
