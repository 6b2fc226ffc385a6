// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QElapsedTimer>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>

// What every benchmark program shares: percentiles, the results table and
// its section in docs/performance.md.
namespace BenchReport {

struct Row
{
    QString what;
    QString figure;
    QString baseline;
    QString goal;
    int pass; // 1 pass, 0 fail, -1 no goal for this row
};

// A program's command line: `--no-write`, `--output FILE`, `--NAME VALUE`.
struct Args
{
    QStringList args;

    QString value(const char *name, const QString &fallback) const;
    bool write() const { return !args.contains(QStringLiteral("--no-write")); }
    // --output, else `fallback` (the docs/performance.md of the source tree).
    QString outputPath(const QString &fallback) const;
};

double percentile(QList<double> samples, double p);
double msSince(const QElapsedTimer &t);
QString fmt(double v, int decimals = 1);
QString markdownTable(const QList<Row> &rows);
// Replaces the text between `<!-- NAME:begin -->` and `<!-- NAME:end -->`
// (adding the pair at the end when missing); false with *error on failure.
bool writeSection(const QString &path, const QString &name, const QString &section, QString *error);
// "Run <date> on N CPUs, kernel …" for a section's first line.
QString machineLine();
// "Load average 0.52 0.61 0.70" from /proc/loadavg, to show how busy the
// machine was.
QString loadLine();
// Ends the program: "<program>: <why>" on stderr, exit status 1, after the
// clean-ups registered with atDie (newest first): a benchmark that fails
// leaves no sandbox running.
[[noreturn]] void die(const QString &why);
void atDie(std::function<void()> cleanUp);

} // namespace BenchReport
