// SPDX-License-Identifier: GPL-3.0-or-later
#include "PreviewBar.h"

#include <QClipboard>
#include <QDesktopServices>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QLoggingCategory>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QToolButton>
#include <QUrlQuery>

Q_LOGGING_CATEGORY(lcUiPreview, "ai2in.ui.preview", QtInfoMsg)

PreviewBar::PreviewBar(QWidget *parent)
    : QWidget(parent)
    , m_opener([](const QUrl &url) { return QDesktopServices::openUrl(url); })
{
    m_caption = new QLabel(tr("Preview:"), this);
    m_caption->setObjectName(QStringLiteral("previewCaption"));
    m_caption->setToolTip(tr("Servers listening in the sandbox, reachable at their preview URLs"));

    m_hint = new QLabel(tr("No ports open — start a server in the sandbox to get a preview URL."), this);
    m_hint->setObjectName(QStringLiteral("previewHint"));
    // Muted in every theme: the palette's placeholder colour follows it.
    m_hint->setForegroundRole(QPalette::PlaceholderText);

    // The bar keeps its height whether it shows a hint, buttons or nothing,
    // so the tabs below never jump when a sandbox is selected or a port opens.
    for (QWidget *w : {static_cast<QWidget *>(m_caption), static_cast<QWidget *>(m_hint)}) {
        QSizePolicy p = w->sizePolicy();
        p.setRetainSizeWhenHidden(true);
        w->setSizePolicy(p);
    }
    QToolButton probe;
    probe.setText(QStringLiteral(":8000"));
    probe.setPopupMode(QToolButton::MenuButtonPopup);
    probe.setAutoRaise(true);
    setMinimumHeight(probe.sizeHint().height());

    m_layout = new QHBoxLayout(this);
    m_layout->setContentsMargins(0, 0, 0, 0);
    m_layout->addWidget(m_caption);
    m_layout->addWidget(m_hint);
    m_layout->addStretch(1);
    updateHint();
}

void PreviewBar::setPorts(const QString &sandboxId, const QList<SandboxPort> &ports, const QString &previewToken)
{
    if (previewToken != m_token) {
        // The menus differ with a token: made afresh (with none on either
        // side, buttons are kept, as a sandbox switch must keep them).
        for (int port : m_buttons.keys())
            removeButton(port);
    }
    m_id = sandboxId;
    m_token = previewToken;
    QMap<int, QUrl> wanted;
    if (!sandboxId.isEmpty()) {
        for (const SandboxPort &p : ports) {
            if (p.port > 0)
                wanted.insert(p.port, QUrl(p.url));
        }
    }
    const QList<int> held = m_buttons.keys();
    for (int port : held) {
        if (!wanted.contains(port))
            removeButton(port);
    }
    for (auto it = wanted.cbegin(); it != wanted.cend(); ++it) {
        if (!m_buttons.contains(it.key()))
            addButton(it.key());
        updateButton(it.key(), it.value());
    }
    updateHint();
}

QToolButton *PreviewBar::addButton(int port)
{
    auto *button = new QToolButton(this);
    button->setObjectName(QStringLiteral("previewPort%1").arg(port));
    button->setText(QStringLiteral(":%1").arg(port));
    button->setPopupMode(QToolButton::MenuButtonPopup);
    button->setAutoRaise(true);
    connect(button, &QToolButton::clicked, this, [this, port] { open(port); });

    auto *menu = new QMenu(button);
    QAction *openAction = menu->addAction(tr("Open in browser"));
    openAction->setObjectName(QStringLiteral("previewOpen"));
    connect(openAction, &QAction::triggered, this, [this, port] { open(port); });
    QAction *copyAction = menu->addAction(tr("Copy URL"));
    copyAction->setObjectName(QStringLiteral("previewCopy"));
    connect(copyAction, &QAction::triggered, this, [this, port] { copyUrl(port); });
    if (!m_token.isEmpty()) {
        QAction *copyLink = menu->addAction(tr("Copy link with access token"));
        copyLink->setObjectName(QStringLiteral("previewCopyWithToken"));
        copyLink->setToolTip(tr("Whoever opens this link can use the preview"));
        connect(copyLink, &QAction::triggered, this, [this, port] { copyUrlWithToken(port); });
    }
    button->setMenu(menu);

    // After the caption, in port order.
    m_buttons.insert(port, button);
    m_layout->insertWidget(1 + int(m_buttons.keys().indexOf(port)), button);
    return button;
}

void PreviewBar::removeButton(int port)
{
    QToolButton *button = m_buttons.take(port);
    m_urls.remove(port);
    if (!button)
        return;
    m_layout->removeWidget(button);
    button->hide();
    // Its menu may be the caller (a port gone while its menu was open).
    button->deleteLater();
}

void PreviewBar::updateButton(int port, const QUrl &url)
{
    const auto held = m_urls.constFind(port);
    if (held != m_urls.cend() && *held == url)
        return;
    m_urls.insert(port, url);
    QToolButton *button = m_buttons.value(port);
    button->setToolTip(m_token.isEmpty() ? url.toString()
                                         : tr("%1 (needs the sandbox's access token; opening it from here passes it)")
                                               .arg(url.toString()));
    button->setEnabled(url.isValid() && !url.isEmpty());
}

void PreviewBar::updateHint()
{
    const bool selected = !m_id.isEmpty();
    m_caption->setVisible(selected);
    m_hint->setVisible(selected && m_buttons.isEmpty());
}

QString PreviewBar::hint() const
{
    return m_hint->isVisibleTo(this) ? m_hint->text() : QString();
}

void PreviewBar::setUrlOpener(UrlOpener opener)
{
    m_opener = std::move(opener);
}

QUrl PreviewBar::openUrlFor(int port) const
{
    QUrl url = m_urls.value(port);
    if (m_token.isEmpty() || !url.isValid() || url.isEmpty())
        return url;
    if (url.path().isEmpty())
        url.setPath(QStringLiteral("/"));
    QUrlQuery query(url);
    query.addQueryItem(QStringLiteral("ai2in_token"), m_token);
    url.setQuery(query);
    return url;
}

void PreviewBar::open(int port)
{
    const QUrl url = openUrlFor(port);
    if (!url.isValid() || url.isEmpty())
        return;
    qCDebug(lcUiPreview) << "opening" << m_urls.value(port); // never the token
    if (m_opener && !m_opener(url)) {
        qCInfo(lcUiPreview) << "no browser opened" << m_urls.value(port);
        showNoBrowser(url);
        return;
    }
    Q_EMIT opened(url);
}

void PreviewBar::showNoBrowser(const QUrl &url)
{
    if (m_noBrowser)
        m_noBrowser->close();
    auto *box = new QMessageBox(QMessageBox::Information, tr("No browser opened"),
                                tr("No web browser could be opened on this computer. Open this address in one:"), QMessageBox::Close,
                                this);
    box->setObjectName(QStringLiteral("previewNoBrowser"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setInformativeText(url.toString());
    box->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QPushButton *copy = box->addButton(tr("Copy URL"), QMessageBox::ActionRole);
    copy->setObjectName(QStringLiteral("previewNoBrowserCopy"));
    // The box closes on any button; copying is what this one does first.
    connect(copy, &QPushButton::clicked, this, [this, url] {
        if (QClipboard *clipboard = QGuiApplication::clipboard())
            clipboard->setText(url.toString());
        Q_EMIT copied(tr("Copied the preview URL."));
    });
    m_noBrowser = box;
    box->open();
}

QString PreviewBar::copyUrl(int port)
{
    return putOnClipboard(port, m_urls.value(port).toString(), false);
}

QString PreviewBar::copyUrlWithToken(int port)
{
    if (m_token.isEmpty())
        return {};
    return putOnClipboard(port, openUrlFor(port).toString(), true);
}

QString PreviewBar::putOnClipboard(int port, const QString &text, bool withToken)
{
    if (text.isEmpty())
        return {};
    if (QClipboard *clipboard = QGuiApplication::clipboard())
        clipboard->setText(text);
    Q_EMIT copied(withToken ? tr("Copied the preview link of port %1 with its access token.").arg(port)
                            : tr("Copied the preview URL of port %1.").arg(port));
    return text;
}
