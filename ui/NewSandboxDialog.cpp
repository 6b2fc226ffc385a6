// SPDX-License-Identifier: GPL-3.0-or-later
#include "NewSandboxDialog.h"

#include "CreateSandboxRequest.h"
#include "KeyValueTable.h"
#include "Limits.h"
#include "NetworkPolicyEditor.h"
#include "NetworkPolicyForm.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

NewSandboxDialog::NewSandboxDialog(QWidget *parent)
    : QDialog(parent)
    , m_template(new QLineEdit(QStringLiteral("base"), this))
    , m_hasTimeout(new QCheckBox(tr("Kill after"), this))
    , m_timeout(new QSpinBox(this))
    , m_metadata(new KeyValueTable(true, tr("Key"), this))
    , m_envs(new KeyValueTable(true, tr("Name"), this))
    , m_network(new NetworkPolicyEditor(this))
    , m_errorLabel(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("New sandbox"));
    setObjectName(QStringLiteral("newSandboxDialog"));
    m_template->setObjectName(QStringLiteral("templateEdit"));
    m_timeout->setRange(1, int(Limits::kMaxTimeoutSeconds));
    m_timeout->setValue(3600);
    m_timeout->setSuffix(tr(" s"));
    m_timeout->setEnabled(false);
    m_errorLabel->setObjectName(QStringLiteral("validationError"));
    m_errorLabel->setWordWrap(true);
    QPalette p = m_errorLabel->palette();
    p.setColor(QPalette::WindowText, QColor(0xb0, 0x1e, 0x1e));
    m_errorLabel->setPalette(p);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Create"));

    auto *timeoutRow = new QHBoxLayout;
    timeoutRow->addWidget(m_hasTimeout);
    timeoutRow->addWidget(m_timeout, 1);
    auto *form = new QFormLayout;
    form->addRow(tr("Template"), m_template);
    form->addRow(tr("Time limit"), timeoutRow);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(new QLabel(tr("Metadata (at most %1 bytes as JSON)").arg(Limits::kMaxMetadataBytes), this));
    layout->addWidget(m_metadata, 1);
    layout->addWidget(new QLabel(tr("Environment variables"), this));
    layout->addWidget(m_envs, 1);
    auto *network = new QGroupBox(tr("Network"), this);
    network->setObjectName(QStringLiteral("networkGroup"));
    auto *networkLayout = new QVBoxLayout(network);
    networkLayout->addWidget(m_network);
    layout->addWidget(network, 1);
    layout->addWidget(m_errorLabel);
    layout->addWidget(m_buttons);
    resize(520, 700);

    connect(m_hasTimeout, &QCheckBox::toggled, m_timeout, &QSpinBox::setEnabled);
    connect(m_hasTimeout, &QCheckBox::toggled, this, &NewSandboxDialog::validate);
    connect(m_timeout, &QSpinBox::valueChanged, this, &NewSandboxDialog::validate);
    connect(m_template, &QLineEdit::textChanged, this, &NewSandboxDialog::validate);
    connect(m_metadata, &KeyValueTable::changed, this, &NewSandboxDialog::validate);
    connect(m_envs, &KeyValueTable::changed, this, &NewSandboxDialog::validate);
    connect(m_network, &NetworkPolicyEditor::changed, this, &NewSandboxDialog::validate);
    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] {
        validate();
        if (m_error.isEmpty() && !m_busy)
            Q_EMIT submitted(body());
    });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    validate();
}

QJsonObject NewSandboxDialog::body() const
{
    QJsonObject o;
    o.insert(QStringLiteral("template"), m_template->text().trimmed());
    if (m_hasTimeout->isChecked())
        o.insert(QStringLiteral("timeout"), m_timeout->value());
    const StringMap md = m_metadata->pairs();
    if (!md.isEmpty())
        o.insert(QStringLiteral("metadata"), stringMapToJson(md));
    const StringMap envs = m_envs->pairs();
    if (!envs.isEmpty())
        o.insert(QStringLiteral("envs"), stringMapToJson(envs));
    const QJsonObject network = NetworkPolicyForm::requestFields(m_network->policy(), false);
    for (auto it = network.begin(); it != network.end(); ++it)
        o.insert(it.key(), it.value());
    return o;
}

void NewSandboxDialog::setBusy(bool busy)
{
    m_busy = busy;
    for (QWidget *w : findChildren<QWidget *>(Qt::FindDirectChildrenOnly)) {
        if (w != m_buttons && w != m_errorLabel)
            w->setEnabled(!busy);
    }
    m_timeout->setEnabled(!busy && m_hasTimeout->isChecked());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!busy && m_error.isEmpty());
}

void NewSandboxDialog::showEngineError(const QString &sentence)
{
    m_error = tr("The engine refused: %1").arg(sentence);
    showError(m_error);
    // Create again once something changed (validate() clears the sentence).
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(false);
}

void NewSandboxDialog::showError(const QString &text)
{
    m_errorLabel->setText(text);
    m_errorLabel->setVisible(!text.isEmpty());
}

void NewSandboxDialog::validate()
{
    QString error;
    if (m_template->text().trimmed().isEmpty())
        error = tr("Name a template (the engine's default is 'base').");
    else if (const QString dup = m_metadata->duplicateKey(); !dup.isEmpty())
        error = tr("The metadata key '%1' appears twice.").arg(dup);
    else if (const QString dupEnv = m_envs->duplicateKey(); !dupEnv.isEmpty())
        error = tr("The variable '%1' appears twice.").arg(dupEnv);
    else if (const QString rules = m_network->validationError(); !rules.isEmpty())
        error = rules;
    else if (const auto parsed = CreateSandboxRequest::parse(QJsonDocument(body()).toJson(QJsonDocument::Compact)); !parsed)
        error = parsed.error().message;
    m_error = error;
    showError(error);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(error.isEmpty() && !m_busy);
}
