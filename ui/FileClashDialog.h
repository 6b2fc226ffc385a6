// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "UploadQueue.h"

#include <QDialog>

class QCheckBox;

// Asks what to do with a file whose name is taken in the sandbox: replace
// it, skip it, or keep both (the upload takes a free name, "name (1).ext");
// optionally for every clash of the queue.
class FileClashDialog : public QDialog
{
    Q_OBJECT
public:
    FileClashDialog(const QString &remotePath, QWidget *parent = nullptr);

    QCheckBox *applyToAllBox() const { return m_all; }

Q_SIGNALS:
    void chosen(UploadQueue::Clash choice, bool applyToAll);

private:
    QCheckBox *m_all;
};
