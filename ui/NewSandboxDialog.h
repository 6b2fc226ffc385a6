// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>
#include <QJsonObject>

class KeyValueTable;
class NetworkPolicyEditor;
class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QSpinBox;

// New sandbox: template, time limit, metadata, environment variables and
// network policy, checked by the same rules the engine applies before
// anything is sent. Create asks (submitted()); the dialog stays open until
// the engine answers, so a refusal is shown here with the input kept.
class NewSandboxDialog : public QDialog
{
    Q_OBJECT
public:
    explicit NewSandboxDialog(QWidget *parent = nullptr);

    // The request body as the engine wants it.
    QJsonObject body() const;
    // "" when the request is valid, else why not, as a sentence.
    QString validationError() const { return m_error; }

    QLineEdit *templateEdit() const { return m_template; }
    QCheckBox *timeoutCheck() const { return m_hasTimeout; }
    QSpinBox *timeoutSpin() const { return m_timeout; }
    KeyValueTable *metadataTable() const { return m_metadata; }
    KeyValueTable *envsTable() const { return m_envs; }
    NetworkPolicyEditor *networkEditor() const { return m_network; }
    QDialogButtonBox *buttons() const { return m_buttons; }

    // While the engine creates: the inputs and Create are disabled.
    void setBusy(bool busy);
    // The engine refused: its sentence, shown until the input changes.
    void showEngineError(const QString &sentence);

Q_SIGNALS:
    // Create was pressed with a valid body.
    void submitted(const QJsonObject &body);

private:
    void validate();
    void showError(const QString &text);

    QLineEdit *m_template;
    QCheckBox *m_hasTimeout;
    QSpinBox *m_timeout;
    KeyValueTable *m_metadata;
    KeyValueTable *m_envs;
    NetworkPolicyEditor *m_network;
    QLabel *m_errorLabel;
    QDialogButtonBox *m_buttons;
    QString m_error;
    bool m_busy = false;
};
