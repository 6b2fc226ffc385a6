// SPDX-License-Identifier: GPL-3.0-or-later
#include "ThemedIconEngine.h"

#include <QCryptographicHash>
#include <QGuiApplication>
#include <QPainter>
#include <QPalette>
#include <QPixmap>
#include <QPixmapCache>
#include <QSvgRenderer>

namespace {
const QByteArray kCurrentColor = QByteArrayLiteral("currentColor");
} // namespace

ThemedIconEngine::ThemedIconEngine(const QByteArray &svg)
    : m_svg(svg)
    , m_valid(QSvgRenderer(svg).isValid())
    , m_cacheId(QStringLiteral("ai2in-icon:")
                + QString::fromLatin1(QCryptographicHash::hash(svg, QCryptographicHash::Md5).toHex()))
{
}

QColor ThemedIconEngine::colorFor(QIcon::Mode mode, const QPalette &palette)
{
    switch (mode) {
    case QIcon::Disabled:
        return palette.color(QPalette::Disabled, QPalette::ButtonText);
    case QIcon::Selected:
        return palette.color(QPalette::Active, QPalette::HighlightedText);
    case QIcon::Normal:
    case QIcon::Active:
        break;
    }
    return palette.color(QPalette::Active, QPalette::ButtonText);
}

QPixmap ThemedIconEngine::render(const QSize &pixels, QIcon::Mode mode) const
{
    if (!m_valid || pixels.isEmpty())
        return {};
    const QColor color = colorFor(mode, QGuiApplication::palette());
    // One entry per drawing, size and colour: a theme change draws anew.
    const QString cacheKey = m_cacheId + QStringLiteral(":%1x%2:%3").arg(pixels.width()).arg(pixels.height()).arg(color.rgba(), 8, 16);
    QPixmap out;
    if (QPixmapCache::find(cacheKey, &out))
        return out;
    QByteArray svg = m_svg;
    svg.replace(kCurrentColor, color.name(QColor::HexRgb).toLatin1());
    QSvgRenderer renderer(svg);
    out = QPixmap(pixels);
    out.fill(Qt::transparent);
    {
        QPainter p(&out);
        p.setRenderHint(QPainter::Antialiasing);
        p.setOpacity(color.alphaF());
        // The drawing keeps its proportions, centred in what was asked for.
        QSizeF drawn = renderer.defaultSize().isEmpty() ? QSizeF(pixels) : QSizeF(renderer.defaultSize());
        drawn.scale(QSizeF(pixels), Qt::KeepAspectRatio);
        const QRectF target(QPointF((pixels.width() - drawn.width()) / 2, (pixels.height() - drawn.height()) / 2), drawn);
        renderer.render(&p, target);
    }
    QPixmapCache::insert(cacheKey, out);
    return out;
}

QPixmap ThemedIconEngine::pixmap(const QSize &size, QIcon::Mode mode, QIcon::State)
{
    return render(size, mode);
}

QPixmap ThemedIconEngine::scaledPixmap(const QSize &size, QIcon::Mode mode, QIcon::State, qreal scale)
{
    // QIcon asks for the device-pixel size already; the drawing is made at
    // that size rather than enlarged from a smaller one.
    QPixmap out = render(size, mode);
    out.setDevicePixelRatio(scale);
    return out;
}

void ThemedIconEngine::paint(QPainter *painter, const QRect &rect, QIcon::Mode mode, QIcon::State)
{
    const qreal dpr = painter->device() ? painter->device()->devicePixelRatioF() : qreal(1);
    QPixmap pm = render(rect.size() * dpr, mode);
    pm.setDevicePixelRatio(dpr);
    painter->drawPixmap(rect, pm);
}

QIconEngine *ThemedIconEngine::clone() const
{
    return new ThemedIconEngine(m_svg);
}

QString ThemedIconEngine::key() const
{
    return QStringLiteral("ai2in-themed-svg");
}

bool ThemedIconEngine::isNull()
{
    return !m_valid;
}
