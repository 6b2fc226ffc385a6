// SPDX-License-Identifier: GPL-3.0-or-later
#include "RandomId.h"

#include <QRandomGenerator>

QString RandomId::chars(int n)
{
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    QString s;
    s.reserve(n);
    for (int i = 0; i < n; ++i)
        s.append(QLatin1Char(alphabet[QRandomGenerator::system()->bounded(36)]));
    return s;
}
