// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QSet>
#include <QString>

// Pure helpers for the sandbox's (POSIX) paths and the file API's URLs.
// Remote paths always use '/', whatever the desktop's own system is.
namespace FileNames {

// The first of "name", "name (1).ext", "name (2).ext", … that is not in
// `taken`. The extension is what follows the last dot, unless the name
// starts with it (".bashrc" → ".bashrc (1)").
QString freeName(const QString &name, const QSet<QString> &taken);
// "/a/b" + "c" → "/a/b/c"; "/" + "c" → "/c".
QString join(const QString &dir, const QString &name);
// "/a/b/c" → "/a/b"; "/a" → "/"; "/" → "/".
QString parentOf(const QString &path);
// "/a/b/c" → "c"; "/" → "/".
QString baseName(const QString &path);
// Absolute, no trailing slash, no empty or "." segments; "" for an empty
// input. ".." is left for the engine, which keeps it inside the sandbox.
QString normalized(const QString &path);
bool isHidden(const QString &name);
// A name a file may take: not empty, not "." or "..", no '/' and no NUL.
bool isValidName(const QString &name);

} // namespace FileNames
