// SPDX-License-Identifier: GPL-3.0-or-later
#include "FileClashDialog.h"

#include "FileNames.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

FileClashDialog::FileClashDialog(const QString &remotePath, QWidget *parent)
    : QDialog(parent)
    , m_all(new QCheckBox(tr("Do this for every name that is taken"), this))
{
    setObjectName(QStringLiteral("fileClashDialog"));
    setWindowTitle(tr("The name is taken"));
    auto *text = new QLabel(tr("%1 exists already in %2.")
                                .arg(FileNames::baseName(remotePath), FileNames::parentOf(remotePath)), this);
    text->setWordWrap(true);
    m_all->setObjectName(QStringLiteral("clashApplyToAll"));

    auto *buttons = new QDialogButtonBox(this);
    auto add = [this, buttons](const QString &label, const QString &name, UploadQueue::Clash choice) {
        QPushButton *b = buttons->addButton(label, QDialogButtonBox::AcceptRole);
        b->setObjectName(name);
        connect(b, &QPushButton::clicked, this, [this, choice] {
            Q_EMIT chosen(choice, m_all->isChecked());
            accept();
        });
    };
    add(tr("Replace"), QStringLiteral("clashReplace"), UploadQueue::Clash::Replace);
    add(tr("Keep both"), QStringLiteral("clashRename"), UploadQueue::Clash::Rename);
    add(tr("Skip"), QStringLiteral("clashSkip"), UploadQueue::Clash::Skip);
    // Closing the dialog is a skip: the queue must not wait forever.
    connect(this, &QDialog::rejected, this, [this] { Q_EMIT chosen(UploadQueue::Clash::Skip, false); });

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(text);
    layout->addWidget(m_all);
    layout->addWidget(buttons);
}
