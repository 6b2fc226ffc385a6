// SPDX-License-Identifier: GPL-3.0-or-later
#include "NetworkPolicyEditor.h"

#include "NetworkPolicyForm.h"

#include <QCheckBox>
#include <QGridLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QVBoxLayout>

namespace {
QPlainTextEdit *ruleEdit(const QString &objectName, const QString &placeholder, QWidget *parent)
{
    auto *edit = new QPlainTextEdit(parent);
    edit->setObjectName(objectName);
    edit->setPlaceholderText(placeholder);
    edit->setLineWrapMode(QPlainTextEdit::NoWrap);
    edit->setTabChangesFocus(true);
    // A few lines at least; beyond that the dialog shares its height out
    // (QPlainTextEdit's own hint would take more than the tables beside it).
    edit->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Ignored);
    edit->setMinimumHeight(84);
    return edit;
}
} // namespace

NetworkPolicyEditor::NetworkPolicyEditor(QWidget *parent)
    : QWidget(parent)
    , m_internet(new QCheckBox(tr("Internet access"), this))
    , m_allow(ruleEdit(QStringLiteral("allowOutEdit"), tr("registry.npmjs.org\n*.debian.org\n198.51.100.0/24"), this))
    , m_deny(ruleEdit(QStringLiteral("denyOutEdit"), tr("0.0.0.0/0"), this))
    , m_hint(new QLabel(this))
{
    m_internet->setObjectName(QStringLiteral("internetCheck"));
    m_internet->setChecked(true);
    m_hint->setObjectName(QStringLiteral("networkHint"));
    // Two lines broken by hand: a word-wrapped label would make the editor
    // height-for-width, and that path leaves out the rule boxes' minimum.
    m_hint->setWordWrap(false);
    m_hint->setEnabled(false); // the palette's dimmed text
    const QString rules = tr("One rule per line: an IPv4 address, a CIDR, a host name or *.domain.");
    m_allow->setToolTip(tr("Destinations always open; the allow list wins over the deny list.") + QLatin1Char(' ') + rules);
    m_deny->setToolTip(tr("Destinations closed; 0.0.0.0/0 closes everything not allowed.") + QLatin1Char(' ') + rules);

    auto *lists = new QGridLayout;
    lists->setContentsMargins(0, 0, 0, 0);
    lists->addWidget(new QLabel(tr("Allow (one rule per line)"), this), 0, 0);
    lists->addWidget(new QLabel(tr("Deny (one rule per line)"), this), 0, 1);
    lists->addWidget(m_allow, 1, 0);
    lists->addWidget(m_deny, 1, 1);
    // The grid does not count an Ignored widget's minimum: say it, and give
    // the boxes (not their captions) the height to spare.
    lists->setRowMinimumHeight(1, m_allow->minimumHeight());
    lists->setRowStretch(1, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_internet);
    layout->addLayout(lists, 1);
    layout->addWidget(m_hint);

    connect(m_internet, &QCheckBox::toggled, this, [this] {
        updateHint();
        Q_EMIT changed();
    });
    for (QPlainTextEdit *edit : {m_allow, m_deny})
        connect(edit, &QPlainTextEdit::textChanged, this, &NetworkPolicyEditor::changed);
    updateHint();
}

void NetworkPolicyEditor::setPolicy(const NetworkPolicy &policy)
{
    m_internet->setChecked(policy.allowInternetAccess);
    m_allow->setPlainText(NetworkPolicyForm::toLines(policy.allowOut));
    m_deny->setPlainText(NetworkPolicyForm::toLines(policy.denyOut));
    updateHint();
}

NetworkPolicy NetworkPolicyEditor::policy() const
{
    NetworkPolicy p;
    p.allowInternetAccess = m_internet->isChecked();
    if (const auto allow = NetworkPolicyForm::parseLines(m_allow->toPlainText(), tr("Allow list")))
        p.allowOut = *allow;
    if (const auto deny = NetworkPolicyForm::parseLines(m_deny->toPlainText(), tr("Deny list")))
        p.denyOut = *deny;
    return p;
}

QString NetworkPolicyEditor::validationError() const
{
    if (const auto allow = NetworkPolicyForm::parseLines(m_allow->toPlainText(), tr("Allow list")); !allow)
        return allow.error().message;
    if (const auto deny = NetworkPolicyForm::parseLines(m_deny->toPlainText(), tr("Deny list")); !deny)
        return deny.error().message;
    return {};
}

void NetworkPolicyEditor::updateHint()
{
    m_hint->setText(m_internet->isChecked()
                        ? tr("Every destination is open but those the deny list closes.\n"
                             "The host, other sandboxes and private ranges are always closed.")
                        : tr("Only the allow list is reachable.\n"
                             "The host, other sandboxes and private ranges are always closed."));
}
