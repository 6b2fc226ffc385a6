// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "CodeCell.h"

#include <QFrame>
#include <QImage>
#include <QList>
#include <QUrl>

class CodeSession;
class QLabel;
class QTextBrowser;
class QTextCharFormat;
class QTextCursor;

// One entry of the code console's history, drawn: "[3]", the code, and the
// outputs in one QTextBrowser (images as document resources), with how long
// it took. refresh() draws only what the cell gained since the last call:
// new outputs are appended, the newest stream line is redrawn (so carriage
// return progress bars show their last state), the kept tail of a cell
// past its limit replaces the one shown before. One call draws at most
// about kCharsPerRefresh characters (a line break counting as many), so a
// flood of output is drawn over several turns of the event loop instead of
// freezing it.
class CodeCellView : public QFrame
{
    Q_OBJECT
public:
    CodeCellView(const CodeSession *session, int index, QWidget *parent = nullptr);

    int index() const { return m_index; }
    // True when the cell is drawn in full; false when more is left for
    // another call.
    bool refresh();

    // What the reader sees, as plain text (tests, copy).
    QString promptText() const;
    QString factsText() const;
    QString outputText() const;
    QList<QImage> images() const { return m_images; }
    QTextBrowser *outputView() const { return m_output; }

    // The widest an image is shown (it is kept and saved at full size).
    static constexpr int kMaxImageWidth = 900;
    static constexpr qsizetype kCharsPerRefresh = 32 * 1024;

private:
    const CodeCell &cell() const;
    void refreshHeader();
    bool refreshOutputs();
    QTextCursor insertionCursor();
    void continueStream(QTextCursor &c, const CodeCell::Output &o, qsizetype &budget);
    void writeOutput(QTextCursor &c, const CodeCell::Output &o, qsizetype &budget);
    void writeResult(QTextCursor &c, const CodeResult &r);
    void writeError(QTextCursor &c, const CodeError &e);
    void writeTail(QTextCursor &c);
    void writeAnsi(QTextCursor &c, QStringView text, const QTextCharFormat &base);
    void writeText(QTextCursor &c, const QString &text);
    void writeImage(QTextCursor &c, const QImage &image);
    void writeNote(QTextCursor &c, const QString &text);
    void startBlock(QTextCursor &c);
    void fitHeight(const QSizeF &documentSize);
    void showContextMenu(const QPoint &pos);
    void saveImage(int which);

    const CodeSession *m_session;
    int m_index;
    QLabel *m_prompt;
    QLabel *m_code;
    QLabel *m_facts;
    QTextBrowser *m_output;

    QList<QImage> m_images;
    int m_shownOutputs = 0;
    // The stream output being drawn: where its unfinished line starts in
    // its text and in the document.
    qsizetype m_lineInText = 0;
    int m_lineInDoc = 0;
    qsizetype m_shownChars = 0;
    // The tail region at the document's end (-1: none yet).
    int m_tailStart = -1;
    quint64 m_shownTail = 0;
};
