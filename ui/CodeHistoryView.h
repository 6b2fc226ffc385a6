// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QScrollArea>
#include <QSet>

class CodeCellView;
class CodeSession;
class QTimer;
class QVBoxLayout;

// A code session's history, drawn like a console: one CodeCellView per
// cell, the newest at the bottom, kept in view while the reader is there.
// Changes to a running cell are drawn at most every kFlushMs, however fast
// its output comes, and a bounded amount at a time; a cell that ends is
// drawn at once, or over the next turns when much is left to draw.
class CodeHistoryView : public QScrollArea
{
    Q_OBJECT
public:
    static constexpr int kFlushMs = 30;

    explicit CodeHistoryView(CodeSession *session, QWidget *parent = nullptr);

    CodeSession *session() const { return m_session; }
    CodeCellView *cellView(int index) const;

Q_SIGNALS:
    // The cell ended and is drawn in full.
    void cellFinished(int index);

private:
    void addCell(int index);
    void flush();

    CodeSession *m_session;
    QWidget *m_content;
    QVBoxLayout *m_layout;
    QList<CodeCellView *> m_cells;
    QSet<int> m_dirty;
    QSet<int> m_ending; // ended, to be announced once drawn in full
    QTimer *m_flush;
    bool m_followEnd = true;
};
