// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Result.h"

#include <QObject>
#include <QPointer>
#include <QStringList>

#include <functional>
#include <optional>

class EngineClient;
class QAction;
class QWidget;
class SandboxListView;
class SandboxModel;
class EngineSet;
class SubmitDialog;

// Every lifecycle action on the selected sandboxes (New, Pause, Resume,
// Kill, Set timeout, Copy ID, Copy Python snippet, Export report), as QActions with
// shortcuts for the toolbar and the context menu. Each runs asynchronously:
// progress and failures (as sentences) are reported through signals, and
// answers update the model at once before the poller's next refresh.
class SandboxActions : public QObject
{
    Q_OBJECT
public:
    struct Context
    {
        QWidget *window = nullptr; // parent of the actions and dialogs
        EngineSet *engines = nullptr; // its router reaches any sandbox
        SandboxListView *list = nullptr;
    };

    explicit SandboxActions(const Context &context, QObject *parent = nullptr);

    QAction *newSandbox() const { return m_new; }
    QAction *pause() const { return m_pause; }
    QAction *resume() const { return m_resume; }
    QAction *kill() const { return m_kill; }
    QAction *setTimeout() const { return m_timeout; }
    QAction *copyId() const { return m_copyId; }
    QAction *copySnippet() const { return m_copySnippet; }
    QAction *exportReport() const { return m_exportReport; }

    void setConfirmKill(bool confirm) { m_confirmKill = confirm; }
    // The engine the list shows alone ("" for all): a new sandbox goes there.
    void setEngineFilter(const QString &name) { m_engineFilter = name; }
    // Enables what applies to the selection and its engines' connections.
    void updateEnabled();
    void openSetTimeout(const QStringList &ids);
    // The dialog that changes one sandbox's network policy, filled with the
    // policy the model holds for it.
    void openNetworkPolicy(const QString &id);
    // Writes the session report of `id` (ReportExport) to `file`, with its
    // progress in busyChanged() like any action; what Export report… does
    // once its dialog has a file name.
    void exportReportTo(const QString &id, const QString &file);
    int pending() const { return m_pending; }

Q_SIGNALS:
    // What is running ("" when nothing is).
    void busyChanged(const QString &text);
    void started();
    void failed(const QString &sentences);
    void message(const QString &text);
    // Every action of a batch has answered.
    void finished();

private:
    using Completion = std::function<void(std::optional<ApiError>)>;
    using Operation = std::function<void(const QString &id, Completion done)>;

    QAction *make(const char *name, const QString &text, int icon, const QKeySequence &key, std::function<void()> slot);
    QStringList selectedIds() const;
    QStringList selectedInState(bool paused) const;
    void runBatch(const QString &doing, const QString &failedVerb, const QStringList &ids, const Operation &op);
    void begin(const QString &text);
    void end();

    // After the engine answered a dialog's request: close it, or show the
    // refusal in it, or (closed meanwhile) report `failure` (with "%1" for
    // the sentence) like any other failure.
    void answerDialog(const QPointer<SubmitDialog> &open, const std::optional<ApiError> &error, const QString &failure);
    void createSandbox();
    void pauseSelected();
    void resumeSelected();
    void killSelected();
    void copyIds();
    void copySnippetText();
    void askForReportFile();
    EngineClient *client() const;
    SandboxModel *model() const;
    // The engine a new sandbox goes to by default: the one the list is
    // filtered to, else the one of the selected sandbox, else the first.
    QString defaultEngine() const;

    Context m_ctx;
    bool m_confirmKill = true;
    QString m_engineFilter;
    int m_pending = 0;
    QAction *m_new;
    QAction *m_pause;
    QAction *m_resume;
    QAction *m_kill;
    QAction *m_timeout;
    QAction *m_copyId;
    QAction *m_copySnippet;
    QAction *m_exportReport;
};
