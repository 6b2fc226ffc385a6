// SPDX-License-Identifier: GPL-3.0-or-later
#include "NetworkPolicyDialog.h"

#include "NetworkPolicyEditor.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QVBoxLayout>

NetworkPolicyDialog::NetworkPolicyDialog(const QString &id, const QString &address, const NetworkPolicy &policy,
                                         QWidget *parent)
    : SubmitDialog(tr("Apply"), parent)
    , m_id(id)
    , m_editor(new NetworkPolicyEditor(this))
{
    setWindowTitle(tr("Network policy"));
    setObjectName(QStringLiteral("networkPolicyDialog"));
    m_editor->setPolicy(policy);

    auto *what = new QLabel(address.isEmpty() ? tr("The network policy of %1; new connections follow it at once.").arg(id)
                                              : tr("The network policy of %1 (address %2); new connections follow it at once.")
                                                    .arg(id, address),
                            this);
    what->setWordWrap(true);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(what);
    layout->addWidget(m_editor, 1);
    layout->addWidget(errorLabel());
    layout->addWidget(buttons());
    resize(520, 380);

    connect(m_editor, &NetworkPolicyEditor::changed, this, &NetworkPolicyDialog::validate);
    connect(this, &SubmitDialog::submitRequested, this, [this] { Q_EMIT submitted(m_editor->policy()); });
    validate();
}

void NetworkPolicyDialog::validate()
{
    setProblem(m_editor->validationError());
}

void NetworkPolicyDialog::setInputsEnabled(bool enabled)
{
    m_editor->setEnabled(enabled);
}
