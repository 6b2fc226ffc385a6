// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

// What a template is built from: a Debian suite, its packages, and the
// scripts and files the builder runs and writes in the tree. The builder
// keeps the recipe's fingerprint in template.json, so a template built from
// an older recipe is known to be out of date and is rebuilt, not kept.
struct TemplateRecipe
{
    struct File
    {
        QString path; // inside the tree
        QByteArray content;
    };

    QString name;
    QString suite;
    QStringList packages;
    // Packages that only steer apt's choice between alternatives; marked
    // automatically installed after the install.
    QStringList resolverHints;
    uint sandboxUid = 1000;

    static QStringList names();
    static std::optional<TemplateRecipe> find(const QString &name);

    // Run by /bin/sh in the tree after debootstrap: apt's settings, the
    // packages, apt's cleanup.
    QString installScript() const;
    // Run after installScript: the sandbox user and its sudo rights.
    QString userScript() const;
    // Written into the tree after userScript.
    QList<File> files() const;
    // "sha256:" and the hex digest of all of the above.
    QString fingerprint() const;
};
