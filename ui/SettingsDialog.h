// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "DesktopSettings.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QSpinBox;

class SettingsDialog : public QDialog
{
    Q_OBJECT
public:
    explicit SettingsDialog(const DesktopSettings &current, QWidget *parent = nullptr);

    DesktopSettings settings() const;

private:
    QSpinBox *m_poll;
    QCheckBox *m_confirmKill;
    QComboBox *m_theme;
    QCheckBox *m_notifyFailures;
    QCheckBox *m_notifyOomKills;
    QSpinBox *m_notifyEnd;
};
