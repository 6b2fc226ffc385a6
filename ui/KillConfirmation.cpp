// SPDX-License-Identifier: GPL-3.0-or-later
#include "KillConfirmation.h"

#include <QAbstractButton>
#include <QMessageBox>
#include <QPushButton>

void KillConfirmation::ask(QWidget *parent, const QString &objectName, const QString &title, const QString &question,
                           const QString &details, std::function<void()> kill)
{
    auto *box = new QMessageBox(QMessageBox::Warning, title, question, QMessageBox::NoButton, parent);
    box->setObjectName(objectName);
    box->setInformativeText(details);
    box->addButton(QMessageBox::Cancel);
    QPushButton *yes = box->addButton(QMessageBox::tr("Kill"), QMessageBox::DestructiveRole);
    yes->setObjectName(objectName + QStringLiteral("Button"));
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    QObject::connect(box, &QMessageBox::buttonClicked, box, [kill = std::move(kill), yes](QAbstractButton *b) {
        if (b == yes)
            kill();
    });
    box->open();
}
