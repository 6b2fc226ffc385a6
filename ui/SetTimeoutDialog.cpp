// SPDX-License-Identifier: GPL-3.0-or-later
#include "SetTimeoutDialog.h"

#include "Limits.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSpinBox>
#include <QVBoxLayout>

SetTimeoutDialog::SetTimeoutDialog(const QStringList &ids, QWidget *parent)
    : QDialog(parent)
    , m_ids(ids)
    , m_amount(new QSpinBox(this))
    , m_unit(new QComboBox(this))
{
    setWindowTitle(tr("Set timeout"));
    setObjectName(QStringLiteral("setTimeoutDialog"));
    m_amount->setObjectName(QStringLiteral("timeoutAmount"));
    m_unit->setObjectName(QStringLiteral("timeoutUnit"));
    m_unit->addItem(tr("seconds"), 1);
    m_unit->addItem(tr("minutes"), 60);
    m_unit->addItem(tr("hours"), 3600);
    m_amount->setRange(1, int(Limits::kMaxTimeoutSeconds));
    m_unit->setCurrentIndex(1);
    m_amount->setValue(30);
    auto updateRange = [this] {
        m_amount->setMaximum(int(Limits::kMaxTimeoutSeconds / m_unit->currentData().toInt()));
    };
    connect(m_unit, &QComboBox::currentIndexChanged, this, updateRange);
    updateRange();

    auto *row = new QHBoxLayout;
    row->addWidget(new QLabel(tr("Kill in"), this));
    row->addWidget(m_amount, 1);
    row->addWidget(m_unit);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    auto *what = new QLabel(ids.size() == 1 ? tr("New end time of %1, counted from now (at most 24 hours).").arg(ids.first())
                                            : tr("New end time of %n sandboxes, counted from now (at most 24 hours).", nullptr, int(ids.size())),
                            this);
    what->setWordWrap(true);
    layout->addWidget(what);
    layout->addLayout(row);
    layout->addWidget(buttons);
}

qint64 SetTimeoutDialog::seconds() const
{
    return qMin<qint64>(qint64(m_amount->value()) * m_unit->currentData().toInt(), Limits::kMaxTimeoutSeconds);
}

void SetTimeoutDialog::setSeconds(qint64 seconds)
{
    m_unit->setCurrentIndex(0);
    m_amount->setValue(int(seconds));
}
