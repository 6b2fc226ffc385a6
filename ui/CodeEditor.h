// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QPlainTextEdit>

class CodeInputHistory;

// The code console's input: Ctrl+Enter (Cmd+Enter on macOS) asks to run,
// Up on the first line and Down on the last recall earlier inputs, Tab
// indents by four spaces and Enter keeps the line's indentation.
class CodeEditor : public QPlainTextEdit
{
    Q_OBJECT
public:
    explicit CodeEditor(QWidget *parent = nullptr);

    // The inputs to recall (not owned; null: none).
    void setHistory(CodeInputHistory *history) { m_history = history; }

Q_SIGNALS:
    void runRequested();

protected:
    void keyPressEvent(QKeyEvent *event) override;

private:
    bool recall(bool older);
    void showRecalled(const QString &text, bool older);

    CodeInputHistory *m_history = nullptr;
};
