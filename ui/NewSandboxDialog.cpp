// SPDX-License-Identifier: GPL-3.0-or-later
#include "NewSandboxDialog.h"

#include "CreateSandboxRequest.h"
#include "KeyValueTable.h"
#include "Limits.h"
#include "NetworkPolicyEditor.h"
#include "NetworkPolicyForm.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpression>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

NewSandboxDialog::NewSandboxDialog(QWidget *parent)
    : SubmitDialog(tr("Create"), parent)
    , m_inputs(new QWidget(this))
{
    setWindowTitle(tr("New sandbox"));
    setObjectName(QStringLiteral("newSandboxDialog"));
    m_template = new QComboBox(m_inputs);
    m_template->setEditable(true);
    m_template->setInsertPolicy(QComboBox::NoInsert);
    m_template->setEditText(QStringLiteral("base"));
    m_template->setAccessibleName(tr("Template"));
    m_hasTimeout = new QCheckBox(tr("Kill after"), m_inputs);
    m_timeout = new QSpinBox(m_inputs);
    m_metadata = new KeyValueTable(true, tr("Key"), m_inputs);
    m_envs = new KeyValueTable(true, tr("Name"), m_inputs);
    m_metadata->table()->setAccessibleName(tr("Metadata"));
    m_envs->table()->setAccessibleName(tr("Environment variables"));
    m_network = new NetworkPolicyEditor(m_inputs);
    m_template->setObjectName(QStringLiteral("templateEdit"));
    m_timeout->setRange(1, int(Limits::kMaxTimeoutSeconds));
    m_timeout->setValue(3600);
    m_timeout->setSuffix(tr(" s"));
    m_timeout->setEnabled(false);

    auto *timeoutRow = new QHBoxLayout;
    timeoutRow->addWidget(m_hasTimeout);
    timeoutRow->addWidget(m_timeout, 1);
    m_engine = new QComboBox(m_inputs);
    m_engine->setObjectName(QStringLiteral("engineChoice"));
    m_engine->setAccessibleName(tr("Engine"));
    connect(m_engine, &QComboBox::currentTextChanged, this, &NewSandboxDialog::engineChosen);
    auto *form = new QFormLayout;
    form->addRow(tr("Engine"), m_engine);
    form->addRow(tr("Template"), m_template);
    form->addRow(tr("Time limit"), timeoutRow);
    auto *inputs = new QVBoxLayout(m_inputs);
    inputs->setContentsMargins(0, 0, 0, 0);
    inputs->addLayout(form);
    inputs->addWidget(new QLabel(tr("Metadata (at most %1 bytes as JSON)").arg(Limits::kMaxMetadataBytes), m_inputs));
    inputs->addWidget(m_metadata, 1);
    inputs->addWidget(new QLabel(tr("Environment variables"), m_inputs));
    inputs->addWidget(m_envs, 1);
    auto *network = new QGroupBox(tr("Network"), m_inputs);
    network->setObjectName(QStringLiteral("networkGroup"));
    auto *networkLayout = new QVBoxLayout(network);
    networkLayout->addWidget(m_network);
    inputs->addWidget(network, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_inputs, 1);
    layout->addWidget(errorLabel());
    layout->addWidget(buttons());
    resize(520, 700);

    connect(m_hasTimeout, &QCheckBox::toggled, m_timeout, &QSpinBox::setEnabled);
    connect(m_hasTimeout, &QCheckBox::toggled, this, &NewSandboxDialog::validate);
    connect(m_timeout, &QSpinBox::valueChanged, this, &NewSandboxDialog::validate);
    connect(m_template, &QComboBox::editTextChanged, this, &NewSandboxDialog::validate);
    connect(m_metadata, &KeyValueTable::changed, this, &NewSandboxDialog::validate);
    connect(m_envs, &KeyValueTable::changed, this, &NewSandboxDialog::validate);
    connect(m_network, &NetworkPolicyEditor::changed, this, &NewSandboxDialog::validate);
    connect(this, &SubmitDialog::submitRequested, this, [this] { Q_EMIT submitted(body()); });
    validate();
}

QJsonObject NewSandboxDialog::body() const
{
    QJsonObject o;
    o.insert(QStringLiteral("template"), m_template->currentText().trimmed());
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

QLineEdit *NewSandboxDialog::templateEdit() const
{
    return m_template->lineEdit();
}

void NewSandboxDialog::setEngines(const QStringList &names, const QString &current)
{
    {
        const QSignalBlocker quiet(m_engine);
        m_engine->clear();
        m_engine->addItems(names);
        m_engine->setCurrentIndex(qMax(0, int(names.indexOf(current))));
    }
    // With one engine there is nothing to choose.
    auto *form = m_inputs->findChild<QFormLayout *>();
    form->setRowVisible(m_engine, names.size() > 1);
}

QString NewSandboxDialog::engine() const
{
    return m_engine->currentText();
}

void NewSandboxDialog::setTemplates(const QStringList &names)
{
    // What was typed stays: the engine has the last word (a template may
    // be built or removed meanwhile).
    const QString typed = m_template->currentText();
    m_template->clear();
    m_template->addItems(names);
    m_template->setEditText(typed);
}

void NewSandboxDialog::setInputsEnabled(bool enabled)
{
    // The timeout box stays as its check box says.
    m_inputs->setEnabled(enabled);
}

void NewSandboxDialog::validate()
{
    QString error;
    const QString name = m_template->currentText().trimmed();
    if (name.isEmpty())
        error = tr("Name a template (the engine's default is 'base').");
    else if (const QString dup = m_metadata->duplicateKey(); !dup.isEmpty())
        error = tr("The metadata key '%1' appears twice.").arg(dup);
    else if (const QString dupEnv = m_envs->duplicateKey(); !dupEnv.isEmpty())
        error = tr("The variable '%1' appears twice.").arg(dupEnv);
    else if (const QString rules = m_network->validationError(); !rules.isEmpty())
        error = rules;
    else if (const auto parsed = CreateSandboxRequest::parse(QJsonDocument(body()).toJson(QJsonDocument::Compact)); !parsed)
        error = inDialogWords(parsed.error().message);
    setProblem(error);
}

QString NewSandboxDialog::inDialogWords(const QString &apiSentence)
{
    // The API names its fields; the dialog labels them. Longest first, so
    // "'envs' key" goes before "'envs'".
    static const QList<std::pair<QRegularExpression, QString>> words = {
        {QRegularExpression(QStringLiteral("'envs' key '([^']*)'")), tr("The environment variable name '\\1'")},
        {QRegularExpression(QStringLiteral("'envs\\.([^']*)'")), tr("The environment variable '\\1'")},
        {QRegularExpression(QStringLiteral("'envs'")), tr("Environment variables")},
        {QRegularExpression(QStringLiteral("'metadata'")), tr("Metadata")},
        {QRegularExpression(QStringLiteral("'template'")), tr("Template")},
        {QRegularExpression(QStringLiteral("'timeout'")), tr("Time limit")},
        {QRegularExpression(QStringLiteral("'network'")), tr("Network")},
    };
    QString out = apiSentence;
    for (const auto &[pattern, label] : words)
        out.replace(pattern, label);
    return out;
}
