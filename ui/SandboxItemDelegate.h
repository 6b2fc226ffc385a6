// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStyledItemDelegate>

// Paints the state as a coloured dot with its name and metadata as tags;
// the rows of an engine that went away greyed (they show its last known state).
class SandboxItemDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    // The engines whose rows are stale.
    void setStaleEngines(const QStringList &engines) { m_stale = engines; }
    const QStringList &staleEngines() const { return m_stale; }

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;

private:
    QStringList m_stale;
};
