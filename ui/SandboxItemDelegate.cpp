// SPDX-License-Identifier: GPL-3.0-or-later
#include "SandboxItemDelegate.h"

#include "SandboxModel.h"

#include <QApplication>
#include <QPainter>
#include <QPainterPath>

namespace {
constexpr int kTagPad = 5;
constexpr int kTagGap = 4;
} // namespace

void SandboxItemDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    if (!m_stale.isEmpty() && m_stale.contains(index.data(SandboxModel::EngineRole).toString()))
        option->state &= ~QStyle::State_Enabled;
}

QSize SandboxItemDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize s = QStyledItemDelegate::sizeHint(option, index);
    if (index.column() == SandboxModel::MetadataColumn) {
        const QStringList tags = index.data(SandboxModel::TagsRole).toStringList();
        int w = 0;
        for (const QString &t : tags)
            w += option.fontMetrics.horizontalAdvance(t) + 2 * kTagPad + kTagGap;
        s.setWidth(qMax(s.width(), w + 4));
    } else if (index.column() == SandboxModel::StateColumn) {
        s.setWidth(s.width() + qMin(10, s.height() - 6) + 14);
    }
    return s;
}

void SandboxItemDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const int column = index.column();
    if (column != SandboxModel::StateColumn && column != SandboxModel::MetadataColumn) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QString text = opt.text;
    opt.text.clear();
    const QWidget *widget = opt.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    const bool enabled = opt.state & QStyle::State_Enabled;
    const bool selected = opt.state & QStyle::State_Selected;
    const QPalette::ColorGroup group = enabled ? QPalette::Normal : QPalette::Disabled;
    const QColor fg = opt.palette.color(group, selected ? QPalette::HighlightedText : QPalette::Text);
    const QRect r = opt.rect.adjusted(4, 0, -2, 0);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    if (column == SandboxModel::StateColumn) {
        const QString state = index.data(SandboxModel::StateRole).toString();
        QColor dot = state == QLatin1String("paused")  ? QColor(0xe0, 0x9b, 0x1a)
                     : state == QLatin1String("error") ? QColor(0xd0, 0x30, 0x30)
                                                        : QColor(0x2e, 0xa0, 0x43);
        if (!enabled)
            dot = QColor(0x9a, 0x9a, 0x9a);
        const int d = qMin(10, r.height() - 6);
        painter->setPen(Qt::NoPen);
        painter->setBrush(dot);
        painter->drawEllipse(QRect(r.left(), r.center().y() - d / 2, d, d));
        painter->setPen(fg);
        painter->drawText(r.adjusted(d + 6, 0, 0, 0), Qt::AlignVCenter | Qt::AlignLeft, text);
    } else {
        const QStringList tags = index.data(SandboxModel::TagsRole).toStringList();
        const QFontMetrics fm = opt.fontMetrics;
        int x = r.left();
        const int h = fm.height() + 2;
        const int y = r.center().y() - h / 2;
        QColor bg = opt.palette.color(group, QPalette::Highlight);
        bg.setAlpha(selected ? 90 : 45);
        for (const QString &t : tags) {
            const int w = fm.horizontalAdvance(t) + 2 * kTagPad;
            if (x + w > r.right() && x > r.left()) {
                painter->setPen(fg);
                painter->drawText(QRect(x, y, r.right() - x, h), Qt::AlignVCenter, QStringLiteral("…"));
                break;
            }
            QPainterPath path;
            path.addRoundedRect(QRectF(x, y, w, h), 4, 4);
            painter->fillPath(path, bg);
            painter->setPen(fg);
            painter->drawText(QRect(x + kTagPad, y, w - 2 * kTagPad, h), Qt::AlignCenter, t);
            x += w + kTagGap;
        }
    }
    painter->restore();
}
