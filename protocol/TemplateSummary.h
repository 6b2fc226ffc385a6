// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

// One template as `GET /v1/templates` lists it (docs/api.md, "Templates");
// the engine writes it, the app reads it.
struct TemplateSummary
{
    QString name;
    QString suite;
    QDateTime createdAt;
    QStringList packages;
    // Sandboxes of it started ahead and ready: a create takes one at once.
    int warm = 0;

    QJsonObject toJson() const;
    // Pure: the body of `GET /v1/templates`, or a sentence saying what is
    // wrong with it.
    static Result<QList<TemplateSummary>> parseList(const QByteArray &body);
    static QJsonObject listJson(const QList<TemplateSummary> &templates);

    bool operator==(const TemplateSummary &) const = default;
};
