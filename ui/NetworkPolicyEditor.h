// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "NetworkPolicy.h"

#include <QWidget>

class QCheckBox;
class QLabel;
class QPlainTextEdit;

// A network policy to edit: internet access on or off, and the allow and
// deny lists, one rule per line, each checked as the engine checks it. Used
// by the New sandbox dialog and by the dialog that changes a live sandbox's
// policy.
class NetworkPolicyEditor : public QWidget
{
    Q_OBJECT
public:
    explicit NetworkPolicyEditor(QWidget *parent = nullptr);

    void setPolicy(const NetworkPolicy &policy);
    // What the boxes hold; valid only when validationError() is "".
    NetworkPolicy policy() const;
    // "" when every rule is one the engine takes, else the first problem
    // as a sentence naming its list and line.
    QString validationError() const;

    QCheckBox *internetCheck() const { return m_internet; }
    QPlainTextEdit *allowEdit() const { return m_allow; }
    QPlainTextEdit *denyEdit() const { return m_deny; }

Q_SIGNALS:
    void changed();

private:
    void updateHint();

    QCheckBox *m_internet;
    QPlainTextEdit *m_allow;
    QPlainTextEdit *m_deny;
    QLabel *m_hint;
};
