// SPDX-License-Identifier: GPL-3.0-or-later
#include "SettingsDialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QSpinBox>
#include <QVBoxLayout>

SettingsDialog::SettingsDialog(const DesktopSettings &current, QWidget *parent)
    : QDialog(parent)
    , m_poll(new QSpinBox(this))
    , m_confirmKill(new QCheckBox(tr("Ask before killing sandboxes and commands"), this))
    , m_theme(new QComboBox(this))
{
    setWindowTitle(tr("Settings"));
    setObjectName(QStringLiteral("settingsDialog"));
    m_poll->setObjectName(QStringLiteral("pollInterval"));
    m_poll->setRange(500, 60000);
    m_poll->setSingleStep(500);
    m_poll->setSuffix(tr(" ms"));
    m_poll->setValue(current.pollIntervalMs);
    m_confirmKill->setObjectName(QStringLiteral("confirmKill"));
    m_confirmKill->setChecked(current.confirmKill);
    m_theme->setObjectName(QStringLiteral("theme"));
    m_theme->addItem(tr("Follow the system"), QStringLiteral("system"));
    m_theme->addItem(tr("Light"), QStringLiteral("light"));
    m_theme->addItem(tr("Dark"), QStringLiteral("dark"));
    m_theme->setCurrentIndex(qMax(0, m_theme->findData(current.theme)));

    auto *form = new QFormLayout;
    form->addRow(tr("Refresh the list every"), m_poll);
    form->addRow(QString(), m_confirmKill);
    form->addRow(tr("Theme"), m_theme);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);
}

DesktopSettings SettingsDialog::settings() const
{
    DesktopSettings s;
    s.pollIntervalMs = m_poll->value();
    s.confirmKill = m_confirmKill->isChecked();
    s.theme = m_theme->currentData().toString();
    return s;
}
