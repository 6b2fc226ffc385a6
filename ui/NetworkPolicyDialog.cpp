// SPDX-License-Identifier: GPL-3.0-or-later
#include "NetworkPolicyDialog.h"

#include "NetworkPolicyEditor.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

NetworkPolicyDialog::NetworkPolicyDialog(const QString &id, const QString &address, const NetworkPolicy &policy,
                                         QWidget *parent)
    : QDialog(parent)
    , m_id(id)
    , m_editor(new NetworkPolicyEditor(this))
    , m_errorLabel(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("Network policy"));
    setObjectName(QStringLiteral("networkPolicyDialog"));
    m_editor->setPolicy(policy);
    m_errorLabel->setObjectName(QStringLiteral("validationError"));
    m_errorLabel->setWordWrap(true);
    QPalette p = m_errorLabel->palette();
    p.setColor(QPalette::WindowText, QColor(0xb0, 0x1e, 0x1e));
    m_errorLabel->setPalette(p);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Apply"));

    auto *what = new QLabel(address.isEmpty() ? tr("The network policy of %1; new connections follow it at once.").arg(id)
                                              : tr("The network policy of %1 (address %2); new connections follow it at once.")
                                                    .arg(id, address),
                            this);
    what->setWordWrap(true);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(what);
    layout->addWidget(m_editor, 1);
    layout->addWidget(m_errorLabel);
    layout->addWidget(m_buttons);
    resize(520, 380);

    connect(m_editor, &NetworkPolicyEditor::changed, this, &NetworkPolicyDialog::validate);
    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] {
        validate();
        if (m_error.isEmpty() && !m_busy)
            Q_EMIT submitted(m_editor->policy());
    });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    validate();
}

void NetworkPolicyDialog::setBusy(bool busy)
{
    m_busy = busy;
    m_editor->setEnabled(!busy);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!busy && m_error.isEmpty());
}

void NetworkPolicyDialog::showEngineError(const QString &sentence)
{
    m_error = tr("The engine refused: %1").arg(sentence);
    showError(m_error);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(false);
}

void NetworkPolicyDialog::validate()
{
    m_error = m_editor->validationError();
    showError(m_error);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(m_error.isEmpty() && !m_busy);
}

void NetworkPolicyDialog::showError(const QString &text)
{
    m_errorLabel->setText(text);
    m_errorLabel->setVisible(!text.isEmpty());
}
