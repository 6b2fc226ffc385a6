// SPDX-License-Identifier: GPL-3.0-or-later
#include "TemplateStore.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>

#include <sys/stat.h>

namespace {
// template.json is a few hundred bytes; refuse to slurp anything absurd.
constexpr qint64 kMaxInfoSize = 1024 * 1024;
}

TemplateStore::TemplateStore(QString templatesDir)
    : m_dir(std::move(templatesDir))
{
}

QString TemplateStore::defaultDir()
{
    return QStringLiteral("/var/lib/ai2in/templates");
}

bool TemplateStore::isValidName(const QString &name)
{
    // Names become path components and appear in URLs; keep them boring.
    static const QRegularExpression re(QStringLiteral("\\A[a-z0-9][a-z0-9._-]{0,62}\\z"));
    return re.match(name).hasMatch();
}

QString TemplateStore::templatePath(const QString &name) const
{
    return m_dir + QLatin1Char('/') + name;
}

QString TemplateStore::rootfsPath(const QString &name) const
{
    return templatePath(name) + QStringLiteral("/rootfs");
}

QString TemplateStore::infoPath(const QString &name) const
{
    return templatePath(name) + QStringLiteral("/template.json");
}

bool TemplateStore::exists(const QString &name) const
{
    return info(name).has_value();
}

std::optional<TemplateInfo> TemplateStore::info(const QString &name, QString *error) const
{
    if (error)
        error->clear();
    if (!isValidName(name))
        return std::nullopt;
    QFile f(infoPath(name));
    if (!f.exists())
        return std::nullopt;
    if (!f.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QStringLiteral("Cannot read %1: %2.").arg(f.fileName(), f.errorString());
        return std::nullopt;
    }
    if (f.size() > kMaxInfoSize) {
        if (error)
            *error = QStringLiteral("%1 is too large to be a template description.").arg(f.fileName());
        return std::nullopt;
    }
    QString why;
    auto parsed = TemplateInfo::fromJsonBytes(f.read(kMaxInfoSize), &why);
    if (!parsed) {
        if (error)
            *error = QStringLiteral("%1 is malformed: %2").arg(f.fileName(), why);
        return std::nullopt;
    }
    if (parsed->name != name) {
        if (error)
            *error = QStringLiteral("%1 describes template \"%2\", not \"%3\".")
                         .arg(f.fileName(), parsed->name, name);
        return std::nullopt;
    }
    return parsed;
}

QStringList TemplateStore::names() const
{
    QStringList out;
    const QStringList entries = QDir(m_dir).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    for (const QString &entry : entries) {
        if (exists(entry))
            out.append(entry);
    }
    return out;
}

bool TemplateStore::closeToOthers(const QString &templatesDir)
{
    return ::chmod(QFile::encodeName(templatesDir).constData(), 0700) == 0;
}
