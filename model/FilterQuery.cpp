// SPDX-License-Identifier: GPL-3.0-or-later
#include "FilterQuery.h"

namespace {

QStringList splitWords(const QString &text)
{
    QStringList out;
    QString cur;
    bool quoted = false;
    for (const QChar c : text) {
        if (c == QLatin1Char('"')) {
            quoted = !quoted;
            continue;
        }
        if (c.isSpace() && !quoted) {
            if (!cur.isEmpty())
                out.append(cur);
            cur.clear();
            continue;
        }
        cur.append(c);
    }
    if (!cur.isEmpty())
        out.append(cur);
    return out;
}

} // namespace

FilterQuery FilterQuery::parse(const QString &text)
{
    FilterQuery q;
    for (const QString &w : splitWords(text)) {
        const qsizetype eq = w.indexOf(QLatin1Char('='));
        // "=x" has no key: it is an ordinary word, like any other text.
        if (eq > 0)
            q.metadata.append({w.left(eq), w.mid(eq + 1)});
        else
            q.words.append(w.toLower());
    }
    return q;
}

bool FilterQuery::matches(const SandboxInfo &info) const
{
    for (const auto &pair : metadata) {
        const auto it = info.metadata.constFind(pair.first);
        if (it == info.metadata.cend() || *it != pair.second)
            return false;
    }
    for (const QString &w : words) {
        bool found = info.id.contains(w, Qt::CaseInsensitive) || info.templateName.contains(w, Qt::CaseInsensitive);
        for (auto it = info.metadata.cbegin(); !found && it != info.metadata.cend(); ++it)
            found = it.key().contains(w, Qt::CaseInsensitive) || it.value().contains(w, Qt::CaseInsensitive);
        if (!found)
            return false;
    }
    return true;
}
