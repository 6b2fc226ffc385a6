// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStyledItemDelegate>

// The command log's cells: exit codes and statuses green when all went well,
// red when not, blue while running. (The model stays free of colours: it
// links no GUI module.)
class ActivityItemDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    static QColor okColor();
    static QColor failedColor();
    static QColor runningColor();

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;
};
