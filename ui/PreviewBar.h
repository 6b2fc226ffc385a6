// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "SandboxInfo.h"

#include <QMap>
#include <QUrl>
#include <QMessageBox>
#include <QPointer>
#include <QWidget>

#include <functional>

class QHBoxLayout;
class QLabel;
class QToolButton;

// A strip of one button per port something listens on in the sandbox
// (":3000"), each opening the port's preview URL in the browser; its menu
// opens or copies the URL. The buttons follow the sandbox's `ports` as it
// changes: a port that stays keeps its button, only new ones are added and
// gone ones removed, so a button under the mouse does not flicker away
// every second. Without ports a muted sentence says how to get one. For a
// sandbox created with preview_auth the button opens the URL with the
// sandbox's token (`?ai2in_token=…`), which the preview turns into a cookie
// of that host in the owner's browser; "Copy URL" copies the URL without
// it, and a second action copies the link with it.
class PreviewBar : public QWidget
{
    Q_OBJECT
public:
    // False: nothing could open it (no browser).
    using UrlOpener = std::function<bool(const QUrl &)>;

    explicit PreviewBar(QWidget *parent = nullptr);

    // The sandbox's listening ports ("" and no ports: nothing selected) and
    // its preview token ("" without preview_auth).
    void setPorts(const QString &sandboxId, const QList<SandboxPort> &ports, const QString &previewToken = {});
    QString sandbox() const { return m_id; }

    // The ports with a button, ascending.
    QList<int> ports() const { return m_buttons.keys(); }
    QToolButton *buttonFor(int port) const { return m_buttons.value(port); }
    QUrl urlFor(int port) const { return m_urls.value(port); }
    // What a click opens: urlFor() with the preview token, if there is one.
    QUrl openUrlFor(int port) const;
    // The sentence shown instead of buttons ("" while there are buttons or
    // no sandbox).
    QString hint() const;

    // What opening a URL does (tests); QDesktopServices::openUrl by default.
    void setUrlOpener(UrlOpener opener);
    // Opens the port's URL as a click on its button does. When no browser
    // opens it, a message shows the URL with a Copy button, never nothing.
    void open(int port);
    // That message while it shows (null otherwise).
    QMessageBox *noBrowserMessage() const { return m_noBrowser; }
    // Puts the port's URL on the clipboard as the menu's "Copy URL" does;
    // returns it.
    QString copyUrl(int port);
    // The same with the token ("Copy link with access token"); "" without one.
    QString copyUrlWithToken(int port);

Q_SIGNALS:
    void opened(const QUrl &url);
    // A URL went to the clipboard: a sentence that says which.
    void copied(const QString &sentence);

private:
    QToolButton *addButton(int port);
    void removeButton(int port);
    void updateButton(int port, const QUrl &url);
    void updateHint();
    void showNoBrowser(const QUrl &url);
    QString putOnClipboard(int port, const QString &text, bool withToken);

    QString m_id;
    QString m_token;
    QMap<int, QToolButton *> m_buttons;
    QMap<int, QUrl> m_urls;
    UrlOpener m_opener;
    QHBoxLayout *m_layout = nullptr;
    QLabel *m_caption = nullptr;
    QLabel *m_hint = nullptr;
    QPointer<QMessageBox> m_noBrowser;
};
