// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <functional>

class QWidget;

// The question asked before a kill (of sandboxes, of commands): a warning
// box, window-modal but not blocking, whose default is Cancel and whose
// "Kill" button is marked destructive; `kill` runs only when it is pressed.
// The box is named `objectName`, its Kill button `objectName` + "Button".
namespace KillConfirmation {

void ask(QWidget *parent, const QString &objectName, const QString &title, const QString &question,
         const QString &details, std::function<void()> kill);

} // namespace KillConfirmation
