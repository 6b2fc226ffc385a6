// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <optional>

// Turns the output lines of debootstrap and of apt-get in a template build
// into progress: a percent of the whole build and the step to show. Fed one
// line at a time, in order; keeps only counts. debootstrap takes 3–45 %,
// apt-get 45–88 %; the rest is the builder's own.
class TemplateBuildProgress
{
public:
    struct Step
    {
        int percent = -1; // -1: where it was
        QString text;
    };

    std::optional<Step> debootstrapLine(const QString &line);
    std::optional<Step> aptLine(const QString &line);

    // "Unpacking libpython3.11-stdlib:amd64 (3.11.2-6) ..." -> "libpython3.11-stdlib"
    // "Extracting adduser..." -> "adduser"
    static QString packageOf(const QString &word);

private:
    int m_debRetrieved = 0;
    int m_debTotal = 0;
    int m_debDone = 0;
    QString m_debPhase;
    int m_aptTotal = 0;
    int m_aptFetched = 0;
    int m_aptSteps = 0;
    bool m_aptUpdated = false;
};
