// SPDX-License-Identifier: GPL-3.0-or-later
#include "ProfileDialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

ProfileDialog::ProfileDialog(const QStringList &takenNames, QWidget *parent)
    : QDialog(parent)
    , m_taken(takenNames)
    , m_name(new QLineEdit(this))
    , m_url(new QLineEdit(QStringLiteral("https://"), this))
    , m_key(new QLineEdit(this))
    , m_error(new QLabel(this))
{
    setWindowTitle(tr("New remote connection"));
    setObjectName(QStringLiteral("profileDialog"));
    m_name->setObjectName(QStringLiteral("profileName"));
    m_url->setObjectName(QStringLiteral("profileUrl"));
    m_key->setObjectName(QStringLiteral("profileKey"));
    m_key->setEchoMode(QLineEdit::Password);
    m_key->setPlaceholderText(QStringLiteral("ai2in_live_…"));
    m_error->setWordWrap(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    // Room for a whole URL and key, not the ~125 px a line edit starts with.
    const int wide = fontMetrics().horizontalAdvance(QLatin1Char('m')) * 40;
    for (QLineEdit *e : {m_name, m_url, m_key})
        e->setMinimumWidth(wide);
    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(tr("Name"), m_name);
    form->addRow(tr("Engine URL"), m_url);
    form->addRow(tr("API key"), m_key);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    for (QLineEdit *e : {m_name, m_url, m_key})
        connect(e, &QLineEdit::textChanged, this, &ProfileDialog::validate);
    validate();
}

QString ProfileDialog::name() const { return m_name->text().trimmed(); }
QUrl ProfileDialog::baseUrl() const { return QUrl(m_url->text().trimmed()); }
QString ProfileDialog::apiKey() const { return m_key->text().trimmed(); }

void ProfileDialog::validate()
{
    QString error;
    const QUrl url = baseUrl();
    if (name().isEmpty())
        error = tr("Give the connection a name.");
    else if (m_taken.contains(name()))
        error = tr("A connection named '%1' exists already.").arg(name());
    else if (!url.isValid() || url.host().isEmpty() || (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")))
        error = tr("The engine URL must be an http or https address, e.g. https://engine.example.com:7300.");
    else if (apiKey().isEmpty())
        error = tr("Paste the API key the engine gave you.");
    m_error->setText(error);
    m_ok->setEnabled(error.isEmpty());
}
