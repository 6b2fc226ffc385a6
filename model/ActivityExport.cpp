// SPDX-License-Identifier: GPL-3.0-or-later
#include "ActivityExport.h"

#include "AnsiText.h"
#include "Timestamps.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSaveFile>

ActivityExport::Format ActivityExport::formatFor(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    return suffix == QLatin1String("jsonl") || suffix == QLatin1String("json") ? Format::JsonLines : Format::Text;
}

QString ActivityExport::toText(const ActivityEntry &e)
{
    QString head = QStringLiteral("#%1 %2 %3").arg(e.seq).arg(Timestamps::toJson(e.time).toString(),
                                                             ActivityEntry::kindName(e.kind));
    const QString status = e.statusText();
    if (!status.isEmpty())
        head += QLatin1Char(' ') + status;
    if (const auto ms = e.durationMs())
        head += QStringLiteral(" (%1 ms)").arg(*ms);
    QString s = head + QLatin1Char('\n');
    switch (e.kind) {
    case ActivityEntry::Kind::Command:
        s += QStringLiteral("$ %1\n").arg(e.cmd);
        break;
    case ActivityEntry::Kind::Code:
        s += e.cmd + (e.cmd.endsWith(QLatin1Char('\n')) ? QString() : QStringLiteral("\n"));
        break;
    default:
        s += e.summary() + QLatin1Char('\n');
        break;
    }
    auto section = [&s](const char *name, const QString &text) {
        if (text.isEmpty())
            return;
        const QString plain = AnsiText::strip(text);
        s += QStringLiteral("--- %1\n").arg(QLatin1String(name)) + plain;
        if (!plain.endsWith(QLatin1Char('\n')))
            s += QLatin1Char('\n');
    };
    section("stdout", e.out);
    section("stderr", e.err);
    section("result", e.result);
    if (!e.errorName.isEmpty())
        section("error", e.errorName + QStringLiteral(": ") + e.errorValue + QLatin1Char('\n') + e.traceback);
    if (e.truncated)
        s += QStringLiteral("(output truncated)\n");
    return s;
}

QByteArray ActivityExport::toText(const QList<ActivityEntry> &entries)
{
    QString s;
    for (const ActivityEntry &e : entries) {
        if (!s.isEmpty())
            s += QLatin1Char('\n');
        s += toText(e);
    }
    return s.toUtf8();
}

QByteArray ActivityExport::toJsonLines(const QList<ActivityEntry> &entries)
{
    QByteArray out;
    for (const ActivityEntry &e : entries)
        out += QJsonDocument(e.raw).toJson(QJsonDocument::Compact) + '\n';
    return out;
}

Status ActivityExport::write(const QString &path, const QList<ActivityEntry> &entries)
{
    const QByteArray bytes = formatFor(path) == Format::JsonLines ? toJsonLines(entries) : toText(entries);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return ApiError::internal(QObject::tr("Cannot write %1: %2").arg(QDir::toNativeSeparators(path), file.errorString()));
    if (file.write(bytes) != bytes.size() || !file.commit())
        return ApiError::internal(QObject::tr("Cannot write %1: %2").arg(QDir::toNativeSeparators(path), file.errorString()));
    return Done{};
}
