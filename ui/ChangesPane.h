// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ChangeEntry.h"

#include <QWidget>

#include <optional>

class Banner;
class ChangeTreeModel;
class ChangesClient;
class EngineClient;
class LivePoll;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSortFilterProxyModel;
class QStackedWidget;
class QTableWidget;
class QTreeView;

// The Changes tab: every path the sandbox added, modified or deleted
// relative to its template, as a tree with A/M/D marks and sizes, a filter,
// and the selected file's diff — unified or side by side; a binary file as
// its size and hash before and after. "Save as patch…" writes every text
// change as one unified diff, "Save as archive…" the added and modified
// files themselves as a tar. It follows the agent live: while the pane is
// visible and the sandbox runs, the listing is read again every two seconds
// and the tree changes row by row.
class ChangesPane : public QWidget
{
    Q_OBJECT
public:
    enum class DiffMode { Unified, SideBySide };

    explicit ChangesPane(EngineClient *client, QWidget *parent = nullptr);

    // The sandbox to show ("" for none) and whether it runs.
    void setSandbox(const QString &id, bool running);
    QString sandbox() const { return m_id; }
    void setPollInterval(int ms);
    void setDiffMode(DiffMode mode);
    DiffMode diffMode() const;

    ChangeTreeModel *model() const { return m_model; }
    QTreeView *tree() const { return m_tree; }
    QLineEdit *filter() const { return m_filter; }
    QPlainTextEdit *unifiedView() const { return m_unified; }
    QTableWidget *sideBySideView() const { return m_sides; }
    QLabel *summary() const { return m_summary; }
    QString shownPath() const { return m_shownPath; }
    // Shows the diff of `path` (as a click on its row does). A path the
    // tree does not hold yet is looked for again in the next listing; if it
    // is not there either, the diff's title says so.
    void showPath(const QString &path);
    // Writes the whole patch to `fileName`; `done` gets "" or a sentence.
    void savePatch(const QString &fileName, std::function<void(QString)> done);
    // Writes the tar of the changes to `fileName` (gzipped for .tar.gz and
    // .tgz) as it arrives, its progress and end in the pane's banner;
    // `done` (if any) gets "" or a sentence, and a failure leaves no file.
    void saveArchive(const QString &fileName, std::function<void(QString)> done);

Q_SIGNALS:
    // Each answer to a listing applied to the tree.
    void refreshed();
    // The diff of shownPath() is on screen.
    void diffShown();

protected:
    void showEvent(QShowEvent *e) override;
    void hideEvent(QHideEvent *e) override;

private:
    void refresh();
    void updatePolling();
    void showDiff(const ChangeDiff &d);
    void askSavePatch();
    void askSaveArchive();

    EngineClient *m_client;
    ChangesClient *m_changes;
    ChangeTreeModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QString m_id;
    bool m_running = false;
    QString m_pendingPath; // asked for before a listing had it
    bool m_inFlight = false;
    bool m_listingFailed = false; // the banner's error is the listing's
    QString m_shownPath;
    std::optional<ChangeEntry> m_shownChange; // as it was when its diff was asked for
    LivePoll *m_poll;
    Banner *m_banner;
    QLineEdit *m_filter;
    QLabel *m_summary;
    QComboBox *m_mode;
    QPushButton *m_savePatch;
    QPushButton *m_saveArchive;
    QTreeView *m_tree;
    QLabel *m_diffTitle;
    QStackedWidget *m_diffStack;
    QPlainTextEdit *m_unified;
    QTableWidget *m_sides;
    QLabel *m_binary;
};
