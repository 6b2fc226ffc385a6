// SPDX-License-Identifier: GPL-3.0-or-later
#include "TransferPanel.h"

#include "FileNames.h"
#include "Formatting.h"
#include "UploadQueue.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace {
enum Column { NameColumn, ProgressColumn, MessageColumn, CancelColumn };
constexpr int kJobIdRole = Qt::UserRole + 1;

int percentOf(qint64 part, qint64 whole)
{
    return whole <= 0 ? 0 : int(part * 100 / whole);
}
} // namespace

TransferPanel::TransferPanel(UploadQueue *queue, QWidget *parent)
    : QWidget(parent)
    , m_queue(queue)
    , m_list(new QTreeWidget(this))
    , m_overall(new QProgressBar(this))
    , m_summary(new QLabel(this))
    , m_cancelAll(new QPushButton(tr("Cancel all"), this))
    , m_clear(new QPushButton(tr("Clear finished"), this))
{
    setObjectName(QStringLiteral("filesTransfers"));
    m_list->setObjectName(QStringLiteral("transferList"));
    m_list->setRootIsDecorated(false);
    m_list->setColumnCount(4);
    m_list->setHeaderLabels({tr("Upload"), tr("Progress"), tr("State"), QString()});
    m_list->header()->setStretchLastSection(false);
    m_list->header()->setSectionResizeMode(MessageColumn, QHeaderView::Stretch);
    m_list->setColumnWidth(NameColumn, 220);
    m_list->setColumnWidth(ProgressColumn, 140);
    m_list->setMaximumHeight(160);
    m_overall->setObjectName(QStringLiteral("transferOverall"));
    m_overall->setRange(0, 100);
    m_summary->setObjectName(QStringLiteral("transferSummary"));
    m_cancelAll->setObjectName(QStringLiteral("transferCancelAll"));
    m_clear->setObjectName(QStringLiteral("transferClear"));
    connect(m_cancelAll, &QPushButton::clicked, queue, &UploadQueue::cancelAll);
    connect(m_clear, &QPushButton::clicked, queue, &UploadQueue::clearFinished);

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 0, 0);
    bar->addWidget(m_summary, 1);
    bar->addWidget(m_overall, 1);
    bar->addWidget(m_cancelAll);
    bar->addWidget(m_clear);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(m_list);

    connect(queue, &UploadQueue::jobAdded, this, &TransferPanel::addRow);
    connect(queue, &UploadQueue::jobChanged, this, &TransferPanel::updateRow);
    connect(queue, &UploadQueue::jobFinished, this, &TransferPanel::updateRow);
    connect(queue, &UploadQueue::jobsRemoved, this, &TransferPanel::rebuild);
    rebuild();
}

void TransferPanel::addRow(int id)
{
    const UploadQueue::Job *job = m_queue->job(id);
    if (!job)
        return;
    auto *item = new QTreeWidgetItem(m_list);
    item->setData(NameColumn, kJobIdRole, id);
    item->setToolTip(NameColumn, job->remotePath);
    auto *bar = new QProgressBar(m_list);
    bar->setRange(0, 100);
    bar->setTextVisible(true);
    m_list->setItemWidget(item, ProgressColumn, bar);
    auto *cancel = new QToolButton(m_list);
    cancel->setText(tr("Cancel"));
    cancel->setObjectName(QStringLiteral("transferCancel%1").arg(id));
    connect(cancel, &QToolButton::clicked, m_queue, [this, id] { m_queue->cancel(id); });
    m_list->setItemWidget(item, CancelColumn, cancel);
    m_rows.insert(id, item);
    setVisible(true);
    updateRow(id);
}

void TransferPanel::updateRow(int id)
{
    const UploadQueue::Job *job = m_queue->job(id);
    QTreeWidgetItem *item = m_rows.value(id);
    if (!job || !item)
        return;
    const QString name = FileNames::baseName(job->remotePath) + (job->isDir ? QStringLiteral("/") : QString());
    item->setText(NameColumn, name);
    item->setText(MessageColumn, job->message);
    item->setToolTip(MessageColumn, job->message);
    if (auto *bar = qobject_cast<QProgressBar *>(m_list->itemWidget(item, ProgressColumn))) {
        const bool done = job->state == UploadQueue::State::Done;
        bar->setValue(done ? 100 : job->isDir ? 0 : percentOf(job->sent, job->size));
        bar->setFormat(job->isDir ? QStringLiteral("%p %") : Formatting::bytes(job->sent) + QStringLiteral(" / ") + Formatting::bytes(job->size));
    }
    if (QWidget *cancel = m_list->itemWidget(item, CancelColumn))
        cancel->setEnabled(!job->isFinished());
    updateOverall();
}

void TransferPanel::rebuild()
{
    m_list->clear();
    m_rows.clear();
    for (const UploadQueue::Job &job : m_queue->jobs())
        addRow(job.id);
    setVisible(!m_queue->jobs().isEmpty());
    updateOverall();
}

void TransferPanel::updateOverall()
{
    const qint64 total = m_queue->totalBytes();
    const qint64 sent = m_queue->sentBytes();
    m_overall->setValue(percentOf(sent, total));
    int open = 0;
    for (const UploadQueue::Job &j : m_queue->jobs())
        open += j.isFinished() ? 0 : 1;
    m_summary->setText(open == 0 ? tr("Uploads finished") : (open == 1 ? tr("One upload to go") : tr("%1 uploads to go").arg(open))
                                                                    + tr(", %1 of %2").arg(Formatting::bytes(sent), Formatting::bytes(total)));
    m_cancelAll->setEnabled(open > 0);
}

QString TransferPanel::rowText(int jobId) const
{
    const QTreeWidgetItem *item = m_rows.value(jobId);
    return item ? item->text(NameColumn) + QStringLiteral(": ") + item->text(MessageColumn) : QString();
}
