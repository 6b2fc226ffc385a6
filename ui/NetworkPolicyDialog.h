// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "NetworkPolicy.h"

#include <QDialog>

class NetworkPolicyEditor;
class QDialogButtonBox;
class QLabel;

// Change the network policy of a live sandbox. Apply asks (submitted()); the
// dialog stays open until the engine answers, so a refusal is shown here
// with the rules kept.
class NetworkPolicyDialog : public QDialog
{
    Q_OBJECT
public:
    NetworkPolicyDialog(const QString &id, const QString &address, const NetworkPolicy &policy, QWidget *parent = nullptr);

    QString sandboxId() const { return m_id; }
    NetworkPolicyEditor *editor() const { return m_editor; }
    QDialogButtonBox *buttons() const { return m_buttons; }
    // "" when the rules are valid and the engine has not refused them.
    QString errorText() const { return m_error; }

    void setBusy(bool busy);
    void showEngineError(const QString &sentence);

Q_SIGNALS:
    // Apply was pressed with a valid policy: what is to be in force.
    void submitted(const NetworkPolicy &policy);

private:
    void validate();
    void showError(const QString &text);

    QString m_id;
    NetworkPolicyEditor *m_editor;
    QLabel *m_errorLabel;
    QDialogButtonBox *m_buttons;
    QString m_error;
    bool m_busy = false;
};
