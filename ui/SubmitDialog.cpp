// SPDX-License-Identifier: GPL-3.0-or-later
#include "SubmitDialog.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QPushButton>

SubmitDialog::SubmitDialog(const QString &okText, QWidget *parent)
    : QDialog(parent)
    , m_errorLabel(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    m_errorLabel->setObjectName(QStringLiteral("validationError"));
    m_errorLabel->setWordWrap(true);
    m_errorLabel->setVisible(false);
    QPalette p = m_errorLabel->palette();
    p.setColor(QPalette::WindowText, QColor(0xb0, 0x1e, 0x1e));
    m_errorLabel->setPalette(p);
    m_buttons->button(QDialogButtonBox::Ok)->setText(okText);
    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] {
        validate();
        if (m_error.isEmpty() && !m_busy)
            Q_EMIT submitRequested();
    });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

void SubmitDialog::setBusy(bool busy)
{
    m_busy = busy;
    setInputsEnabled(!busy);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!busy && m_error.isEmpty());
}

void SubmitDialog::showEngineError(const QString &sentence)
{
    m_error = tr("The engine refused: %1").arg(sentence);
    showError(m_error);
    // OK again once something changed (validate() clears the sentence).
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(false);
}

void SubmitDialog::setProblem(const QString &sentence)
{
    m_error = sentence;
    showError(sentence);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(sentence.isEmpty() && !m_busy);
}

void SubmitDialog::showError(const QString &text)
{
    m_errorLabel->setText(text);
    m_errorLabel->setVisible(!text.isEmpty());
}
