// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "DesktopSettings.h"
#include "Result.h"
#include "SandboxPoller.h"

#include <QMainWindow>
#include <QPointer>
#include <QUrl>


class Banner;
class SandboxNotifier;
class TrayIcon;
class CodePane;
class CommandLogPane;
class EngineClient;
class EngineSet;
class FilesPane;
class ChangesPane;
class CommandPalette;
class MetricsPane;
class OverviewPane;
class PreviewBar;
class QComboBox;
class QToolButton;
class QLabel;
class QLineEdit;
class QMenu;
class QProgressBar;
class QTabWidget;
class SandboxFilterModel;
class SandboxListView;
class SandboxModel;
class SandboxActions;
class TerminalStack;

// The sandbox list of every watched engine with its filter bar, the details
// tabs beside it, and every lifecycle action (toolbar, context menu,
// shortcuts) on one or many selected sandboxes. It learns about the engines
// only through model/: an EngineSet made by its owner (app/Application).
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(EngineSet *engines, QWidget *parent = nullptr);
    ~MainWindow() override;

    // The connections the user has (each may be watched or not), for the
    // Engines menu.
    void setProfiles(const QStringList &names, const QStringList &watched);
    void setSettings(const DesktopSettings &settings);
    DesktopSettings settings() const { return m_settings; }
    // A line of what the app is doing before there is an engine to poll
    // (starting the local engine, building its first template).
    void showEngineProgress(const QString &text, bool isError = false);

    EngineSet *engines() const { return m_engines; }
    // The workbench's client: it reaches the engine of any sandbox.
    EngineClient *client() const { return m_client; }
    SandboxModel *model() const { return m_model; }
    SandboxFilterModel *proxy() const { return m_proxy; }
    SandboxNotifier *notifier() const { return m_notifier; }
    TrayIcon *tray() const { return m_tray; }
    SandboxListView *listView() const { return m_list; }
    OverviewPane *overview() const { return m_overview; }
    QTabWidget *detailsTabs() const { return m_tabs; }
    CommandLogPane *commandLog() const { return m_commandLog; }
    TerminalStack *terminals() const { return m_terminals; }
    FilesPane *files() const { return m_files; }
    MetricsPane *metricsPane() const { return m_metrics; }
    ChangesPane *changesPane() const { return m_changes; }
    // Ctrl+K: every action and tab in one searchable list (it deletes itself on close).
    CommandPalette *openCommandPalette();
    CodePane *code() const { return m_code; }
    PreviewBar *previews() const { return m_previews; }
    QString connectionMessage() const;
    QString actionMessage() const;
    QString statusText() const;
    int pendingActions() const;
    SandboxActions *actions() const { return m_actions; }
    void selectIds(const QStringList &ids);
    // Window geometry, toolbar, splitter and list columns, as saveLayout()
    // gave them; false when `saved` is not usable (the defaults stay).
    bool restoreLayout(const QByteArray &saved);
    QByteArray saveLayout() const;
    QStringList selectedIds() const;

Q_SIGNALS:
    // The user ticked (or unticked) a connection in the Engines menu.
    void profileWatchRequested(const QString &name, bool watch);
    void addProfileRequested();
    void settingsChanged(const DesktopSettings &settings);
    // Every action of a batch has answered (errors, if any, are shown).
    void actionFinished();

private:
    void buildActions();
    void buildUi();
    void updateActions();
    void scheduleDetails();
    void updateDetails();
    // Every pane lets go of its sandbox (a disconnect or another engine).
    void leaveSandbox();
    void onConnectionChanged();
    void onEnginesChanged();
    void updateHealth();
    static QString statusWord(SandboxPoller::Connection c);
    void updateEmptyText();
    void openSettings();
    void showContextMenu(const QPoint &pos);

    EngineSet *m_engines;
    EngineClient *m_client;
    SandboxModel *m_model;
    SandboxFilterModel *m_proxy;
    SandboxNotifier *m_notifier;
    TrayIcon *m_tray;
    SandboxActions *m_actions = nullptr;
    DesktopSettings m_settings;

    Banner *m_connectionBanner = nullptr;
    Banner *m_actionBanner = nullptr;
    SandboxListView *m_list = nullptr;
    QTabWidget *m_tabs = nullptr;
    OverviewPane *m_overview = nullptr;
    CommandLogPane *m_commandLog = nullptr;
    TerminalStack *m_terminals = nullptr;
    FilesPane *m_files = nullptr;
    MetricsPane *m_metrics = nullptr;
    ChangesPane *m_changes = nullptr;
    CodePane *m_code = nullptr;
    PreviewBar *m_previews = nullptr;
    QLineEdit *m_filter = nullptr;
    QComboBox *m_stateFilter = nullptr;
    QComboBox *m_engineFilter = nullptr;
    QToolButton *m_profiles = nullptr;
    QMenu *m_profileMenu = nullptr;
    QLabel *m_connLabel = nullptr;
    QLabel *m_engineLabel = nullptr;
    QLabel *m_rttLabel = nullptr;
    QLabel *m_workLabel = nullptr;
    QProgressBar *m_workBar = nullptr;
    QMenu *m_menu = nullptr;
    bool m_detailsQueued = false;
    bool m_fitted = false;
    QAction *m_refresh = nullptr;
    QAction *m_settingsAction = nullptr;
};
