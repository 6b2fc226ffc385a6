// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "SandboxInfo.h"

#include <QWidget>

class QTableWidget;

// A two-column key/value table: editable (with Add/Remove) in the New
// sandbox dialog, read-only for metadata in the Overview tab.
class KeyValueTable : public QWidget
{
    Q_OBJECT
public:
    KeyValueTable(bool editable, const QString &keyHeader, QWidget *parent = nullptr);

    void setPairs(const StringMap &pairs);
    // Rows with an empty key are skipped; a repeated key keeps the last value.
    StringMap pairs() const;
    // Keys that appear more than once ("" when none).
    QString duplicateKey() const;
    void addPair(const QString &key, const QString &value);
    QTableWidget *table() const { return m_table; }

Q_SIGNALS:
    void changed();

private:
    QTableWidget *m_table;
};
