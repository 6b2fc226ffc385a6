// SPDX-License-Identifier: GPL-3.0-or-later
#include "TerminalPane.h"

#include "TerminalScreen.h"
#include "TerminalView.h"

#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

TerminalPane::TerminalPane(EngineClient *client, const QString &sandboxId, QWidget *parent)
    : QWidget(parent)
    , m_screen(new TerminalScreen(24, 80, this))
    , m_view(new TerminalView(m_screen, this))
    , m_session(new PtySession(client, sandboxId, this))
    , m_bar(new QFrame(this))
    , m_message(new QLabel(m_bar))
    , m_action(new QPushButton(m_bar))
{
    m_bar->setFrameShape(QFrame::StyledPanel);
    m_bar->setAutoFillBackground(true);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *barLayout = new QHBoxLayout(m_bar);
    barLayout->setContentsMargins(8, 4, 8, 4);
    barLayout->addWidget(m_message, 1);
    barLayout->addWidget(m_action);
    m_bar->hide();

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_bar);
    layout->addWidget(m_view, 1);
    setFocusProxy(m_view);

    connect(m_session, &PtySession::output, m_screen, &TerminalScreen::feed);
    connect(m_screen, &TerminalScreen::outputReady, m_session, &PtySession::sendInput);
    connect(m_view, &TerminalView::sizeChanged, m_session, &PtySession::resize);
    connect(m_screen, &TerminalScreen::titleChanged, this, &TerminalPane::titleChanged);
    connect(m_session, &PtySession::attached, this, [this] { hideBar(); });
    connect(m_session, &PtySession::stateChanged, this, [this](PtySession::State s) {
        if (s == PtySession::State::Starting || s == PtySession::State::Connecting)
            showBar(tr("Connecting to the terminal…"), {});
    });
    connect(m_session, &PtySession::reconnected, this, [this](bool fresh) {
        if (fresh)
            m_screen->write(QByteArrayLiteral("\r\n\x1b[0;2m") + tr("[the previous terminal had ended; this is a new one]").toUtf8()
                            + QByteArrayLiteral("\x1b[0m\r\n"));
    });
    connect(m_session, &PtySession::ended, this, [this](PtySession::End why, const QString &sentence) {
        m_end = why;
        switch (why) {
        case PtySession::End::Exited:
            showBar(sentence, tr("New terminal"));
            break;
        case PtySession::End::Disconnected:
            showBar(sentence, tr("Reconnect"));
            break;
        case PtySession::End::Failed:
            showBar(sentence, tr("Try again"));
            break;
        }
        Q_EMIT ended(sentence);
    });
    connect(m_action, &QPushButton::clicked, this, &TerminalPane::triggerAction);
}

TerminalPane::~TerminalPane() = default;

void TerminalPane::start(const PtySession::Options &options)
{
    m_session->start(m_screen->cols(), m_screen->rows(), options);
}

void TerminalPane::attach(const QString &ptyId, qint64 from)
{
    m_session->resize(m_screen->cols(), m_screen->rows());
    m_session->attach(ptyId, from);
}

void TerminalPane::closeSession(bool kill)
{
    m_session->close(kill);
}

QString TerminalPane::message() const
{
    return m_bar->isHidden() ? QString() : m_message->text();
}

QString TerminalPane::actionText() const
{
    return m_bar->isHidden() || m_action->isHidden() ? QString() : m_action->text();
}

void TerminalPane::triggerAction()
{
    m_session->resize(m_screen->cols(), m_screen->rows());
    m_session->reconnect();
    m_view->setFocus();
}

void TerminalPane::showBar(const QString &sentence, const QString &action)
{
    m_message->setText(sentence);
    m_action->setText(action);
    m_action->setVisible(!action.isEmpty());
    m_bar->show();
}

void TerminalPane::hideBar()
{
    m_bar->hide();
    m_end.reset();
}

void TerminalPane::sandboxRunsAgain()
{
    // Not a shell that exited: that one waits for "New terminal".
    if (m_end == PtySession::End::Disconnected || m_end == PtySession::End::Failed)
        triggerAction();
}
