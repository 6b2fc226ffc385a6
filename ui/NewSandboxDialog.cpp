// SPDX-License-Identifier: GPL-3.0-or-later
#include "NewSandboxDialog.h"

#include "CreateSandboxRequest.h"
#include "KeyValueTable.h"
#include "Limits.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
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
    layout->addWidget(m_errorLabel);
    layout->addWidget(m_buttons);
    resize(460, 520);

    connect(m_hasTimeout, &QCheckBox::toggled, m_timeout, &QSpinBox::setEnabled);
    connect(m_hasTimeout, &QCheckBox::toggled, this, &NewSandboxDialog::validate);
    connect(m_timeout, &QSpinBox::valueChanged, this, &NewSandboxDialog::validate);
    connect(m_template, &QLineEdit::textChanged, this, &NewSandboxDialog::validate);
    connect(m_metadata, &KeyValueTable::changed, this, &NewSandboxDialog::validate);
    connect(m_envs, &KeyValueTable::changed, this, &NewSandboxDialog::validate);
    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] {
        validate();
        if (m_error.isEmpty())
            accept();
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
    return o;
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
    else if (const auto parsed = CreateSandboxRequest::parse(QJsonDocument(body()).toJson(QJsonDocument::Compact)); !parsed)
        error = parsed.error().message;
    m_error = error;
    m_errorLabel->setText(error);
    m_errorLabel->setVisible(!error.isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(error.isEmpty());
}
