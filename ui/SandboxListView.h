// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QTreeView>

class SandboxItemDelegate;

// The sandbox table: sortable, multi-selection, a context menu request.
class SandboxListView : public QTreeView
{
    Q_OBJECT
public:
    explicit SandboxListView(QWidget *parent = nullptr);

    QStringList selectedIds() const;
    void selectIds(const QStringList &ids);
    // The rows of these engines show their last known state, greyed.
    void setStaleEngines(const QStringList &engines);
    bool isStale(const QString &engine) const;
    // Some rows are stale.
    bool isStale() const;
    // Shown in the empty list ("" for nothing).
    void setEmptyText(const QString &text);

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    SandboxItemDelegate *m_delegate;
    QString m_emptyText;
};
