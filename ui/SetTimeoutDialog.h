// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>

class QComboBox;
class QSpinBox;

// "Kill in …": a new end time counted from now, at most 24 hours.
class SetTimeoutDialog : public QDialog
{
    Q_OBJECT
public:
    SetTimeoutDialog(const QStringList &ids, QWidget *parent = nullptr);

    qint64 seconds() const;
    void setSeconds(qint64 seconds);
    QStringList ids() const { return m_ids; }

private:
    QStringList m_ids;
    QSpinBox *m_amount;
    QComboBox *m_unit;
};
