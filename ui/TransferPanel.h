// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QWidget>

class QLabel;
class QProgressBar;
class QPushButton;
class QTreeWidget;
class QTreeWidgetItem;
class UploadQueue;

// The uploads of the Files tab: one row per file or folder with its progress
// and what happened to it, a cancel button per row, the overall progress,
// Cancel all and Clear finished. Hidden while there is nothing to show.
class TransferPanel : public QWidget
{
    Q_OBJECT
public:
    explicit TransferPanel(UploadQueue *queue, QWidget *parent = nullptr);

    QTreeWidget *list() const { return m_list; }
    QProgressBar *overall() const { return m_overall; }
    // The row's text: name, state sentence.
    QString rowText(int jobId) const;

private:
    void addRow(int id);
    void updateRow(int id);
    void rebuild();
    void updateOverall();

    UploadQueue *m_queue;
    QTreeWidget *m_list;
    QProgressBar *m_overall;
    QLabel *m_summary;
    QPushButton *m_cancelAll;
    QPushButton *m_clear;
    QHash<int, QTreeWidgetItem *> m_rows;
};
