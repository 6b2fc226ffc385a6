// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QTreeView>

#include <functional>

class QMimeData;

// The Files tab's tree: takes local files dropped on a directory row (or on
// the empty area, meaning the root) and hands them on, and drags the
// selected files out as local copies a file manager can take.
class FileTreeView : public QTreeView
{
    Q_OBJECT
public:
    // Marks data dragged out of a sandbox, so dropping it back in does not
    // upload the copies.
    static QString fromSandboxFormat() { return QStringLiteral("application/x-ai2in-from-sandbox"); }

    explicit FileTreeView(QWidget *parent = nullptr);

    // Builds what a drag out carries; nullptr: nothing to drag yet.
    void setDragSource(std::function<QMimeData *()> source) { m_dragSource = std::move(source); }

Q_SIGNALS:
    void filesDropped(const QMimeData *data, const QModelIndex &target);

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dragMoveEvent(QDragMoveEvent *event) override;
    void dropEvent(QDropEvent *event) override;
    void startDrag(Qt::DropActions supportedActions) override;

private:
    static bool accepts(const QMimeData *data);

    std::function<QMimeData *()> m_dragSource;
};
