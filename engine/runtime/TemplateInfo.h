// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

// What TEMPLATES/NAME/template.json says about a built template. Its presence
// (parseable) is what makes a template "built".
struct TemplateInfo
{
    QString name;
    QDateTime createdAt;
    // Host ids that the template's root (uid/gid 0) and the rest of its ids are shifted to.
    uint uidBase = 100000;
    uint uidCount = 65536;
    QStringList packages;
    QString suite = QStringLiteral("bookworm");
    // TemplateRecipe::fingerprint() of the recipe it was built from; empty
    // for templates built before fingerprints were kept (out of date).
    QString recipe;

    QJsonObject toJson() const;
    QByteArray toJsonBytes() const;

    // On failure *error gets a sentence naming what is wrong.
    static std::optional<TemplateInfo> fromJson(const QJsonObject &o, QString *error = nullptr);
    static std::optional<TemplateInfo> fromJsonBytes(const QByteArray &bytes, QString *error = nullptr);

    friend bool operator==(const TemplateInfo &, const TemplateInfo &) = default;
};
