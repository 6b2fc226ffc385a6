// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>
#include <QJsonObject>

class KeyValueTable;
class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QSpinBox;

// New sandbox: template, time limit, metadata and environment variables,
// checked by the same rules the engine applies before anything is sent.
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
    QDialogButtonBox *buttons() const { return m_buttons; }

private:
    void validate();

    QLineEdit *m_template;
    QCheckBox *m_hasTimeout;
    QSpinBox *m_timeout;
    KeyValueTable *m_metadata;
    KeyValueTable *m_envs;
    QLabel *m_errorLabel;
    QDialogButtonBox *m_buttons;
    QString m_error;
};
