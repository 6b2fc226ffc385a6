// SPDX-License-Identifier: GPL-3.0-or-later
#include "Banner.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>

Banner::Banner(bool closable, QWidget *parent)
    : QFrame(parent)
    , m_label(new QLabel(this))
{
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    m_label->setWordWrap(true);
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_label->setObjectName(QStringLiteral("bannerText"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 4, 4);
    layout->addWidget(m_label, 1);
    if (closable) {
        m_close = new QToolButton(this);
        m_close->setText(QStringLiteral("✕"));
        m_close->setAutoRaise(true);
        m_close->setToolTip(tr("Dismiss"));
        connect(m_close, &QToolButton::clicked, this, &Banner::clear);
        layout->addWidget(m_close, 0, Qt::AlignTop);
    }
    setVisible(false);
}

void Banner::show(Kind kind, const QString &text)
{
    m_kind = kind;
    m_label->setText(text);
    QColor bg;
    switch (kind) {
    case Kind::Info: bg = QColor(0xdd, 0xea, 0xfb); break;
    case Kind::Warning: bg = QColor(0xfc, 0xef, 0xc7); break;
    case Kind::Error: bg = QColor(0xf9, 0xd6, 0xd5); break;
    }
    QPalette p = palette();
    p.setColor(QPalette::Window, bg);
    p.setColor(QPalette::WindowText, Qt::black);
    setPalette(p);
    m_label->setPalette(p);
    setVisible(true);
}

void Banner::clear()
{
    m_label->clear();
    setVisible(false);
}

QString Banner::text() const
{
    return isHidden() ? QString() : m_label->text();
}
