// SPDX-License-Identifier: GPL-3.0-or-later
#include "FilePreview.h"

#include <QStringDecoder>

namespace FilePreview {

bool isBinary(const QByteArray &start)
{
    if (start.contains('\0'))
        return true;
    // A UTF-8 character is at most 4 bytes: a cut one is in the last 3.
    QByteArray whole = start;
    for (int cut = 0; cut < 3 && !whole.isEmpty(); ++cut) {
        const uchar last = uchar(whole.back());
        if (last < 0x80)
            break;
        whole.chop(1);
        if (last >= 0xc0)
            break;
    }
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString text = decoder(whole);
    Q_UNUSED(text)
    return decoder.hasError();
}

QString hexDump(const QByteArray &bytes, qsizetype maxBytes)
{
    const qsizetype n = qMin(bytes.size(), maxBytes);
    QString out;
    out.reserve(n / 16 * 80 + 80);
    for (qsizetype line = 0; line < n; line += 16) {
        out += QStringLiteral("%1 ").arg(line, 8, 16, QLatin1Char('0'));
        QString ascii;
        for (qsizetype i = line; i < line + 16; ++i) {
            if (i == line + 8)
                out += QLatin1Char(' ');
            if (i < n) {
                const uchar c = uchar(bytes[i]);
                out += QStringLiteral(" %1").arg(c, 2, 16, QLatin1Char('0'));
                ascii += (c >= 0x20 && c < 0x7f) ? QChar(c) : QLatin1Char('.');
            } else {
                out += QStringLiteral("   ");
            }
        }
        out += QStringLiteral("  |%1|\n").arg(ascii);
    }
    return out;
}

} // namespace FilePreview
