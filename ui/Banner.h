// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QFrame>

class QLabel;
class QToolButton;

// A one-sentence strip above the list: what went wrong, or what is happening.
class Banner : public QFrame
{
    Q_OBJECT
public:
    enum class Kind { Info, Warning, Error };

    explicit Banner(bool closable, QWidget *parent = nullptr);

    void show(Kind kind, const QString &text);
    void clear();
    QString text() const;
    Kind kind() const { return m_kind; }

private:
    QLabel *m_label;
    QToolButton *m_close = nullptr;
    Kind m_kind = Kind::Info;
};
