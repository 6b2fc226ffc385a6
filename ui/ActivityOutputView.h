// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ActivityEntry.h"

#include <QWidget>

#include <optional>

class QCheckBox;
class QLabel;
class QListWidget;
class QPushButton;
class QTextBrowser;

// The command log's lower half: one entry in full — what ran, how it ended,
// its whole stdout and stderr with ANSI colours rendered (or stripped, a
// checkbox away). Showing the same entry again with more output keeps the
// reader's place, or stays at the end when that is where the reader was.
// A Kill button beside the header is shown while the entry is a running
// command; the pane decides whether it is enabled and what it does. Under
// the header, the files an ended command or cell touched, each with its
// A/M/D mark; a click on one asks for its diff (touchedFileClicked).
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
    QListWidget *touchedList() const { return m_touched; }
    QString touchedTitle() const;
    void setKillEnabled(bool on);

Q_SIGNALS:
    void killRequested();
    void touchedFileClicked(const QString &path);

private:
    void render();
    void renderTouched();

    std::optional<ActivityEntry> m_entry;
    QLabel *m_header;
    QCheckBox *m_colours;
    QPushButton *m_kill;
    QLabel *m_touchedTitle;
    QListWidget *m_touched;
    QTextBrowser *m_text;
};
