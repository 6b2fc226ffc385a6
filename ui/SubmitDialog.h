// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>

class QDialogButtonBox;
class QLabel;

// A dialog whose OK asks the engine and stays open until it has answered:
// a sentence line (the first problem with the input, or the engine's
// refusal, the input kept to be corrected) over OK and Cancel. Subclasses
// lay out their inputs, put errorLabel() and buttons() under them, report
// their check through setProblem() and turn submitRequested() into their
// own request.
class SubmitDialog : public QDialog
{
    Q_OBJECT
public:
    SubmitDialog(const QString &okText, QWidget *parent = nullptr);

    // "" when the input is valid and the engine has not refused it, else why
    // not, as a sentence.
    QString validationError() const { return m_error; }
    QDialogButtonBox *buttons() const { return m_buttons; }

    // While the engine works: inputs and OK disabled.
    void setBusy(bool busy);
    bool isBusy() const { return m_busy; }
    // The engine refused: its sentence, until the input changes.
    void showEngineError(const QString &sentence);

Q_SIGNALS:
    // OK was pressed, the input is valid and nothing is in flight.
    void submitRequested();

protected:
    QLabel *errorLabel() const { return m_errorLabel; }
    // The result of the subclass's check ("" for none); OK follows it.
    void setProblem(const QString &sentence);
    // Checks the input again and calls setProblem().
    virtual void validate() = 0;
    virtual void setInputsEnabled(bool enabled) = 0;

private:
    void showError(const QString &text);

    QLabel *m_errorLabel;
    QDialogButtonBox *m_buttons;
    QString m_error;
    bool m_busy = false;
};
