// SPDX-License-Identifier: GPL-3.0-or-later
#include "TerminalColor.h"

#include <array>

QRgb TerminalColor::paletteEntry(int index)
{
    // The 16 colours close to what common terminals use on a dark background.
    static constexpr std::array<QRgb, 16> ansi = {
        0xff000000, 0xffcd3131, 0xff0dbc79, 0xffe5e510, 0xff2472c8, 0xffbc3fbc, 0xff11a8cd, 0xffe5e5e5,
        0xff666666, 0xfff14c4c, 0xff23d18b, 0xfff5f543, 0xff3b8eea, 0xffd670d6, 0xff29b8db, 0xffffffff,
    };
    index = qBound(0, index, 255);
    if (index < 16)
        return ansi[size_t(index)];
    if (index < 232) {
        const int i = index - 16;
        auto level = [](int v) { return v == 0 ? 0 : 55 + v * 40; };
        return qRgb(level(i / 36), level((i / 6) % 6), level(i % 6));
    }
    const int grey = 8 + (index - 232) * 10;
    return qRgb(grey, grey, grey);
}

QColor TerminalColor::resolve(const QColor &fallback) const
{
    switch (kind) {
    case Default:
        return fallback;
    case Indexed:
        return QColor::fromRgb(paletteEntry(index));
    case Rgb:
        return QColor::fromRgb(rgb);
    }
    return fallback;
}
