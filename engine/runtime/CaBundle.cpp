// SPDX-License-Identifier: GPL-3.0-or-later
#include "CaBundle.h"

#include <QDirIterator>
#include <QFile>

#include <algorithm>

namespace {
const QByteArray kBegin = QByteArrayLiteral("-----BEGIN CERTIFICATE-----");
const QByteArray kEnd = QByteArrayLiteral("-----END CERTIFICATE-----");
constexpr qint64 kMaxFileBytes = 1024 * 1024;
} // namespace

QList<QByteArray> CaBundle::certificates(const QByteArray &pemText)
{
    QList<QByteArray> out;
    qsizetype at = 0;
    for (;;) {
        const qsizetype begin = pemText.indexOf(kBegin, at);
        if (begin < 0)
            break;
        const qsizetype end = pemText.indexOf(kEnd, begin);
        if (end < 0)
            break;
        at = end + kEnd.size();
        out.append(pemText.mid(begin, at - begin) + '\n');
    }
    return out;
}

QByteArray CaBundle::compose(const QByteArray &templateBundle, const QList<QByteArray> &extra)
{
    QByteArray out = templateBundle;
    if (!out.isEmpty() && !out.endsWith('\n'))
        out += '\n';
    const QList<QByteArray> present = certificates(templateBundle);
    for (const QByteArray &cert : extra) {
        if (!present.contains(cert) && !out.contains(cert))
            out += cert;
    }
    return out;
}

QList<QByteArray> CaBundle::fromDirectory(const QString &dir)
{
    QStringList files;
    QDirIterator it(dir, {QStringLiteral("*.crt")}, QDir::Files | QDir::Readable, QDirIterator::Subdirectories);
    while (it.hasNext())
        files << it.next();
    std::sort(files.begin(), files.end());
    QList<QByteArray> out;
    for (const QString &path : files) {
        QFile f(path);
        if (f.size() <= kMaxFileBytes && f.open(QIODevice::ReadOnly))
            out += certificates(f.readAll());
    }
    return out;
}
