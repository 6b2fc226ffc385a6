// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ActivityEntry.h"
#include "Result.h"

#include <QWidget>

#include <optional>

class ActivityFilterModel;
class ActivityModel;
class ActivityOutputView;
class ActivityPoller;
class CommandKills;
class EngineClient;
class QAction;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;
class QToolButton;

// A sandbox's activity log, live: every command, code cell, file change,
// terminal and lifecycle event, whoever caused it (the app, an agent through
// the SDK, the CLI). A table above (time, kind, command, exit code in green
// or red, duration, status, the latest output line), the selected entry's
// whole output below with its ANSI colours. Search, a kind filter, follow
// (stick to the newest entry), copy and export; a field at the bottom runs a
// command in the sandbox, blocking or in the background. A running command
// can be killed (its row's context menu, the Delete key, or the Kill button
// above its output): the engine ends it and every process it started. One
// that ended by itself may have left processes running (background jobs, a
// fork bomb whose first shell returned at once): its context menu kills
// those.
//
// The log is read only while the pane is visible; hiding it (another tab)
// pauses the reads and showing it again carries on where it stopped.
class CommandLogPane : public QWidget
{
    Q_OBJECT
public:
    explicit CommandLogPane(EngineClient *client, QWidget *parent = nullptr);

    // The sandbox to follow; "" shows nothing. Another id clears the log.
    void setSandbox(const QString &id);
    QString sandbox() const { return m_id; }

    void setKindFilter(std::optional<ActivityEntry::Kind> kind);
    void setSearchText(const QString &text);
    void setFollow(bool on);
    bool follow() const;
    // Copies the selected entries (as in the text export) to the clipboard;
    // returns what was copied.
    QString copySelection();
    // Writes the entries the table shows (filters applied): JSON lines for
    // ".jsonl"/".json", text otherwise.
    Status exportTo(const QString &path) const;
    // Runs `cmd` in the sandbox as the run field does.
    void runCommand(const QString &cmd, bool background);
    void setPollInterval(int ms);
    // Whether Kill asks first (the app's "Ask before killing" setting).
    void setConfirmKill(bool confirm) { m_confirmKill = confirm; }
    // Selects the entry of `seq` and scrolls to it (clearing a search or
    // kind filter that hides it); an entry not read yet is selected when it
    // arrives. Follow stops unless it is the newest entry.
    void selectSeq(qint64 seq);
    // Kills the selected running commands (the table's Kill), or the one
    // whose output is shown (the button above it), asking first if set to.
    void killSelected();
    void killShown();
    // Kills what the selected ended commands left running.
    void killLeftoversOfSelected();

    ActivityModel *model() const { return m_model; }
    ActivityFilterModel *filterModel() const { return m_filter; }
    ActivityPoller *poller() const { return m_poller; }
    CommandKills *kills() const { return m_kills; }
    // The table's Kill (context menu, Delete); enabled while a selected
    // command runs and no kill of it is in flight.
    QAction *killAction() const { return m_killAction; }
    QAction *killLeftoversAction() const { return m_killLeftoversAction; }
    QTableView *table() const { return m_table; }
    ActivityOutputView *outputView() const { return m_output; }
    QLineEdit *runField() const { return m_runField; }
    QCheckBox *backgroundBox() const { return m_background; }
    // The sentence under the log: the last run's result or a problem.
    QString statusText() const;
    // Entries shown in the table, oldest first.
    QList<ActivityEntry> shownEntries() const;

Q_SIGNALS:
    // A run from the field came back (blocking: ended; background: started).
    void runFinished(bool ok, const QString &sentence);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void buildUi();
    void startReading();
    void showCurrent();
    void refreshShownIfChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight);
    void scrollToNewest();
    void exportWithDialog();
    void runFromField();
    void setStatus(const QString &text, bool problem);
    void updateEnabled();
    void updateKillEnabled();
    void confirmAndKill(const QList<ActivityEntry> &entries, bool leftovers);
    QList<ActivityEntry> selectedEntries() const;
    QList<ActivityEntry> selectedKillable(bool leftovers) const;
    const ActivityEntry *shownEntry() const;

    EngineClient *m_client;
    ActivityModel *m_model;
    ActivityFilterModel *m_filter;
    ActivityPoller *m_poller;
    CommandKills *m_kills;
    QString m_id;
    int m_runsInFlight = 0;
    qint64 m_wantedSeq = 0; // selectSeq() of an entry not read yet
    bool m_confirmKill = true;

    QLineEdit *m_search = nullptr;
    QComboBox *m_kind = nullptr;
    QToolButton *m_follow = nullptr;
    QToolButton *m_copy = nullptr;
    QToolButton *m_export = nullptr;
    QAction *m_killAction = nullptr;
    QAction *m_killLeftoversAction = nullptr;
    QLabel *m_problem = nullptr;
    QTableView *m_table = nullptr;
    ActivityOutputView *m_output = nullptr;
    QLineEdit *m_runField = nullptr;
    QCheckBox *m_background = nullptr;
    QPushButton *m_run = nullptr;
    QLabel *m_status = nullptr;
};
