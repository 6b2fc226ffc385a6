// SPDX-License-Identifier: GPL-3.0-or-later
#include "FileTreeView.h"

#include <QDrag>
#include <QDragEnterEvent>
#include <QMimeData>

FileTreeView::FileTreeView(QWidget *parent)
    : QTreeView(parent)
{
    setAcceptDrops(true);
    setDragEnabled(true);
    setDropIndicatorShown(true);
    setDragDropMode(QAbstractItemView::DragDrop);
    setDefaultDropAction(Qt::CopyAction);
}

bool FileTreeView::accepts(const QMimeData *data)
{
    if (!data || !data->hasUrls() || data->hasFormat(fromSandboxFormat()))
        return false;
    const QList<QUrl> urls = data->urls();
    return std::any_of(urls.cbegin(), urls.cend(), [](const QUrl &u) { return u.isLocalFile(); });
}

void FileTreeView::dragEnterEvent(QDragEnterEvent *event)
{
    if (accepts(event->mimeData())) {
        event->setDropAction(Qt::CopyAction);
        event->accept();
    } else {
        event->ignore();
    }
}

void FileTreeView::dragMoveEvent(QDragMoveEvent *event)
{
    if (!accepts(event->mimeData())) {
        event->ignore();
        return;
    }
    event->setDropAction(Qt::CopyAction);
    event->accept();
}

void FileTreeView::dropEvent(QDropEvent *event)
{
    if (!accepts(event->mimeData())) {
        event->ignore();
        return;
    }
    event->setDropAction(Qt::CopyAction);
    event->accept();
    Q_EMIT filesDropped(event->mimeData(), indexAt(event->position().toPoint()).siblingAtColumn(0));
}

void FileTreeView::startDrag(Qt::DropActions)
{
    QMimeData *data = m_dragSource ? m_dragSource() : nullptr;
    if (!data)
        return;
    auto *drag = new QDrag(this);
    drag->setMimeData(data);
    drag->exec(Qt::CopyAction);
}
