// SPDX-License-Identifier: GPL-3.0-or-later
#include "BenchReport.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSysInfo>
#include <QThread>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cmath>
#include <vector>

namespace BenchReport {

double percentile(QList<double> samples, double p)
{
    if (samples.isEmpty())
        return 0;
    std::sort(samples.begin(), samples.end());
    // Nearest rank: the smallest sample with at least p of them at or below.
    const qsizetype rank = qsizetype(std::ceil(p * samples.size()));
    return samples.at(std::clamp<qsizetype>(rank - 1, 0, samples.size() - 1));
}

double msSince(const QElapsedTimer &t)
{
    return double(t.nsecsElapsed()) / 1e6;
}

QString Args::value(const char *name, const QString &fallback) const
{
    const qsizetype at = args.indexOf(QString::fromLatin1(name));
    return at > 0 ? args.value(at + 1) : fallback;
}

QString Args::outputPath(const QString &fallback) const
{
    return QDir::cleanPath(value("--output", fallback));
}

QString fmt(double v, int decimals)
{
    return QString::number(v, 'f', decimals);
}

QString markdownTable(const QList<Row> &rows)
{
    QString t = QStringLiteral("| measure | ai2ind | baseline | goal | result |\n| --- | --- | --- | --- | --- |\n");
    for (const Row &r : rows)
        t += QStringLiteral("| %1 | %2 | %3 | %4 | %5 |\n")
                 .arg(r.what, r.figure, r.baseline, r.goal,
                      r.pass < 0 ? QStringLiteral("—") : r.pass ? QStringLiteral("pass") : QStringLiteral("**fail**"));
    return t;
}

bool writeSection(const QString &path, const QString &name, const QString &section, QString *error)
{
    const QString begin = QStringLiteral("<!-- %1:begin -->").arg(name);
    const QString end = QStringLiteral("<!-- %1:end -->").arg(name);
    QString text;
    QFile f(path);
    if (f.open(QIODevice::ReadOnly)) {
        text = QString::fromUtf8(f.readAll());
        f.close();
    } else {
        text = QStringLiteral(
            "# Performance\n\n"
            "Figures written by the programs in `bench/`, each against a baseline measured\n"
            "in the same run on the same machine. Re-run them from `build/bench/`\n"
            "(as root, with the `base` template built).\n\n");
    }
    const QString block = begin + QLatin1Char('\n') + section + end;
    const qsizetype b = text.indexOf(begin);
    const qsizetype e = text.indexOf(end);
    if (b >= 0 && e > b)
        text.replace(b, e + end.size() - b, block);
    else
        text += (text.endsWith(QLatin1Char('\n')) ? QString() : QStringLiteral("\n")) + block + QLatin1Char('\n');
    QDir().mkpath(QFileInfo(path).absolutePath());
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, f.errorString());
        return false;
    }
    f.write(text.toUtf8());
    return true;
}

QString machineLine()
{
    return QStringLiteral("Run %1 on %2 CPUs, kernel %3 (%4).")
        .arg(QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'")))
        .arg(QThread::idealThreadCount())
        .arg(QSysInfo::kernelVersion(), QSysInfo::currentCpuArchitecture());
}

QString loadLine()
{
    QFile f(QStringLiteral("/proc/loadavg"));
    if (!f.open(QIODevice::ReadOnly))
        return QStringLiteral("Load average unknown.");
    return QStringLiteral("Load average %1.").arg(QString::fromLatin1(f.readAll()).section(QLatin1Char(' '), 0, 2));
}

namespace {
std::vector<std::function<void()>> &cleanUps()
{
    static std::vector<std::function<void()>> all;
    return all;
}
} // namespace

void atDie(std::function<void()> cleanUp)
{
    cleanUps().push_back(std::move(cleanUp));
}

void die(const QString &why)
{
    std::fprintf(stderr, "%s: %s\n", qPrintable(QCoreApplication::applicationName()), qPrintable(why));
    auto &all = cleanUps();
    while (!all.empty()) {
        auto last = std::move(all.back());
        all.pop_back();
        last();
    }
    std::exit(1);
}

} // namespace BenchReport
