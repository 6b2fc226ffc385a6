// SPDX-License-Identifier: GPL-3.0-or-later
#include "CodeEditor.h"

#include "CodeInputHistory.h"

#include <QFontDatabase>
#include <QKeyEvent>
#include <QTextBlock>

namespace {
constexpr int kIndent = 4;
} // namespace

CodeEditor::CodeEditor(QWidget *parent)
    : QPlainTextEdit(parent)
{
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setLineWrapMode(QPlainTextEdit::NoWrap);
    setTabChangesFocus(false);
    setPlaceholderText(tr("Python code — Ctrl+Enter runs it; Up and Down recall earlier inputs"));
}

void CodeEditor::keyPressEvent(QKeyEvent *event)
{
    const Qt::KeyboardModifiers mods = event->modifiers() & ~Qt::KeypadModifier;
    const bool enter = event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter;
    if (enter && mods == Qt::ControlModifier) {
        Q_EMIT runRequested();
        event->accept();
        return;
    }
    if (mods == Qt::NoModifier) {
        if ((event->key() == Qt::Key_Up && recall(true)) || (event->key() == Qt::Key_Down && recall(false))) {
            event->accept();
            return;
        }
        if (event->key() == Qt::Key_Tab) {
            textCursor().insertText(QString(kIndent, QLatin1Char(' ')));
            event->accept();
            return;
        }
        if (enter) {
            const QString line = textCursor().block().text();
            qsizetype indent = 0;
            while (indent < line.size() && line.at(indent) == QLatin1Char(' '))
                ++indent;
            textCursor().insertText(QLatin1Char('\n') + QString(indent, QLatin1Char(' ')));
            ensureCursorVisible();
            event->accept();
            return;
        }
    }
    QPlainTextEdit::keyPressEvent(event);
}

bool CodeEditor::recall(bool older)
{
    if (!m_history)
        return false;
    // Only at the edge: elsewhere Up and Down move between lines as usual.
    QTextCursor probe = textCursor();
    if (probe.movePosition(older ? QTextCursor::Up : QTextCursor::Down))
        return false;
    const std::optional<QString> text = older ? m_history->older(toPlainText()) : m_history->newer();
    if (!text)
        return false;
    showRecalled(*text, older);
    return true;
}

void CodeEditor::showRecalled(const QString &text, bool older)
{
    setPlainText(text);
    // Going back lands on the first line, so Up again goes further back;
    // going forward lands on the last.
    QTextCursor c = textCursor();
    if (older) {
        c.movePosition(QTextCursor::Start);
        c.movePosition(QTextCursor::EndOfLine);
    } else {
        c.movePosition(QTextCursor::End);
    }
    setTextCursor(c);
}
