// SPDX-License-Identifier: GPL-3.0-or-later
#include "SandboxActions.h"

#include "EngineSet.h"


#include "EngineClient.h"
#include "Formatting.h"
#include "Icons.h"
#include "KillConfirmation.h"
#include "NetworkPolicyDialog.h"
#include "NewSandboxDialog.h"
#include "ReportExport.h"
#include "SandboxListView.h"
#include "SandboxModel.h"
#include "SandboxPoller.h"
#include "SetTimeoutDialog.h"
#include "UiLogging.h"

#include <QAction>
#include <QClipboard>
#include <QDir>
#include <QFileDialog>
#include <QGuiApplication>
#include <QKeySequence>
#include <QPointer>
#include <QWidget>

#include <algorithm>
#include <memory>

namespace {

QString idList(const QStringList &ids)
{
    if (ids.size() <= 3)
        return ids.join(QStringLiteral(", "));
    return QStringList(ids.mid(0, 3)).join(QStringLiteral(", ")) + QStringLiteral(" and %1 more").arg(ids.size() - 3);
}

std::optional<ApiError> errorOf(const auto &result)
{
    return result ? std::nullopt : std::optional<ApiError>(result.error());
}

} // namespace

SandboxActions::SandboxActions(const Context &context, QObject *parent)
    : QObject(parent)
    , m_ctx(context)
{
    m_new = make("actionNew", tr("New sandbox…"), int(Icons::Name::NewSandbox), QKeySequence::New, [this] { createSandbox(); });
    m_pause = make("actionPause", tr("Pause"), int(Icons::Name::Pause), QKeySequence(Qt::CTRL | Qt::Key_P), [this] { pauseSelected(); });
    m_resume = make("actionResume", tr("Resume"), int(Icons::Name::Resume), QKeySequence(Qt::CTRL | Qt::Key_R), [this] { resumeSelected(); });
    m_kill = make("actionKill", tr("Kill…"), int(Icons::Name::Kill), QKeySequence::Delete, [this] { killSelected(); });
    m_timeout = make("actionSetTimeout", tr("Set timeout…"), int(Icons::Name::SetTimeout), QKeySequence(Qt::CTRL | Qt::Key_T),
                     [this] { openSetTimeout(selectedIds()); });
    m_copyId = make("actionCopyId", tr("Copy ID"), int(Icons::Name::CopyId), QKeySequence::Copy, [this] { copyIds(); });
    // A text field's own Ctrl+C wins inside it (it takes the shortcut first).
    m_copyId->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_copySnippet = make("actionCopySnippet", tr("Copy Python snippet"), int(Icons::Name::CopySnippet),
                         QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C), [this] { copySnippetText(); });
    m_exportReport = make("actionExportReport", tr("Export report…"), int(Icons::Name::ExportReport), QKeySequence(),
                          [this] { askForReportFile(); });
    m_exportReport->setToolTip(tr("Write what happened in the sandbox to one HTML file, to attach to a bug report"));
    m_exportReport->setStatusTip(m_exportReport->toolTip());
}

QAction *SandboxActions::make(const char *name, const QString &text, int icon, const QKeySequence &key,
                              std::function<void()> slot)
{
    QWidget *w = m_ctx.window;
    auto *a = new QAction(Icons::get(Icons::Name(icon)), text, w);
    a->setObjectName(QLatin1String(name));
    if (!key.isEmpty()) {
        a->setShortcut(key);
        a->setToolTip(QStringLiteral("%1 (%2)").arg(text, key.toString(QKeySequence::NativeText)));
    }
    connect(a, &QAction::triggered, this, [slot] { slot(); });
    w->addAction(a);
    return a;
}

QStringList SandboxActions::selectedIds() const
{
    return m_ctx.list->selectedIds();
}

QStringList SandboxActions::selectedInState(bool paused) const
{
    QStringList out;
    for (const QString &id : selectedIds()) {
        // Neither pause nor resume applies to a sandbox in error: only kill.
        if (const SandboxInfo *s = model()->find(id);
            s && s->state == (paused ? SandboxState::Paused : SandboxState::Running))
            out.append(id);
    }
    return out;
}

void SandboxActions::updateEnabled()
{
    const QStringList ids = selectedIds();
    const bool any = !ids.isEmpty();
    // New needs an engine that answers; the rest, the engines of every
    // selected sandbox (a greyed row's engine is away).
    m_new->setEnabled(m_ctx.engines->anyConnected());
    const bool online = std::all_of(ids.cbegin(), ids.cend(), [this](const QString &id) {
        const EngineSet::Engine *e = m_ctx.engines->engineOf(id);
        return e && e->poller->connection() == SandboxPoller::Connection::Connected;
    });
    m_pause->setEnabled(online && !selectedInState(false).isEmpty());
    m_resume->setEnabled(online && !selectedInState(true).isEmpty());
    m_kill->setEnabled(online && any);
    m_timeout->setEnabled(online && any);
    m_copyId->setEnabled(any);
    m_copySnippet->setEnabled(any);
    m_exportReport->setEnabled(online && selectedIds().size() == 1);
}

void SandboxActions::begin(const QString &text)
{
    ++m_pending;
    Q_EMIT started();
    Q_EMIT busyChanged(text);
}

void SandboxActions::end()
{
    if (--m_pending > 0)
        return;
    m_pending = 0;
    Q_EMIT busyChanged({});
    Q_EMIT finished();
}

void SandboxActions::runBatch(const QString &doing, const QString &failedVerb, const QStringList &ids, const Operation &op)
{
    if (ids.isEmpty())
        return;
    begin(doing);
    struct Batch
    {
        int left = 0;
        QStringList errors;
    };
    auto batch = std::make_shared<Batch>();
    batch->left = int(ids.size());
    for (const QString &id : ids) {
        op(id, [this, batch, id, failedVerb](std::optional<ApiError> error) {
            if (error) {
                qCInfo(lcUi) << failedVerb << id << "failed:" << error->message;
                batch->errors.append(tr("Could not %1 %2: %3").arg(failedVerb, id, error->message));
            }
            if (--batch->left > 0)
                return;
            if (!batch->errors.isEmpty())
                Q_EMIT failed(batch->errors.join(QLatin1Char('\n')));
            m_ctx.engines->pollNow();
            end();
        });
    }
}

void SandboxActions::answerDialog(const QPointer<SubmitDialog> &open, const std::optional<ApiError> &error,
                                  const QString &failure)
{
    if (!error) {
        if (open)
            open->accept();
    } else if (open && open->isVisible()) {
        // The input stays, with the engine's sentence, to be corrected.
        open->setBusy(false);
        open->showEngineError(error->message);
    } else {
        Q_EMIT failed(failure.arg(error->message));
    }
}

EngineClient *SandboxActions::client() const
{
    return m_ctx.engines->router();
}

SandboxModel *SandboxActions::model() const
{
    return m_ctx.engines->model();
}

QString SandboxActions::defaultEngine() const
{
    if (m_ctx.engines->engine(m_engineFilter))
        return m_engineFilter;
    const QStringList ids = selectedIds();
    if (!ids.isEmpty() && m_ctx.engines->engineOf(ids.first()))
        return m_ctx.engines->engineOf(ids.first())->name;
    const QStringList names = m_ctx.engines->names();
    return names.isEmpty() ? QString() : names.first();
}

void SandboxActions::createSandbox()
{
    auto *dialog = new NewSandboxDialog(m_ctx.window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    const QPointer<SubmitDialog> open(dialog);
    // Each engine offers the templates it has built.
    auto offerTemplates = [this, dialog](const QString &engine) {
        EngineClient *target = m_ctx.engines->client(engine);
        if (!target)
            return;
        target->templates(dialog, [dialog, engine](Result<QList<TemplateSummary>> r) {
            if (!r || dialog->engine() != engine)
                return; // the field stays free text
            QStringList names;
            for (const TemplateSummary &t : *r)
                names << t.name;
            dialog->setTemplates(names);
        });
    };
    connect(dialog, &NewSandboxDialog::engineChosen, this, offerTemplates);
    dialog->setEngines(m_ctx.engines->names(), defaultEngine());
    offerTemplates(dialog->engine());
    connect(dialog, &NewSandboxDialog::submitted, this, [this, open, dialog](const QJsonObject &body) {
        const QString engine = dialog->engine();
        EngineClient *target = m_ctx.engines->client(engine);
        if (!target) {
            answerDialog(open, ApiError::internal(tr("The app no longer watches the engine '%1'.").arg(engine)),
                         tr("Could not create the sandbox: %1"));
            return;
        }
        open->setBusy(true);
        begin(tr("Creating a sandbox from '%1'…").arg(body.value(QStringLiteral("template")).toString()));
        target->createSandbox(body, this, [this, open, engine](Result<SandboxInfo> r) {
            if (r) {
                model()->upsert(*r, engine);
                m_ctx.list->selectIds({r->id});
                Q_EMIT message(tr("Created %1.").arg(r->id));
            }
            // The engine's refusal, in the dialog's own words.
            std::optional<ApiError> refusal = errorOf(r);
            if (refusal)
                refusal->message = NewSandboxDialog::inDialogWords(refusal->message);
            answerDialog(open, refusal, tr("Could not create the sandbox: %1"));
            m_ctx.engines->pollNow();
            end();
        });
    });
    dialog->open();
}

void SandboxActions::openNetworkPolicy(const QString &id)
{
    const SandboxInfo *info = model()->find(id);
    if (!info)
        return;
    auto *dialog = new NetworkPolicyDialog(id, info->netAddress, info->network, m_ctx.window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    const QPointer<SubmitDialog> open(dialog);
    connect(dialog, &NetworkPolicyDialog::submitted, this, [this, id, open](const NetworkPolicy &policy) {
        open->setBusy(true);
        begin(tr("Changing the network policy of %1…").arg(id));
        client()->updateNetwork(id, policy, this, [this, id, open](Result<SandboxInfo> r) {
            if (r) {
                model()->upsert(*r);
                Q_EMIT message(tr("Changed the network policy of %1.").arg(id));
            }
            answerDialog(open, errorOf(r), tr("Could not change the network policy of %1: %2").arg(id, QStringLiteral("%1")));
            end();
        });
    });
    dialog->open();
}

void SandboxActions::pauseSelected()
{
    const QStringList ids = selectedInState(false);
    runBatch(tr("Pausing %1…").arg(idList(ids)), tr("pause"), ids, [this](const QString &id, Completion done) {
        client()->pause(id, this, [this, done](Result<SandboxInfo> r) {
            if (r)
                model()->upsert(*r);
            done(errorOf(r));
        });
    });
}

void SandboxActions::resumeSelected()
{
    const QStringList ids = selectedInState(true);
    runBatch(tr("Resuming %1…").arg(idList(ids)), tr("resume"), ids, [this](const QString &id, Completion done) {
        client()->resume(id, this, [this, done](Result<SandboxInfo> r) {
            if (r)
                model()->upsert(*r);
            done(errorOf(r));
        });
    });
}

void SandboxActions::killSelected()
{
    const QStringList ids = selectedIds();
    if (ids.isEmpty())
        return;
    auto kill = [this, ids] {
        runBatch(tr("Killing %1…").arg(idList(ids)), tr("kill"), ids, [this](const QString &id, Completion done) {
            client()->kill(id, this, [this, id, done](Result<Done> r) {
                if (r)
                    model()->removeSandbox(id);
                done(errorOf(r));
            });
        });
    };
    if (!m_confirmKill) {
        kill();
        return;
    }
    const QString what = ids.size() == 1 ? tr("Kill %1?").arg(ids.first())
                                         : tr("Kill %n sandboxes (%1)?", nullptr, int(ids.size())).arg(idList(ids));
    KillConfirmation::ask(m_ctx.window, QStringLiteral("killConfirm"), tr("Kill sandboxes"), what,
                          ids.size() == 1 ? tr("Its processes stop and its whole filesystem is destroyed. This cannot be "
                                               "undone.")
                                          : tr("Their processes stop and their whole filesystems are destroyed. This "
                                               "cannot be undone."),
                          kill);
}

void SandboxActions::openSetTimeout(const QStringList &ids)
{
    if (ids.isEmpty())
        return;
    auto *dialog = new SetTimeoutDialog(ids, m_ctx.window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        const qint64 seconds = dialog->seconds();
        const QStringList targets = dialog->ids();
        runBatch(tr("Setting the timeout of %1…").arg(idList(targets)), tr("set the timeout of"), targets,
                 [this, seconds](const QString &id, Completion done) {
                     client()->setTimeout(id, seconds, this, [this, done](Result<SandboxInfo> r) {
                         if (r)
                             model()->upsert(*r);
                         done(errorOf(r));
                     });
                 });
    });
    dialog->open();
}

void SandboxActions::copyIds()
{
    const QStringList ids = selectedIds();
    if (ids.isEmpty())
        return;
    QGuiApplication::clipboard()->setText(ids.join(QLatin1Char('\n')));
    Q_EMIT message(tr("Copied %1.").arg(idList(ids)));
}

void SandboxActions::copySnippetText()
{
    const QStringList ids = selectedIds();
    if (ids.isEmpty())
        return;
    QGuiApplication::clipboard()->setText(Formatting::pythonSnippet(ids));
    Q_EMIT message(tr("Copied a Python snippet for %1.").arg(idList(ids)));
}

void SandboxActions::askForReportFile()
{
    const QStringList ids = selectedIds();
    if (ids.size() != 1)
        return;
    const QString id = ids.first();
    QFileDialog *dialog = ReportExport::fileDialog(m_ctx.window, id);
    connect(dialog, &QFileDialog::fileSelected, this, [this, id](const QString &file) { exportReportTo(id, file); });
    // open(), not exec(): no nested event loop.
    dialog->open();
}

void SandboxActions::exportReportTo(const QString &id, const QString &file)
{
    begin(tr("Gathering the report of %1…").arg(id));
    auto *job = new ReportExport(client(), this);
    connect(job, &ReportExport::progress, this, &SandboxActions::busyChanged);
    connect(job, &ReportExport::finished, this, [this, job, id](const QString &written, const QString &problem) {
        job->deleteLater();
        if (problem.isEmpty())
            Q_EMIT message(tr("Wrote the report of %1 to %2.").arg(id, QDir::toNativeSeparators(written)));
        else
            Q_EMIT failed(tr("Could not export the report of %1: %2").arg(id, problem));
        end();
    });
    job->start(id, file);
}
