// SPDX-License-Identifier: GPL-3.0-or-later
#include "ActivityItemDelegate.h"

#include "ActivityModel.h"

QColor ActivityItemDelegate::okColor()
{
    return QColor(0x2f, 0x9e, 0x44);
}

QColor ActivityItemDelegate::failedColor()
{
    return QColor(0xd6, 0x3a, 0x3a);
}

QColor ActivityItemDelegate::runningColor()
{
    return QColor(0x3b, 0x7d, 0xd8);
}

void ActivityItemDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    const int column = index.column();
    if (column != ActivityModel::ExitColumn && column != ActivityModel::StatusColumn)
        return;
    QColor colour;
    if (index.data(ActivityModel::RunningRole).toBool())
        colour = runningColor();
    else if (index.data(ActivityModel::FailedRole).toBool())
        colour = failedColor();
    else if (index.data(ActivityModel::ExitCodeRole).isValid() || !index.data().toString().isEmpty())
        colour = okColor();
    if (!colour.isValid())
        return;
    option->palette.setColor(QPalette::Text, colour);
    option->font.setBold(column == ActivityModel::ExitColumn);
}
