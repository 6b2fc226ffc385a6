// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "NetworkPolicy.h"
#include "SubmitDialog.h"

class NetworkPolicyEditor;

// Change the network policy of a live sandbox; Apply sends the whole policy,
// so what the dialog shows is what will be in force.
class NetworkPolicyDialog : public SubmitDialog
{
    Q_OBJECT
public:
    NetworkPolicyDialog(const QString &id, const QString &address, const NetworkPolicy &policy, QWidget *parent = nullptr);

    QString sandboxId() const { return m_id; }
    NetworkPolicyEditor *editor() const { return m_editor; }

Q_SIGNALS:
    // Apply was pressed with a valid policy: what is to be in force.
    void submitted(const NetworkPolicy &policy);

protected:
    void validate() override;
    void setInputsEnabled(bool enabled) override;

private:
    QString m_id;
    NetworkPolicyEditor *m_editor;
};
