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
    , m_notifyFailures(new QCheckBox(tr("A sandbox fails"), this))
    , m_notifyOomKills(new QCheckBox(tr("The OOM killer ends a process in a sandbox"), this))
    , m_notifyEnd(new QSpinBox(this))
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
    m_notifyFailures->setObjectName(QStringLiteral("notifyFailures"));
    m_notifyFailures->setChecked(current.notifyFailures);
    m_notifyOomKills->setObjectName(QStringLiteral("notifyOomKills"));
    m_notifyOomKills->setChecked(current.notifyOomKills);
    m_notifyEnd->setObjectName(QStringLiteral("notifyEndMinutes"));
    m_notifyEnd->setAccessibleName(tr("Warn this many minutes before a sandbox's end"));
    m_notifyEnd->setRange(0, 120);
    m_notifyEnd->setSuffix(tr(" min before its end"));
    m_notifyEnd->setSpecialValueText(tr("Never"));
    m_notifyEnd->setValue(current.notifyEndMinutes);

    auto *form = new QFormLayout;
    form->addRow(tr("Refresh the list every"), m_poll);
    form->addRow(QString(), m_confirmKill);
    form->addRow(tr("Theme"), m_theme);
    form->addRow(tr("Tell me when"), m_notifyFailures);
    form->addRow(QString(), m_notifyOomKills);
    form->addRow(tr("Warn"), m_notifyEnd);
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
    s.notifyFailures = m_notifyFailures->isChecked();
    s.notifyOomKills = m_notifyOomKills->isChecked();
    s.notifyEndMinutes = m_notifyEnd->value();
    return s;
}
