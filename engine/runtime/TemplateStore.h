// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "TemplateInfo.h"

#include <QString>
#include <QStringList>

#include <optional>

// Finds built templates: TEMPLATES/NAME/{template.json,rootfs}. Directories
// whose name starts with a dot are a builder's temporary state, never templates.
class TemplateStore
{
public:
    explicit TemplateStore(QString templatesDir = defaultDir());

    static QString defaultDir();
    static bool isValidName(const QString &name);

    QString templatesDir() const { return m_dir; }
    QString templatePath(const QString &name) const;
    QString rootfsPath(const QString &name) const;
    QString infoPath(const QString &name) const;

    // True only for a complete build: template.json exists and parses.
    bool exists(const QString &name) const;
    // std::nullopt when missing or unreadable; *error then tells which
    // (empty for "not built", a sentence for a broken template.json).
    std::optional<TemplateInfo> info(const QString &name, QString *error = nullptr) const;
    // Built templates, sorted.
    QStringList names() const;

    // Templates hold setuid programs owned by the sandboxes' root range
    // (su, mount, passwd…): a local user who reached them would run as that
    // range. Only root, which mounts them, needs the directory. Returns
    // false when the mode cannot be set.
    static bool closeToOthers(const QString &templatesDir);

private:
    QString m_dir;
};
