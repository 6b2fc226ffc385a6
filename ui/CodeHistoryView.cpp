// SPDX-License-Identifier: GPL-3.0-or-later
#include "CodeHistoryView.h"

#include "CodeCellView.h"
#include "CodeSession.h"

#include <QScrollBar>
#include <QTimer>
#include <QVBoxLayout>

CodeHistoryView::CodeHistoryView(CodeSession *session, QWidget *parent)
    : QScrollArea(parent)
    , m_session(session)
    , m_content(new QWidget(this))
    , m_layout(new QVBoxLayout(m_content))
    , m_flush(new QTimer(this))
{
    setObjectName(QStringLiteral("codeHistory"));
    setWidgetResizable(true);
    setWidget(m_content);
    m_content->setBackgroundRole(QPalette::Base);
    m_layout->setContentsMargins(2, 2, 2, 2);
    m_layout->setSpacing(6);
    m_layout->addStretch(1);
    m_flush->setSingleShot(true);
    m_flush->setInterval(kFlushMs);
    connect(m_flush, &QTimer::timeout, this, &CodeHistoryView::flush);

    // Stay at the bottom while the reader is there, also when the content
    // grows after a layout pass; scrolling up stops that.
    QScrollBar *bar = verticalScrollBar();
    connect(bar, &QScrollBar::valueChanged, this, [this, bar](int value) { m_followEnd = value >= bar->maximum() - 4; });
    connect(bar, &QScrollBar::rangeChanged, this, [this, bar](int, int max) {
        if (m_followEnd)
            bar->setValue(max);
    });

    connect(session, &CodeSession::cellAdded, this, &CodeHistoryView::addCell);
    connect(session, &CodeSession::cellChanged, this, [this](int index) {
        m_dirty.insert(index);
        if (!m_flush->isActive())
            m_flush->start();
    });
    connect(session, &CodeSession::cellFinished, this, [this](int index) {
        m_dirty.insert(index);
        m_ending.insert(index);
        flush();
    });
    for (int i = 0; i < session->count(); ++i)
        addCell(i);
}

CodeCellView *CodeHistoryView::cellView(int index) const
{
    return index >= 0 && index < m_cells.size() ? m_cells.at(index) : nullptr;
}

void CodeHistoryView::addCell(int index)
{
    // Cells only ever arrive at the end.
    while (m_cells.size() <= index) {
        auto *view = new CodeCellView(m_session, int(m_cells.size()), m_content);
        m_layout->insertWidget(m_layout->count() - 1, view);
        m_cells.append(view);
    }
    m_followEnd = true;
}

void CodeHistoryView::flush()
{
    const QSet<int> dirty = std::exchange(m_dirty, {});
    for (int index : dirty) {
        CodeCellView *view = cellView(index);
        if (view && !view->refresh()) {
            m_dirty.insert(index); // more to draw next turn
            continue;
        }
        if (m_ending.remove(index))
            Q_EMIT cellFinished(index);
    }
    if (!m_dirty.isEmpty() && !m_flush->isActive())
        m_flush->start();
}
