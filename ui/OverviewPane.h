// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "SandboxInfo.h"
#include "SandboxMetrics.h"

#include <QWidget>

#include <optional>

class KeyValueTable;
class QFormLayout;
class QLabel;
class QPushButton;

// The details area's first tab: every field of one sandbox, its metadata as
// a table, its end time with an "Extend…" button and its address and network
// policy with a "Change…" button.
class OverviewPane : public QWidget
{
    Q_OBJECT
public:
    explicit OverviewPane(QWidget *parent = nullptr);

    // nullptr: nothing (or several sandboxes) selected.
    void showSandbox(const SandboxInfo *info, const std::optional<SandboxMetrics> &metrics, int selectedCount);
    QString shownId() const { return m_id; }
    QString fieldText(const QString &name) const;

Q_SIGNALS:
    void extendRequested();
    void networkChangeRequested();

private:
    QLabel *addField(const QString &name, const QString &label);
    QWidget *addFieldWithButton(const QString &name, const QString &label, QPushButton *button);

    QString m_id;
    QLabel *m_empty;
    QWidget *m_details;
    QFormLayout *m_form;
    QPushButton *m_extend;
    QPushButton *m_changeNetwork;
    KeyValueTable *m_metadata;
};
