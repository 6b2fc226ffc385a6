// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "TemplateBuildProgress.h"
#include "TemplateRecipe.h"
#include "TemplateStore.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QObject>
#include <QStringList>

#include <atomic>
#include <functional>

class QProcess;
class QThread;
class QTimer;

Q_DECLARE_LOGGING_CATEGORY(lcTemplate)

// Builds TEMPLATES/NAME from a recipe: debootstrap, apt-get in a chroot, the
// sandbox user, then shifts every file into the user-namespace id range and
// publishes the tree with one atomic rename. Everything runs asynchronously;
// a failed or cancelled build removes its temporary directory, so
// TEMPLATES/NAME is always either the old complete template or the new one.
class TemplateBuilder : public QObject
{
    Q_OBJECT

public:
    TemplateBuilder(QString templatesDir, QString name, QObject *parent = nullptr);
    ~TemplateBuilder() override;

    // Whether TEMPLATES/NAME was built from the recipe as it is now; false
    // when it is missing, broken, built from an older recipe, or NAME has no
    // recipe; *why (when given) then gets a sentence saying which.
    static bool isCurrent(const TemplateStore &store, const QString &name, QString *why = nullptr);
    // How many mounted sandbox file systems use TEMPLATES/NAME as a layer.
    static int mountedUsers(const TemplateStore &store, const QString &name);
    // AI2IN_DEBIAN_MIRROR, else Debian's redirector.
    static QString defaultMirror();

    void setForce(bool force) { m_force = force; }
    void setMirror(const QString &mirror) { m_mirror = mirror; }
    void setIdRange(uint base, uint count);

    QString name() const { return m_name; }
    bool isRunning() const { return m_running; }

    // finished() is always emitted later, from the event loop, exactly once per start().
    void start();
    // Stops the current step, removes temporary state, then emits finished(false, reason).
    void cancel(const QString &reason);

Q_SIGNALS:
    void progress(int percent, const QString &step);
    void finished(bool ok, const QString &errorSentence);

private:
    enum class Stage { Idle, Cleaning, Bootstrapping, Installing, CreatingUser, Shifting, RemovingOld };
    using LineHandler = void (TemplateBuilder::*)(const QString &line);
    using DoneHandler = void (TemplateBuilder::*)();

    void fail(const QString &sentence);
    void continueFailure();
    void succeed();
    void finish(bool ok, const QString &sentence);
    void report(int percent, const QString &step);

    bool acquireLock();
    void releaseLock();
    void cleanStaleDirs();
    void removeNextStaleDir();
    void createTempDir();
    void runDebootstrap();
    void runInstall();
    void runCreateUser();
    void configureFiles();
    void shiftOwnership();
    void onShiftDone();
    void publish();
    void onOldRemoved();

    // Runs a program in its own process group, so that cancel() can stop the
    // whole tree; output lines go to onLine, a clean exit continues with onDone.
    void runProcess(const QString &what, const QStringList &argv, LineHandler onLine, DoneHandler onDone);
    void runInChroot(const QString &what, const QString &script, LineHandler onLine, DoneHandler onDone);
    void removeTree(const QString &path, DoneHandler onDone);
    void onProcessOutput();
    void onProcessFinished(int exitCode, int exitStatus);
    void killProcessGroup(int signal);

    void onDebootstrapLine(const QString &line);
    void onAptLine(const QString &line);
    void onQuietLine(const QString &) {}

    QString m_templatesDir;
    QString m_name;
    QString m_mirror;
    TemplateRecipe m_recipe;
    bool m_force = false;
    uint m_uidBase = 100000;
    uint m_uidCount = 65536;

    bool m_running = false;
    bool m_failing = false;
    QString m_error;
    Stage m_stage = Stage::Idle;
    QElapsedTimer m_clock;
    int m_percent = -1;
    QString m_step;
    int m_lockFd = -1;

    QString m_tempDir;
    QStringList m_staleDirs;

    QProcess *m_process = nullptr;
    qint64 m_processGroup = 0;
    QString m_processWhat;
    LineHandler m_onLine = nullptr;
    DoneHandler m_onDone = nullptr;
    QByteArray m_pending;
    QStringList m_tail;
    QTimer *m_killTimer = nullptr;

    QThread *m_thread = nullptr;
    std::atomic_bool m_cancelShift{false};
    QString m_shiftError;

    TemplateBuildProgress m_progress;
};
