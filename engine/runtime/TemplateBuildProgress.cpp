// SPDX-License-Identifier: GPL-3.0-or-later
#include "TemplateBuildProgress.h"

#include <QStringList>

namespace {
// debootstrap --variant=minbase of bookworm installs about this many packages;
// only used to scale progress before the real count is known.
constexpr int kEstimatedBasePackages = 90;
} // namespace

QString TemplateBuildProgress::packageOf(const QString &word)
{
    QString name = word;
    const qsizetype colon = name.indexOf(QLatin1Char(':'));
    if (colon > 0)
        name.truncate(colon);
    while (name.endsWith(QLatin1Char('.')))
        name.chop(1);
    return name;
}

std::optional<TemplateBuildProgress::Step> TemplateBuildProgress::debootstrapLine(const QString &line)
{
    if (!line.startsWith(QLatin1String("I: ")))
        return std::nullopt;
    const QStringList words = line.mid(3).split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (words.isEmpty())
        return std::nullopt;
    const QString &verb = words.constFirst();
    const QString pkg = words.size() >= 2 ? packageOf(words.at(1)) : QString();

    // Per-package lines come in four passes over the same set of packages.
    auto pass = [&](const QString &phase, int from, int to, const QString &label) {
        if (m_debPhase != phase) {
            m_debPhase = phase;
            m_debTotal = qMax(m_debTotal, m_debRetrieved);
            m_debDone = 0;
        }
        ++m_debDone;
        const int total = qMax(m_debTotal, m_debDone);
        return Step{from + (to - from) * m_debDone / total, QStringLiteral("%1 %2").arg(label, pkg)};
    };

    if (verb == QLatin1String("Retrieving") && words.size() >= 3) {
        // "Retrieving Packages" / "Retrieving InRelease" have no version word.
        ++m_debRetrieved;
        return Step{3 + 17 * qMin(m_debRetrieved, kEstimatedBasePackages) / kEstimatedBasePackages,
                    QStringLiteral("Downloading %1").arg(pkg)};
    }
    if (verb == QLatin1String("Extracting") && words.size() == 2)
        return pass(QStringLiteral("extract"), 20, 26, QStringLiteral("Extracting"));
    // "Unpacking required packages..." and "Unpacking the base system..." have more words.
    if (verb == QLatin1String("Unpacking") && words.size() == 2)
        return pass(QStringLiteral("unpack"), 26, 34, QStringLiteral("Unpacking"));
    if (verb == QLatin1String("Configuring") && words.size() == 2)
        return pass(QStringLiteral("configure"), 34, 45, QStringLiteral("Configuring"));
    if (line.contains(QLatin1String("Installing core packages")))
        return Step{26, QStringLiteral("Installing core packages")};
    if (line.contains(QLatin1String("Base system installed successfully")))
        return Step{45, QStringLiteral("Base system installed")};
    return std::nullopt;
}

std::optional<TemplateBuildProgress::Step> TemplateBuildProgress::aptLine(const QString &line)
{
    const QStringList words = line.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (words.isEmpty())
        return std::nullopt;
    const QString &first = words.constFirst();

    if (line.startsWith(QLatin1String("Reading package lists"))) {
        if (m_aptUpdated)
            return std::nullopt;
        m_aptUpdated = true;
        return Step{48, QStringLiteral("Resolving packages")};
    }
    // "12 upgraded, 160 newly installed, 0 to remove and 0 not upgraded."
    if (line.contains(QLatin1String(" newly installed"))) {
        const int upgraded = first.toInt();
        const int installed = words.size() > 2 ? words.at(2).toInt() : 0;
        m_aptTotal = upgraded + installed;
        return std::nullopt;
    }
    if (first.startsWith(QLatin1String("Get:"))) {
        // During "apt-get update" there is no total yet; those are index files.
        if (m_aptTotal <= 0)
            return std::nullopt;
        ++m_aptFetched;
        const QString pkg = words.size() > 4 ? words.at(4) : QString();
        return Step{48 + 14 * qMin(m_aptFetched, m_aptTotal) / m_aptTotal, QStringLiteral("Downloading %1").arg(pkg)};
    }
    const bool unpacking = first == QLatin1String("Unpacking");
    const bool settingUp = line.startsWith(QLatin1String("Setting up "));
    if ((unpacking || settingUp) && m_aptTotal > 0) {
        ++m_aptSteps;
        const QString pkg = packageOf(words.value(settingUp ? 2 : 1));
        return Step{62 + 26 * qMin(m_aptSteps, 2 * m_aptTotal) / (2 * m_aptTotal),
                    QStringLiteral("%1 %2").arg(unpacking ? QStringLiteral("Installing") : QStringLiteral("Configuring"), pkg)};
    }
    if (line.startsWith(QLatin1String("Processing triggers")))
        return Step{-1, QStringLiteral("Processing triggers")};
    return std::nullopt;
}
