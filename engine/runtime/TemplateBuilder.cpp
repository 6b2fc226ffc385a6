// SPDX-License-Identifier: GPL-3.0-or-later
#include "TemplateBuilder.h"

#include "MountInfo.h"
#include "TemplateOwnership.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStandardPaths>
#include <QThread>
#include <QTimer>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <utility>

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcTemplate, "ai2in.engine.template")

namespace {

constexpr int kTailLines = 40;
constexpr int kKillGraceMs = 10000;

QString errnoText(int err)
{
    return QString::fromLocal8Bit(strerror(err));
}

QString findTool(const QString &tool)
{
    // root's PATH usually has the sbin dirs, sudo's secure_path too, but a
    // service manager's may not.
    QString path = QStandardPaths::findExecutable(tool);
    if (path.isEmpty())
        path = QStandardPaths::findExecutable(tool, {QStringLiteral("/usr/sbin"), QStringLiteral("/sbin"),
                                                     QStringLiteral("/usr/bin"), QStringLiteral("/bin")});
    return path;
}

// Deleting through a bind mount of /dev or /proc would wreck the host, so a
// tree is only removed once nothing is mounted inside it.
bool ensureNothingMounted(const QString &dir, QString *error)
{
    const QString real = QFileInfo(dir).canonicalFilePath();
    if (real.isEmpty())
        return true; // already gone
    for (const QString &mountPoint : MountInfo::mountsUnder(real)) {
        qCWarning(lcTemplate) << "detaching leftover mount" << mountPoint;
        if (umount2(QFile::encodeName(mountPoint).constData(), MNT_DETACH | UMOUNT_NOFOLLOW) != 0)
            qCWarning(lcTemplate) << "cannot detach" << mountPoint << errnoText(errno);
    }
    const QStringList left = MountInfo::mountsUnder(real);
    if (!left.isEmpty()) {
        *error = QStringLiteral("%1 is still mounted, so %2 was not removed; unmount it and run the build again.")
                     .arg(left.constFirst(), real);
        return false;
    }
    return true;
}

QString makeTempDir(const QString &pattern, QString *error)
{
    QByteArray templ = QFile::encodeName(pattern);
    if (!mkdtemp(templ.data())) {
        *error = QStringLiteral("Cannot create a temporary directory like %1: %2.").arg(pattern, errnoText(errno));
        return {};
    }
    chmod(templ.constData(), 0755);
    return QFile::decodeName(templ);
}

bool writeFile(const QString &path, const QByteArray &content, QString *error)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(content) != content.size() || !f.flush()) {
        *error = QStringLiteral("Cannot write %1: %2.").arg(path, f.errorString());
        return false;
    }
    fsync(f.handle());
    f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup | QFileDevice::ReadOther);
    return true;
}

} // namespace

TemplateBuilder::TemplateBuilder(QString templatesDir, QString name, QObject *parent)
    : QObject(parent)
    , m_templatesDir(QDir::cleanPath(QFileInfo(templatesDir).absoluteFilePath()))
    , m_name(std::move(name))
    , m_mirror(defaultMirror())
{
}

TemplateBuilder::~TemplateBuilder()
{
    // Destroying a running builder is a programming error upstream, but it
    // must not leave a thread writing into freed memory or an orphaned tree.
    if (m_thread) {
        m_cancelShift = true;
        m_thread->wait();
    }
    if (m_process) {
        killProcessGroup(SIGKILL);
        m_process->disconnect(this);
    }
    releaseLock();
}

bool TemplateBuilder::isCurrent(const TemplateStore &store, const QString &name, QString *why)
{
    const auto recipe = TemplateRecipe::find(name);
    QString error;
    const auto info = store.info(name, &error);
    QString reason;
    if (!recipe)
        reason = QStringLiteral("There is no recipe for template %1.").arg(name);
    else if (!info)
        reason = error.isEmpty() ? QStringLiteral("Template %1 is not built.").arg(name)
                                 : QStringLiteral("Template %1 is broken: %2").arg(name, error);
    else if (info->recipe != recipe->fingerprint())
        reason = QStringLiteral("Template %1 was built from an older recipe (%2).")
                     .arg(name, info->recipe.isEmpty() ? QStringLiteral("without a recipe fingerprint")
                                                       : info->recipe.left(19));
    if (why)
        *why = reason;
    return reason.isEmpty();
}

int TemplateBuilder::mountedUsers(const TemplateStore &store, const QString &name)
{
    return MountInfo::overlaysUsing(store.rootfsPath(name));
}

QString TemplateBuilder::defaultMirror()
{
    const QString fromEnv = qEnvironmentVariable("AI2IN_DEBIAN_MIRROR").trimmed();
    return fromEnv.isEmpty() ? QStringLiteral("http://deb.debian.org/debian") : fromEnv;
}

void TemplateBuilder::setIdRange(uint base, uint count)
{
    m_uidBase = base;
    m_uidCount = count;
}

void TemplateBuilder::report(int percent, const QString &step)
{
    // Progress only moves forward: later phases sometimes learn a bigger total.
    percent = qBound(0, qMax(percent, m_percent), 100);
    if (percent == m_percent && step == m_step)
        return;
    m_percent = percent;
    m_step = step;
    Q_EMIT progress(percent, step);
}

void TemplateBuilder::start()
{
    if (m_running) {
        qCWarning(lcTemplate) << "start() while a build of" << m_name << "is running";
        return;
    }
    m_running = true;
    m_failing = false;
    m_error.clear();
    m_percent = -1;
    m_step.clear();
    m_tempDir.clear();
    m_clock.start();
    m_progress = TemplateBuildProgress();

    // Checks answer from the event loop too, so callers see one code path.
    QTimer::singleShot(0, this, [this] {
        if (!m_running || m_failing)
            return;
        if (!TemplateStore::isValidName(m_name)) {
            fail(QStringLiteral("\"%1\" is not a valid template name (lower-case letters, digits, '.', '_' and '-', "
                                "starting with a letter or digit, at most 63 characters).")
                     .arg(m_name));
            return;
        }
        const auto recipe = TemplateRecipe::find(m_name);
        if (!recipe) {
            fail(QStringLiteral("There is no recipe for template \"%1\"; known recipes: %2.")
                     .arg(m_name, TemplateRecipe::names().join(QStringLiteral(", "))));
            return;
        }
        m_recipe = *recipe;
        if (m_uidCount <= m_recipe.sandboxUid) {
            fail(QStringLiteral("The id range has %1 ids, too few for the sandbox user %2.")
                     .arg(m_uidCount)
                     .arg(m_recipe.sandboxUid));
            return;
        }
        const TemplateStore store(m_templatesDir);
        // A template from an older recipe is rebuilt: keeping it would hide
        // what the recipe added (sudo, pip, node …) behind "already built".
        QString outdated;
        if (!m_force && isCurrent(store, m_name, &outdated)) {
            report(100, QStringLiteral("Template %1 is already built").arg(m_name));
            finish(true, {});
            return;
        }
        if (store.exists(m_name) && !m_force)
            qCInfo(lcTemplate).noquote() << outdated << "Rebuilding it.";
        // Removing the old tree under a mounted overlay would make files
        // vanish from running sandboxes.
        if (const int users = mountedUsers(store, m_name); users > 0 && store.exists(m_name)) {
            fail(QStringLiteral("Template %1 is used by %2 mounted sandbox filesystem(s); stop those sandboxes before "
                                "rebuilding it.")
                     .arg(m_name)
                     .arg(users));
            return;
        }
        if (geteuid() != 0) {
            fail(QStringLiteral("Building a template needs root (debootstrap, chroot and chown); run it with sudo."));
            return;
        }
        for (const QString &tool : {QStringLiteral("debootstrap"), QStringLiteral("unshare"), QStringLiteral("chroot"),
                                    QStringLiteral("rm")}) {
            if (findTool(tool).isEmpty()) {
                fail(tool == QLatin1String("debootstrap")
                         ? QStringLiteral("debootstrap is not installed; install it with \"apt-get install debootstrap\".")
                         : QStringLiteral("%1 is not installed or not in PATH.").arg(tool));
                return;
            }
        }
        if (!QDir().mkpath(m_templatesDir)) {
            fail(QStringLiteral("Cannot create the templates directory %1.").arg(m_templatesDir));
            return;
        }
        TemplateStore::closeToOthers(m_templatesDir);
        if (!acquireLock())
            return;
        cleanStaleDirs();
    });
}

bool TemplateBuilder::acquireLock()
{
    const QByteArray path = QFile::encodeName(m_templatesDir + QStringLiteral("/.lock"));
    m_lockFd = ::open(path.constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (m_lockFd < 0) {
        fail(QStringLiteral("Cannot open %1: %2.").arg(QFile::decodeName(path), errnoText(errno)));
        return false;
    }
    // Two builders must not share the temporary dirs the cleanup removes.
    if (flock(m_lockFd, LOCK_EX | LOCK_NB) != 0) {
        const int err = errno;
        ::close(m_lockFd);
        m_lockFd = -1;
        fail(err == EWOULDBLOCK ? QStringLiteral("Another template build is running in %1; wait for it to finish.").arg(m_templatesDir)
                                : QStringLiteral("Cannot lock %1: %2.").arg(QFile::decodeName(path), errnoText(err)));
        return false;
    }
    return true;
}

void TemplateBuilder::releaseLock()
{
    if (m_lockFd >= 0) {
        ::close(m_lockFd);
        m_lockFd = -1;
    }
}

void TemplateBuilder::cleanStaleDirs()
{
    m_stage = Stage::Cleaning;
    report(1, QStringLiteral("Removing leftovers of interrupted builds"));
    m_staleDirs.clear();
    const QStringList entries = QDir(m_templatesDir).entryList({QStringLiteral(".build-*")},
                                                               QDir::Dirs | QDir::Hidden | QDir::NoDotAndDotDot | QDir::NoSymLinks);
    for (const QString &entry : entries)
        m_staleDirs.append(m_templatesDir + QLatin1Char('/') + entry);
    removeNextStaleDir();
}

void TemplateBuilder::removeNextStaleDir()
{
    if (m_failing) {
        continueFailure();
        return;
    }
    if (m_staleDirs.isEmpty()) {
        createTempDir();
        return;
    }
    const QString dir = m_staleDirs.takeFirst();
    qCInfo(lcTemplate) << "removing stale build directory" << dir;
    removeTree(dir, &TemplateBuilder::removeNextStaleDir);
}

void TemplateBuilder::createTempDir()
{
    QString error;
    m_tempDir = makeTempDir(m_templatesDir + QStringLiteral("/.build-%1-XXXXXX").arg(m_name), &error);
    if (m_tempDir.isEmpty()) {
        fail(error);
        return;
    }
    qCInfo(lcTemplate) << "building" << m_name << "in" << m_tempDir;
    runDebootstrap();
}

// ---- processes -------------------------------------------------------------

// Wraps argv in a private mount and PID namespace. Mounts made inside vanish
// with the namespace, and when unshare dies (it gets SIGKILL if we die) the
// kernel kills every process in the PID namespace: no dpkg keeps writing into
// a tree that a later build removes, whatever way this one ended.
static QStringList isolatedCommand(const QStringList &argv)
{
    return QStringList{findTool(QStringLiteral("unshare")), QStringLiteral("--mount"), QStringLiteral("--propagation"),
                       QStringLiteral("private"), QStringLiteral("--pid"), QStringLiteral("--fork"),
                       QStringLiteral("--kill-child=SIGKILL"), QStringLiteral("--")}
        + argv;
}

void TemplateBuilder::runProcess(const QString &what, const QStringList &argv, LineHandler onLine, DoneHandler onDone)
{
    Q_ASSERT(!m_process);
    m_processWhat = what;
    m_onLine = onLine;
    m_onDone = onDone;
    m_pending.clear();
    m_tail.clear();

    m_process = new QProcess(this);
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    m_process->setInputChannelMode(QProcess::ManagedInputChannel);
    // A clean environment: the host's locale, pyenv or proxies must not leak into the template.
    QProcessEnvironment env;
    env.insert(QStringLiteral("PATH"), QStringLiteral("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"));
    env.insert(QStringLiteral("LC_ALL"), QStringLiteral("C"));
    env.insert(QStringLiteral("HOME"), QStringLiteral("/root"));
    env.insert(QStringLiteral("DEBIAN_FRONTEND"), QStringLiteral("noninteractive"));
    env.insert(QStringLiteral("DEBCONF_NONINTERACTIVE_SEEN"), QStringLiteral("true"));
    for (const char *keep : {"http_proxy", "https_proxy", "no_proxy"}) {
        if (qEnvironmentVariableIsSet(keep))
            env.insert(QString::fromLatin1(keep), qEnvironmentVariable(keep));
    }
    m_process->setProcessEnvironment(env);
    m_process->setChildProcessModifier([] {
        // Own process group: cancel() signals the whole tree (apt, dpkg,
        // maintainer scripts) and a terminal's ^C reaches only us, so the
        // order of shutdown is ours. Dying with us covers a SIGKILLed parent.
        setpgid(0, 0);
        prctl(PR_SET_PDEATHSIG, SIGKILL);
    });
    connect(m_process, &QProcess::readyReadStandardOutput, this, &TemplateBuilder::onProcessOutput);
    connect(m_process, &QProcess::finished, this, [this](int code, QProcess::ExitStatus status) {
        onProcessFinished(code, int(status));
    });
    connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart)
            onProcessFinished(-1, int(QProcess::CrashExit));
    });

    qCInfo(lcTemplate) << "running" << argv;
    m_process->start(argv.constFirst(), argv.mid(1));
    m_processGroup = m_process->processId();
}

void TemplateBuilder::runInChroot(const QString &what, const QString &script, LineHandler onLine, DoneHandler onDone)
{
    // proc (of the build's own PID namespace) and sys live only in the
    // private mount namespace of isolatedCommand().
    static const QString mountAndChroot = QStringLiteral(
        "set -e\n"
        "mount -t proc proc \"$1/proc\"\n"
        "mount -t sysfs -o ro sysfs \"$1/sys\"\n"
        "if [ ! -c \"$1/dev/null\" ]; then mount --bind /dev \"$1/dev\"; fi\n"
        "exec chroot \"$1\" /bin/sh -ec \"$2\"\n");
    runProcess(what,
               isolatedCommand({QStringLiteral("/bin/sh"), QStringLiteral("-c"), mountAndChroot,
                                QStringLiteral("ai2in-chroot"), m_tempDir + QStringLiteral("/rootfs"), script}),
               onLine, onDone);
}

void TemplateBuilder::removeTree(const QString &path, DoneHandler onDone)
{
    QString error;
    if (!ensureNothingMounted(path, &error)) {
        fail(error);
        return;
    }
    // --one-file-system: a second guard against descending into a mount
    // that appeared after the check.
    runProcess(QStringLiteral("Removing %1").arg(path),
               {findTool(QStringLiteral("rm")), QStringLiteral("-rf"), QStringLiteral("--one-file-system"),
                QStringLiteral("--"), path},
               &TemplateBuilder::onQuietLine, onDone);
}

void TemplateBuilder::onProcessOutput()
{
    if (!m_process)
        return;
    m_pending += m_process->readAllStandardOutput();
    for (;;) {
        const qsizetype nl = m_pending.indexOf('\n');
        const qsizetype cr = m_pending.indexOf('\r');
        qsizetype end = nl;
        if (cr >= 0 && (nl < 0 || cr < nl))
            end = cr;
        if (end < 0)
            break;
        const QString line = QString::fromUtf8(m_pending.left(end)).trimmed();
        m_pending.remove(0, end + 1);
        if (line.isEmpty())
            continue;
        qCDebug(lcTemplate).noquote() << m_processWhat << ">" << line;
        m_tail.append(line);
        if (m_tail.size() > kTailLines)
            m_tail.removeFirst();
        if (m_onLine && !m_failing)
            (this->*m_onLine)(line);
    }
}

void TemplateBuilder::killProcessGroup(int signal)
{
    if (m_processGroup > 0)
        ::kill(-pid_t(m_processGroup), signal);
}

void TemplateBuilder::onProcessFinished(int exitCode, int exitStatus)
{
    if (!m_process)
        return;
    onProcessOutput();
    if (!m_pending.isEmpty()) {
        m_tail.append(QString::fromUtf8(m_pending).trimmed());
        m_pending.clear();
    }
    // The leader is gone; stragglers of its group must not keep writing into
    // a tree that is about to be removed.
    killProcessGroup(SIGKILL);
    m_processGroup = 0;
    if (m_killTimer) {
        m_killTimer->stop();
        m_killTimer->deleteLater();
        m_killTimer = nullptr;
    }
    const bool failedToStart = m_process->error() == QProcess::FailedToStart;
    const QString startError = m_process->errorString();
    m_process->disconnect(this);
    m_process->deleteLater();
    m_process = nullptr;

    if (m_failing) {
        continueFailure();
        return;
    }
    if (failedToStart) {
        fail(QStringLiteral("%1 failed: cannot start it (%2).").arg(m_processWhat, startError));
        return;
    }
    if (exitStatus != int(QProcess::NormalExit) || exitCode != 0) {
        // The most telling line is usually an "E:" line, else the last one.
        QString detail;
        for (auto it = m_tail.crbegin(); it != m_tail.crend(); ++it) {
            if (it->startsWith(QLatin1String("E:")) || it->startsWith(QLatin1String("W: Failure"))) {
                detail = *it;
                break;
            }
        }
        if (detail.isEmpty() && !m_tail.isEmpty())
            detail = m_tail.constLast();
        for (const QString &l : std::as_const(m_tail))
            qCWarning(lcTemplate).noquote() << m_processWhat << ">" << l;
        const QString how = exitStatus != int(QProcess::NormalExit) ? QStringLiteral("crashed")
                                                                      : QStringLiteral("exited with status %1").arg(exitCode);
        fail(detail.isEmpty() ? QStringLiteral("%1 %2.").arg(m_processWhat, how)
                              : QStringLiteral("%1 %2: %3").arg(m_processWhat, how, detail));
        return;
    }
    if (m_onDone)
        (this->*m_onDone)();
}

// ---- recipe steps ----------------------------------------------------------

void TemplateBuilder::runDebootstrap()
{
    m_stage = Stage::Bootstrapping;
    report(3, QStringLiteral("Bootstrapping Debian %1 from %2").arg(m_recipe.suite, m_mirror));
    // debootstrap mounts proc and sys in the target for its second stage; the
    // private namespaces guarantee they do not outlive a killed debootstrap.
    runProcess(QStringLiteral("debootstrap"),
               isolatedCommand({findTool(QStringLiteral("debootstrap")), QStringLiteral("--variant=minbase"), m_recipe.suite,
                                m_tempDir + QStringLiteral("/rootfs"), m_mirror}),
               &TemplateBuilder::onDebootstrapLine, &TemplateBuilder::runInstall);
}

void TemplateBuilder::onDebootstrapLine(const QString &line)
{
    if (const auto step = m_progress.debootstrapLine(line))
        report(step->percent, step->text);
}

void TemplateBuilder::runInstall()
{
    m_stage = Stage::Installing;
    report(45, QStringLiteral("Updating package lists"));
    runInChroot(QStringLiteral("Installing packages"), m_recipe.installScript(), &TemplateBuilder::onAptLine,
                &TemplateBuilder::runCreateUser);
}

void TemplateBuilder::onAptLine(const QString &line)
{
    if (const auto step = m_progress.aptLine(line))
        report(step->percent, step->text);
}

void TemplateBuilder::runCreateUser()
{
    m_stage = Stage::CreatingUser;
    report(88, QStringLiteral("Creating user sandbox"));
    runInChroot(QStringLiteral("Creating user sandbox"), m_recipe.userScript(), &TemplateBuilder::onQuietLine,
                &TemplateBuilder::configureFiles);
}

void TemplateBuilder::configureFiles()
{
    report(89, QStringLiteral("Configuring host name"));
    const QString root = m_tempDir + QStringLiteral("/rootfs");
    QString error;
    for (const TemplateRecipe::File &file : m_recipe.files()) {
        if (!writeFile(root + file.path, file.content, &error)) {
            fail(error);
            return;
        }
    }
    // The engine bind-mounts the agent here.
    const QByteArray agentDir = QFile::encodeName(root + QStringLiteral("/.ai2in"));
    if ((mkdir(agentDir.constData(), 0755) != 0 && errno != EEXIST) || chmod(agentDir.constData(), 0755) != 0) {
        fail(QStringLiteral("Cannot create %1: %2.").arg(QFile::decodeName(agentDir), errnoText(errno)));
        return;
    }
    shiftOwnership();
}

void TemplateBuilder::shiftOwnership()
{
    m_stage = Stage::Shifting;
    report(90, QStringLiteral("Shifting file ownership to ids %1–%2").arg(m_uidBase).arg(quint64(m_uidBase) + m_uidCount - 1));
    m_cancelShift = false;
    m_shiftError.clear();
    const QString root = m_tempDir + QStringLiteral("/rootfs");
    const uint base = m_uidBase;
    const uint count = m_uidCount;
    // Tens of thousands of chown() calls: off the event loop.
    m_thread = QThread::create([this, root, base, count] {
        m_shiftError = TemplateOwnership::shift(root, base, count, &m_cancelShift);
        // The rename that publishes the tree must not reach the disk before
        // the tree itself does.
        const int fd = ::open(QFile::encodeName(root).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd >= 0) {
            syncfs(fd);
            ::close(fd);
        }
    });
    connect(m_thread, &QThread::finished, this, &TemplateBuilder::onShiftDone);
    m_thread->start();
}

void TemplateBuilder::onShiftDone()
{
    m_thread->deleteLater();
    m_thread = nullptr;
    if (m_failing) {
        continueFailure();
        return;
    }
    if (!m_shiftError.isEmpty()) {
        fail(m_shiftError);
        return;
    }
    publish();
}

void TemplateBuilder::publish()
{
    report(98, QStringLiteral("Publishing template %1").arg(m_name));
    TemplateInfo info;
    info.name = m_name;
    info.createdAt = QDateTime::currentDateTimeUtc();
    info.uidBase = m_uidBase;
    info.uidCount = m_uidCount;
    info.packages = m_recipe.packages;
    info.suite = m_recipe.suite;
    info.recipe = m_recipe.fingerprint();
    QString error;
    if (!writeFile(m_tempDir + QStringLiteral("/template.json"), info.toJsonBytes(), &error)) {
        fail(error);
        return;
    }
    const QByteArray from = QFile::encodeName(m_tempDir);
    const QByteArray to = QFile::encodeName(TemplateStore(m_templatesDir).templatePath(m_name));
    struct stat st;
    const bool replacing = lstat(to.constData(), &st) == 0;
    // An exchange keeps TEMPLATES/NAME present at every instant; the old tree
    // lands in the temporary dir, which is then removed like any leftover.
    const int rc = replacing ? renameat2(AT_FDCWD, from.constData(), AT_FDCWD, to.constData(), RENAME_EXCHANGE)
                             : rename(from.constData(), to.constData());
    if (rc != 0) {
        fail(QStringLiteral("Cannot move the new template into place at %1: %2.").arg(QFile::decodeName(to), errnoText(errno)));
        return;
    }
    const int dirFd = ::open(QFile::encodeName(m_templatesDir).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirFd >= 0) {
        fsync(dirFd);
        ::close(dirFd);
    }
    qCInfo(lcTemplate) << "template" << m_name << "published at" << QFile::decodeName(to);
    if (!replacing) {
        m_tempDir.clear();
        succeed();
        return;
    }
    m_stage = Stage::RemovingOld;
    report(99, QStringLiteral("Removing the previous template"));
    removeTree(m_tempDir, &TemplateBuilder::onOldRemoved);
}

void TemplateBuilder::onOldRemoved()
{
    m_tempDir.clear();
    succeed();
}

// ---- ending ----------------------------------------------------------------

void TemplateBuilder::succeed()
{
    report(100, QStringLiteral("Template %1 ready").arg(m_name));
    qCInfo(lcTemplate) << "built" << m_name << "in" << m_clock.elapsed() / 1000 << "s";
    finish(true, {});
}

void TemplateBuilder::cancel(const QString &reason)
{
    if (!m_running || m_failing)
        return;
    if (m_stage == Stage::RemovingOld) {
        // The new template is in place; deleting the old tree is quick and
        // stopping halfway would only leave more to clean.
        qCInfo(lcTemplate) << "cancel ignored: the template is already published";
        return;
    }
    fail(reason);
}

void TemplateBuilder::fail(const QString &sentence)
{
    if (m_failing)
        return;
    if (m_stage == Stage::RemovingOld) {
        // The new template is already in place; what is left is a leftover
        // the next build removes.
        qCWarning(lcTemplate).noquote() << "could not remove the previous template:" << sentence;
        m_tempDir.clear();
        succeed();
        return;
    }
    // The sentence reaches the user through finished(); this is for the log.
    qCInfo(lcTemplate).noquote() << "build of" << m_name << "failed:" << sentence;
    m_failing = true;
    m_error = sentence;
    continueFailure();
}

// Called again whenever a running process or the walk thread ends, until
// nothing of the build is still running; then the temporary tree goes.
void TemplateBuilder::continueFailure()
{
    if (m_process) {
        if (!m_killTimer) {
            killProcessGroup(SIGTERM);
            m_killTimer = new QTimer(this);
            m_killTimer->setSingleShot(true);
            connect(m_killTimer, &QTimer::timeout, this, [this] { killProcessGroup(SIGKILL); });
            m_killTimer->start(kKillGraceMs);
        }
        return;
    }
    if (m_thread) {
        m_cancelShift = true;
        return;
    }
    if (!m_tempDir.isEmpty()) {
        const QString dir = std::exchange(m_tempDir, QString());
        QString error;
        if (!ensureNothingMounted(dir, &error)) {
            m_error += QLatin1Char(' ') + error;
            finish(false, m_error);
            return;
        }
        m_processWhat = QStringLiteral("Removing %1").arg(dir);
        runProcess(m_processWhat,
                   {findTool(QStringLiteral("rm")), QStringLiteral("-rf"), QStringLiteral("--one-file-system"),
                    QStringLiteral("--"), dir},
                   &TemplateBuilder::onQuietLine, nullptr);
        return;
    }
    finish(false, m_error);
}

void TemplateBuilder::finish(bool ok, const QString &sentence)
{
    m_running = false;
    m_failing = false;
    m_stage = Stage::Idle;
    releaseLock();
    Q_EMIT finished(ok, sentence);
}
