// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "SubmitDialog.h"

#include <QJsonObject>

class KeyValueTable;
class NetworkPolicyEditor;
class QCheckBox;
class QComboBox;
class QLineEdit;
class QSpinBox;

// New sandbox: template (from the engine's list), time limit, metadata, environment variables and
// network policy, checked by the same rules the engine applies before
// anything is sent. Create asks (submitted()); the dialog stays open until
// the engine answers, so a refusal is shown here with the input kept.
class NewSandboxDialog : public SubmitDialog
{
    Q_OBJECT
public:
    explicit NewSandboxDialog(QWidget *parent = nullptr);

    // The request body as the engine wants it.
    QJsonObject body() const;
    // A sentence of the API's ("'envs' key 'x' is not …") in the words this
    // dialog shows ("Environment variable 'x' is not …"). Pure.
    static QString inDialogWords(const QString &apiSentence);

    // The template field: an editable list of the engine's templates.
    QLineEdit *templateEdit() const;
    QComboBox *templateBox() const { return m_template; }
    // The engines the sandbox may be made on (the row shows with two or
    // more), and the one chosen.
    void setEngines(const QStringList &names, const QString &current);
    QString engine() const;
    // The templates the engine has built, offered in the list.
    void setTemplates(const QStringList &names);
    QCheckBox *timeoutCheck() const { return m_hasTimeout; }
    QSpinBox *timeoutSpin() const { return m_timeout; }
    KeyValueTable *metadataTable() const { return m_metadata; }
    KeyValueTable *envsTable() const { return m_envs; }
    NetworkPolicyEditor *networkEditor() const { return m_network; }

Q_SIGNALS:
    // Create was pressed with a valid body.
    void submitted(const QJsonObject &body);
    // Another engine was chosen: its templates are to be offered.
    void engineChosen(const QString &name);

protected:
    void validate() override;
    void setInputsEnabled(bool enabled) override;

private:
    QComboBox *m_engine;
    QComboBox *m_template;
    QCheckBox *m_hasTimeout;
    QSpinBox *m_timeout;
    KeyValueTable *m_metadata;
    KeyValueTable *m_envs;
    NetworkPolicyEditor *m_network;
    QWidget *m_inputs; // everything above the sentence and the buttons
};
