// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ActivityEntry.h"

#include <QWidget>

#include <optional>

class QCheckBox;
class QLabel;
class QPushButton;
class QTextBrowser;

// The command log's lower half: one entry in full — what ran, how it ended,
// its whole stdout and stderr with ANSI colours rendered (or stripped, a
// checkbox away). Showing the same entry again with more output keeps the
// reader's place, or stays at the end when that is where the reader was.
// A Kill button beside the header is shown while the entry is a running
// command; the pane decides whether it is enabled and what it does.
class ActivityOutputView : public QWidget
{
    Q_OBJECT
public:
    explicit ActivityOutputView(QWidget *parent = nullptr);

    void showEntry(const ActivityEntry &entry);
    void clear();
    std::optional<qint64> shownSeq() const;

    void setColours(bool on);
    bool colours() const;
    // What the reader sees, as plain text (tests, copy).
    QString headerText() const;
    QString outputText() const;
    QPushButton *killButton() const { return m_kill; }
    void setKillEnabled(bool on);

Q_SIGNALS:
    void killRequested();

private:
    void render();

    std::optional<ActivityEntry> m_entry;
    QLabel *m_header;
    QCheckBox *m_colours;
    QPushButton *m_kill;
    QTextBrowser *m_text;
};
