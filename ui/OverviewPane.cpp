// SPDX-License-Identifier: GPL-3.0-or-later
#include "OverviewPane.h"

#include "Formatting.h"
#include "KeyValueTable.h"
#include "NetworkPolicyForm.h"

#include <QDateTime>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

OverviewPane::OverviewPane(QWidget *parent)
    : QWidget(parent)
    , m_empty(new QLabel(tr("Select a sandbox to see its details."), this))
    , m_details(new QWidget(this))
    , m_form(new QFormLayout)
    , m_extend(new QPushButton(tr("Extend…"), this))
    , m_changeNetwork(new QPushButton(tr("Change…"), this))
    , m_metadata(new KeyValueTable(false, tr("Key"), this))
{
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_extend->setObjectName(QStringLiteral("extendButton"));
    m_extend->setToolTip(tr("Set a new end time, counted from now"));
    connect(m_extend, &QPushButton::clicked, this, &OverviewPane::extendRequested);
    m_changeNetwork->setObjectName(QStringLiteral("changeNetworkButton"));
    m_changeNetwork->setToolTip(tr("Open or close destinations; new connections follow at once"));
    connect(m_changeNetwork, &QPushButton::clicked, this, &OverviewPane::networkChangeRequested);

    addField(QStringLiteral("id"), tr("ID"));
    addField(QStringLiteral("state"), tr("State"));
    addField(QStringLiteral("template"), tr("Template"));
    addField(QStringLiteral("created"), tr("Created"));
    addField(QStringLiteral("started"), tr("Started"));
    addFieldWithButton(QStringLiteral("end"), tr("Ends"), m_extend);
    addField(QStringLiteral("paused"), tr("Paused"));
    addField(QStringLiteral("resources"), tr("Resources"));
    addField(QStringLiteral("usage"), tr("Usage"));
    addField(QStringLiteral("ports"), tr("Ports"));
    addField(QStringLiteral("address"), tr("Address"));
    addFieldWithButton(QStringLiteral("network"), tr("Network"), m_changeNetwork);
    addField(QStringLiteral("node"), tr("Node"));

    auto *details = new QVBoxLayout(m_details);
    details->setContentsMargins(0, 0, 0, 0);
    details->addLayout(m_form);
    details->addWidget(new QLabel(tr("Metadata"), m_details));
    m_metadata->table()->setAccessibleName(tr("Metadata"));
    details->addWidget(m_metadata, 1);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_empty);
    layout->addWidget(m_details);
    m_details->setVisible(false);
}

QLabel *OverviewPane::addField(const QString &name, const QString &label)
{
    auto *value = new QLabel(this);
    value->setObjectName(QStringLiteral("field_") + name);
    value->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::LinksAccessibleByMouse);
    value->setOpenExternalLinks(true);
    value->setWordWrap(true);
    m_form->addRow(label, value);
    return value;
}

QWidget *OverviewPane::addFieldWithButton(const QString &name, const QString &label, QPushButton *button)
{
    auto *row = new QWidget(this);
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *value = new QLabel(row);
    value->setObjectName(QStringLiteral("field_") + name);
    value->setTextInteractionFlags(Qt::TextSelectableByMouse);
    value->setWordWrap(true);
    layout->addWidget(value, 1);
    layout->addWidget(button, 0, Qt::AlignTop);
    m_form->addRow(label, row);
    return row;
}

QString OverviewPane::fieldText(const QString &name) const
{
    const auto *l = findChild<QLabel *>(QStringLiteral("field_") + name);
    return l ? l->text() : QString();
}

void OverviewPane::showSandbox(const SandboxInfo *info, const std::optional<SandboxMetrics> &metrics, int selectedCount)
{
    if (!info) {
        m_id.clear();
        m_empty->setText(selectedCount > 1 ? tr("%1 sandboxes selected.").arg(selectedCount)
                                           : tr("Select a sandbox to see its details."));
        m_empty->setVisible(true);
        m_details->setVisible(false);
        return;
    }
    m_empty->setVisible(false);
    m_details->setVisible(true);
    const bool changedSandbox = m_id != info->id;
    m_id = info->id;
    auto when = [](const QDateTime &t) {
        return t.isValid() ? QLocale().toString(t.toLocalTime(), QLocale::LongFormat) : QStringLiteral("—");
    };
    auto set = [this](const char *name, const QString &text) {
        if (auto *l = findChild<QLabel *>(QStringLiteral("field_") + QLatin1String(name)); l && l->text() != text)
            l->setText(text);
    };
    const bool paused = info->state == SandboxState::Paused;
    set("id", info->id);
    set("state", info->state == SandboxState::Error ? tr("Error: %1").arg(info->errorReason)
                 : paused ? tr("Paused (%1)").arg(info->pauseKind == QLatin1String("freeze") ? tr("memory kept") : tr("processes stopped"))
                          : tr("Running"));
    set("template", info->templateName);
    set("created", when(info->createdAt));
    set("started", when(info->startedAt));
    set("end", info->endAt.isValid() ? when(info->endAt) : tr("when killed (no time limit)"));
    set("paused", paused ? when(info->pausedAt) : QStringLiteral("—"));
    set("resources", tr("%n CPU(s), ", nullptr, info->cpuCount) + Formatting::bytes(qint64(info->memoryMb) * 1024 * 1024));
    set("usage", (metrics && info->state == SandboxState::Running) ? tr("%1 CPU, %2 memory, %3 processes")
                                            .arg(Formatting::percent(metrics->cpuPercent), Formatting::bytes(metrics->memoryBytes))
                                            .arg(metrics->pids)
                                      : QStringLiteral("—"));
    QStringList ports;
    for (const SandboxPort &p : info->ports)
        ports.append(QStringLiteral("%1 → <a href=\"%2\">%2</a>").arg(p.port).arg(p.url.toHtmlEscaped()));
    set("ports", ports.isEmpty() ? QStringLiteral("—") : ports.join(QStringLiteral("<br>")));
    set("node", info->nodeId);
    set("address", info->netAddress.isEmpty() ? QStringLiteral("—") : info->netAddress);
    QString network = NetworkPolicyForm::headline(info->network).toHtmlEscaped();
    const QString allow = NetworkPolicyForm::texts(info->network.allowOut).join(QStringLiteral(", "));
    const QString deny = NetworkPolicyForm::texts(info->network.denyOut).join(QStringLiteral(", "));
    if (!allow.isEmpty())
        network += QStringLiteral("<br>") + tr("Allow: %1").arg(allow.toHtmlEscaped());
    if (!deny.isEmpty())
        network += QStringLiteral("<br>") + tr("Deny: %1").arg(deny.toHtmlEscaped());
    // No address: an engine started with --network none (or one from before
    // sandbox networks); a policy would change nothing there.
    const bool hasNetwork = !info->netAddress.isEmpty();
    set("network", hasNetwork ? network : tr("Loopback only: the engine gives this sandbox no network of its own"));
    m_changeNetwork->setEnabled(hasNetwork && info->state != SandboxState::Error);
    if (changedSandbox || m_metadata->pairs() != info->metadata)
        m_metadata->setPairs(info->metadata);
}
