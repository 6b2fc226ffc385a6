// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QIconEngine>

class QPalette;

// An icon drawn from SVG at the size asked for, in device pixels, so it is
// as sharp at 2× as at 1×. What the drawing paints in "currentColor" takes
// the application palette's button-text colour of the moment (its disabled
// one for a disabled icon), so the icon is light on a dark theme and dark
// on a light one, and follows a theme change at the next repaint; other
// colours stay as drawn.
class ThemedIconEngine : public QIconEngine
{
public:
    explicit ThemedIconEngine(const QByteArray &svg);

    void paint(QPainter *painter, const QRect &rect, QIcon::Mode mode, QIcon::State state) override;
    QPixmap pixmap(const QSize &size, QIcon::Mode mode, QIcon::State state) override;
    QPixmap scaledPixmap(const QSize &size, QIcon::Mode mode, QIcon::State state, qreal scale) override;
    QIconEngine *clone() const override;
    QString key() const override;
    bool isNull() override;

    // The colour "currentColor" becomes for `mode` under `palette`.
    static QColor colorFor(QIcon::Mode mode, const QPalette &palette);

private:
    // `pixels` device pixels of the drawing, from the pixmap cache when
    // drawn before in the same colour.
    QPixmap render(const QSize &pixels, QIcon::Mode mode) const;

    QByteArray m_svg;
    bool m_valid = false;
    QString m_cacheId; // names the drawing in QPixmapCache
};
