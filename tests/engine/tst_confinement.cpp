// SPDX-License-Identifier: GPL-3.0-or-later
// What a sandbox's code cannot reach, against the real engine and runc:
// the system calls its seccomp profile refuses (new user namespaces, the
// kernel keyring, bpf, userfaultfd, io_uring, mounts, …), for root and for
// the sandbox user through sudo alike, while everyday tools keep working
// (python, pip, venv, node, npm, gcc, make, git, apt, sudo, Jupyter, PTYs);
// and what a local user of the host cannot reach: nothing under the engine's
// data dir can be read by `nobody`, the sandbox's file system (where setuid
// works, for sudo) cannot even be passed through, and the host's view of its
// writable layer is nosuid,nodev.

#include "ApiClient.h"
#include "E2eHelpers.h"
#include "EngineProcess.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <cstring>
#include <fcntl.h>
#include <grp.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <memory>
#include <vector>

using namespace E2e;

namespace {

constexpr uid_t kNobody = 65534;
constexpr gid_t kNogroup = 65534;
const QJsonObject kAsRoot{{QStringLiteral("user"), QStringLiteral("root")}};
const QByteArray kSecret = "confinement-secret-5b1f";

// Calls one system call by number from Python's ctypes and prints
// "<result> <errno>". Arguments: integers, or s:<text> for a C string.
const QByteArray kProbe = R"PY(
import ctypes, sys
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
args = []
for a in sys.argv[1:]:
    args.append(ctypes.c_char_p(a[2:].encode()) if a.startswith('s:') else ctypes.c_long(int(a, 0)))
r = libc.syscall(*args)
print(r, ctypes.get_errno())
)PY";

// The per-mount options (field 6 of /proc/self/mountinfo) of the mount at
// `mountPoint`, or empty when nothing is mounted there.
QStringList mountOptions(const QString &mountPoint)
{
    QFile f(QStringLiteral("/proc/self/mountinfo"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    for (const QByteArray &line : f.readAll().split('\n')) {
        const QList<QByteArray> fields = line.split(' ');
        if (fields.size() > 5 && fields.at(4) == QFile::encodeName(mountPoint))
            return QString::fromLatin1(fields.at(5)).split(QLatin1Char(','));
    }
    return {};
}

// Becomes `nobody` (with `extraGroup` as its only supplementary group when
// not 0) in a forked child; for QProcess's child modifier and fork() alike.
bool becomeNobody(gid_t extraGroup)
{
    const gid_t groups[] = {extraGroup};
    return ::setgroups(extraGroup ? 1 : 0, groups) == 0 && ::setgid(kNogroup) == 0 && ::setuid(kNobody) == 0
        && ::getuid() == kNobody && ::geteuid() == kNobody;
}

// Tries, as nobody in a forked child, to open each path for reading (and
// to connect to each socket); returns the indexes that succeeded, or {-1}
// when the child could not drop its privileges.
QList<int> openableByNobody(const std::vector<QByteArray> &paths, const std::vector<bool> &isSocket)
{
    int fds[2];
    if (::pipe(fds) != 0)
        return {-1};
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::close(fds[0]);
        if (!becomeNobody(0)) {
            const int bad = -1;
            (void)!::write(fds[1], &bad, sizeof bad);
            ::_exit(1);
        }
        for (size_t i = 0; i < paths.size(); ++i) {
            bool opened = false;
            if (isSocket[i]) {
                const int s = ::socket(AF_UNIX, SOCK_STREAM, 0);
                sockaddr_un a{};
                a.sun_family = AF_UNIX;
                ::strncpy(a.sun_path, paths[i].constData(), sizeof(a.sun_path) - 1);
                opened = ::connect(s, reinterpret_cast<sockaddr *>(&a), sizeof a) == 0;
                ::close(s);
            } else {
                // Non-blocking: a FIFO must not hang the walk.
                const int fd = ::open(paths[i].constData(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_NOFOLLOW | O_CLOEXEC);
                opened = fd >= 0;
                if (fd >= 0)
                    ::close(fd);
            }
            if (opened) {
                const int index = int(i);
                (void)!::write(fds[1], &index, sizeof index);
            }
        }
        ::_exit(0);
    }
    ::close(fds[1]);
    QList<int> found;
    int index = 0;
    while (::read(fds[0], &index, sizeof index) == sizeof index)
        found.append(index);
    ::close(fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    return found;
}

// The agent program files the engine copies into DATA_DIR/agent: public
// program bytes every sandbox must be able to run, next to the engine's build.
QString shippedAgentFile(const QString &name)
{
    return QFileInfo(EngineProcess::enginePath()).absolutePath() + QStringLiteral("/../agent/") + name;
}

} // namespace

class tst_confinement : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void cleanupTestCase();

    void seccompInForce_data();
    void seccompInForce();
    void userNamespacesRefused_data();
    void userNamespacesRefused();
    void dangerousCallsRefused_data();
    void dangerousCallsRefused();
    void everydayToolsWork_data();
    void everydayToolsWork();
    void mountsRefused_data();
    void mountsRefused();
    void filesOfSudoBelongToTheSandboxRange();
    void jupyterCellWorks();
    void terminalWorks_data();
    void terminalWorks();
    void dataDirUnreadableByOthers();
    void templatesUnreachableByOthers();
    void mountsNodevAndOnlyTheSandboxSetuid();
    void setuidFromSandboxIsInertOnHost();
    void pauseAndResumeKeepConfinement_data();
    void pauseAndResumeKeepConfinement();
    void olderEngineLeftOpenRepaired();
    void runtimeWithoutProfileRefused();

private:
    QString sandboxDir() const { return m_engine->dataDir() + QStringLiteral("/sandboxes/") + m_id; }

    std::unique_ptr<EngineProcess> m_engine;
    std::unique_ptr<ApiClient> m_api;
    QString m_id;
};

void tst_confinement::initTestCase()
{
    QVERIFY2(::geteuid() == 0, "the confinement suite runs as root (it becomes nobody to look at the data dir)");
    E2E_START_ENGINE(m_engine, m_api);
    E2E_CREATE(id, *m_api, obj({{QStringLiteral("envs"), QJsonObject{{QStringLiteral("CONFINE_SECRET"), QString::fromLatin1(kSecret)}}}}));
    m_id = id;
    E2E_EXPECT(probe, m_api->put(sbx(m_id, QStringLiteral("/files/content?path=") + ApiClient::q(QStringLiteral("/opt/probe.py"))
                                             + QStringLiteral("&user=root")),
                                 kProbe),
               200);
}

void tst_confinement::cleanup()
{
    if (QTest::currentTestFailed())
        m_engine->printLogTail();
}

void tst_confinement::cleanupTestCase()
{
    if (m_api)
        m_api->killAllSandboxes();
    m_api.reset();
    m_engine.reset();
}

void tst_confinement::seccompInForce_data()
{
    QTest::addColumn<QString>("user");
    QTest::newRow("root") << QStringLiteral("root");
    QTest::newRow("sandbox") << QStringLiteral("sandbox");
}

void tst_confinement::seccompInForce()
{
    QFETCH(QString, user);
    // 2: a filter is installed (1 would be strict mode, 0 none).
    E2E_RUN(out, *m_api, m_id, QStringLiteral("grep '^Seccomp:' /proc/self/status"),
            obj({{QStringLiteral("user"), user}}), 0);
    QCOMPARE(out.simplified(), QStringLiteral("Seccomp: 2"));
}

void tst_confinement::userNamespacesRefused_data()
{
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("cmd");
    QTest::newRow("unshare -Ur as root") << QStringLiteral("root") << QStringLiteral("unshare -Ur true");
    QTest::newRow("unshare -U as sandbox") << QStringLiteral("sandbox") << QStringLiteral("unshare -U true");
    QTest::newRow("unshare -Urm as root") << QStringLiteral("root") << QStringLiteral("unshare -Urm true");
    QTest::newRow("unshare -Urn as root") << QStringLiteral("root") << QStringLiteral("unshare -Urn true");
    // Root reached through sudo is under the same filter.
    QTest::newRow("sudo unshare -Ur") << QStringLiteral("sandbox") << QStringLiteral("sudo -n unshare -Ur true");
    // clone(CLONE_NEWUSER|SIGCHLD) straight from ctypes: no library in between
    // that might try clone3 first. The child would exit at once.
    QTest::newRow("clone NEWUSER as root")
        << QStringLiteral("root")
        << QStringLiteral("python3 -c 'import ctypes,os; l=ctypes.CDLL(None,use_errno=True); "
                          "r=l.syscall(56, 0x10000000|17, 0, 0, 0, 0); "
                          "os._exit(0) if r==0 else None; "
                          "(r>0 and os.waitpid(r,0)); exit(0 if r>0 else 3)'");
}

void tst_confinement::userNamespacesRefused()
{
    QFETCH(QString, user);
    QFETCH(QString, cmd);
    E2E_EXPECT(r, m_api->run(m_id, cmd, obj({{QStringLiteral("user"), user}})), 200);
    QVERIFY2(r.json().value(QStringLiteral("exit_code")).toInt(0) != 0, r.describe().constData());
    // Refused by the filter (EPERM), not missing.
    if (cmd.contains(QLatin1String("unshare")))
        QVERIFY2(r.json().value(QStringLiteral("stderr")).toString().contains(QLatin1String("Operation not permitted")),
                 r.describe().constData());
}

void tst_confinement::dangerousCallsRefused_data()
{
    QTest::addColumn<QString>("args");  // for the probe: number, then arguments
    QTest::addColumn<int>("errnoWanted");
    const int eperm = 1;
    // Each row is a call that works (or fails differently) without the
    // profile, so EPERM here is the filter's answer.
    QTest::newRow("keyctl get session keyring") << QStringLiteral("250 0 -3 0") << eperm;
    QTest::newRow("add_key user key") << QStringLiteral("248 s:user s:ai2in-probe s:x 1 -2") << eperm;
    QTest::newRow("request_key") << QStringLiteral("249 s:user s:ai2in-probe 0 0") << eperm;
    QTest::newRow("bpf unknown command") << QStringLiteral("321 9999 0 0") << eperm;
    QTest::newRow("userfaultfd user mode") << QStringLiteral("323 0x80001") << eperm;
    QTest::newRow("perf_event_open") << QStringLiteral("298 0 0 -1 -1 0") << eperm;
    QTest::newRow("io_uring_setup") << QStringLiteral("425 1 0") << eperm;
    QTest::newRow("setns") << QStringLiteral("308 0 0") << eperm;
    // Refused whole, as in Docker's default: even without a namespace flag.
    QTest::newRow("unshare CLONE_FILES") << QStringLiteral("272 0x400") << eperm;
    QTest::newRow("socket AF_ALG") << QStringLiteral("41 38 5 0") << eperm;
    QTest::newRow("socket AF_VSOCK") << QStringLiteral("41 40 1 0") << eperm;
    QTest::newRow("personality ADDR_NO_RANDOMIZE") << QStringLiteral("135 0x40000") << eperm;
    QTest::newRow("open_by_handle_at") << QStringLiteral("304 -100 0 0") << eperm;
    QTest::newRow("fsopen") << QStringLiteral("430 s:tmpfs 0") << eperm;
    // clone3: ENOSYS, so the C library falls back to clone.
    QTest::newRow("clone3") << QStringLiteral("435 0 0") << 38;
}

void tst_confinement::dangerousCallsRefused()
{
    QFETCH(QString, args);
    QFETCH(int, errnoWanted);
    E2E_RUN(out, *m_api, m_id, QStringLiteral("python3 /opt/probe.py ") + args, kAsRoot, 0);
    QCOMPARE(out.simplified(), QStringLiteral("-1 %1").arg(errnoWanted));
}

void tst_confinement::everydayToolsWork_data()
{
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("cmd");
    QTest::addColumn<QString>("expected"); // in stdout
    const QString root = QStringLiteral("root");
    const QString sandbox = QStringLiteral("sandbox");
    QTest::newRow("env reaches commands") << sandbox << QStringLiteral("echo $CONFINE_SECRET")
                                          << QString::fromLatin1(kSecret);
    // Threads (clone3 → clone fallback), fork, subprocess, sockets to loopback.
    QTest::newRow("python threads, processes, loopback")
        << sandbox
        << QStringLiteral(
               "python3 - <<'EOF'\n"
               "import threading, subprocess, multiprocessing, socket, http.server, urllib.request\n"
               "t = [threading.Thread(target=lambda: None) for _ in range(8)]; [x.start() for x in t]; [x.join() for x in t]\n"
               "with multiprocessing.Pool(2) as p: assert p.map(abs, [-1, -2]) == [1, 2]\n"
               "assert subprocess.run(['true']).returncode == 0\n"
               "srv = http.server.HTTPServer(('127.0.0.1', 0), http.server.SimpleHTTPRequestHandler)\n"
               "threading.Thread(target=srv.handle_request, daemon=True).start()\n"
               "assert urllib.request.urlopen('http://127.0.0.1:%d/' % srv.server_port).status == 200\n"
               "socket.getaddrinfo('localhost', 80)\n"
               "a, b = socket.socketpair(); a.send(b'x'); assert b.recv(1) == b'x'\n"
               "print('python-ok')\n"
               "EOF")
        << QStringLiteral("python-ok");
    QTest::newRow("git init and commit")
        << sandbox
        << QStringLiteral("set -e; rm -rf /tmp/repo; git init -q /tmp/repo; cd /tmp/repo; echo a > a; git add a; "
                          "git -c user.name=t -c user.email=t@example.invalid commit -qm first; git log --oneline | wc -l")
        << QStringLiteral("1");
    QTest::newRow("apt-get --version") << root << QStringLiteral("apt-get --version | head -1") << QStringLiteral("apt ");
    QTest::newRow("dpkg -l") << root << QStringLiteral("dpkg -l python3 | tail -1") << QStringLiteral("ii  python3");
    // Offline (no package lists): a simulated removal still solves dependencies.
    QTest::newRow("apt-get simulated remove")
        << root << QStringLiteral("apt-get -s remove vim-tiny | grep '^Remv'") << QStringLiteral("Remv vim-tiny");
    QTest::newRow("root can change owners") << root
                                            << QStringLiteral("set -e; touch /tmp/o; chown sandbox /tmp/o; stat -c %U /tmp/o")
                                            << QStringLiteral("sandbox");
    // The engine runs with umask 077; its sandboxes must not inherit it.
    QTest::newRow("usual umask") << sandbox << QStringLiteral("umask; touch /tmp/u; stat -c %a /tmp/u")
                                 << QStringLiteral("0022\n644");
    QTest::newRow("ps and proc") << sandbox << QStringLiteral("ps -e -o comm= | grep -c .") << QString();

    // sudo without a password (setuid works; who "root" and "sandbox" are
    // is tst_lifecycle's and tst_commands_files' to check).
    QTest::newRow("sudo without a password")
        << sandbox << QStringLiteral("echo uid=$(sudo -n id -u) $(sudo -n -u sandbox id -u)") << QStringLiteral("uid=0 1000");
    QTest::newRow("sudoers drop-in is 0440")
        << root << QStringLiteral("stat -c '%a %U' /etc/sudoers.d/sandbox") << QStringLiteral("440 root");

    // What agents install and build with. pip installs next to Debian's
    // packages without flags (the template's /etc/pip.conf), into ~/.local.
    QTest::newRow("pip install as the sandbox user")
        << sandbox
        << QStringLiteral("set -e; pip --version; cd /tmp; rm -rf w; mkdir -p w/confprobe; cd w; "
                          "echo 'X = 1' > confprobe/__init__.py; "
                          "printf '[project]\\nname=\"confprobe\"\\nversion=\"1.0\"\\n' > pyproject.toml; "
                          "pip wheel --no-build-isolation --no-deps -q -w dist . && pip install --no-index -q dist/*.whl && "
                          "cd / && python3 -c 'import confprobe; print(\"imported\", confprobe.X)'")
        << QStringLiteral("imported 1");
    QTest::newRow("python venv with pip")
        << sandbox << QStringLiteral("set -e; rm -rf /tmp/v; python3 -m venv /tmp/v; /tmp/v/bin/pip --version")
        << QStringLiteral("/tmp/v/lib/python3");
    QTest::newRow("node") << sandbox << QStringLiteral("node -e 'console.log(1+1)'") << QStringLiteral("2");
    QTest::newRow("npm") << sandbox << QStringLiteral("npm --version") << QStringLiteral(".");
    QTest::newRow("gcc and make build a program")
        << sandbox
        << QStringLiteral("set -e; rm -rf /tmp/c; mkdir /tmp/c; cd /tmp/c\n"
                          "cat > hello.c <<'EOF'\n"
                          "#include <stdio.h>\n"
                          "int main(void) { printf(\"hello %d\\n\", 6 * 7); return 0; }\n"
                          "EOF\n"
                          "make -s hello; ./hello")
        << QStringLiteral("hello 42");
    QTest::newRow("ip") << sandbox << QStringLiteral("ip -o link show lo") << QStringLiteral("lo:");

    // apt as root, offline: the kept package lists solve a new package's
    // dependencies; a local package goes through apt's drop to _apt and
    // dpkg's whole install path.
    QTest::newRow("apt-get check") << root << QStringLiteral("apt-get check && echo checked") << QStringLiteral("checked");
    QTest::newRow("apt-get simulated install")
        << root << QStringLiteral("apt-get -s install cowsay | grep '^Inst cowsay'") << QStringLiteral("Inst cowsay");
    QTest::newRow("sudo apt-get install of a local package")
        << sandbox
        << QStringLiteral("set -e; d=$(mktemp -d); chmod 755 $d; mkdir -p $d/p/DEBIAN $d/p/usr/share/confprobe; "
                          "echo probe > $d/p/usr/share/confprobe/file; "
                          "printf 'Package: confprobe\\nVersion: 1.0\\nArchitecture: all\\nMaintainer: probe "
                          "<probe@example.invalid>\\nDescription: a probe\\n' > $d/p/DEBIAN/control; "
                          "dpkg-deb --root-owner-group -b $d/p $d/confprobe.deb > /dev/null; "
                          "sudo -n apt-get install -y -q $d/confprobe.deb > /dev/null; "
                          "dpkg-query -W -f='${Status}\\n' confprobe; cat /usr/share/confprobe/file; sudo -n dpkg -r confprobe > /dev/null")
        << QStringLiteral("install ok installed\nprobe");
}

void tst_confinement::everydayToolsWork()
{
    QFETCH(QString, user);
    QFETCH(QString, cmd);
    QFETCH(QString, expected);
    E2E_EXPECT(r, m_api->run(m_id, cmd, obj({{QStringLiteral("user"), user}})), 200);
    QVERIFY2(r.json().value(QStringLiteral("exit_code")).toInt(-1) == 0, r.describe().constData());
    QVERIFY2(r.json().value(QStringLiteral("stdout")).toString().contains(expected), r.describe().constData());
}

void tst_confinement::jupyterCellWorks()
{
    E2E_EXPECT(r, m_api->post(sbx(m_id, QStringLiteral("/code")),
                              {{QStringLiteral("code"), QStringLiteral("import threading\nprint(6*7)")}}),
               200);
    bool printed = false, ended = false;
    for (const QByteArray &line : r.body.split('\n')) {
        const QJsonObject e = QJsonDocument::fromJson(line).object();
        printed |= e.value(QStringLiteral("type")).toString() == QLatin1String("stdout")
            && e.value(QStringLiteral("text")).toString() == QLatin1String("42\n");
        ended |= e.value(QStringLiteral("type")).toString() == QLatin1String("end");
        QVERIFY2(e.value(QStringLiteral("type")).toString() != QLatin1String("error"), line.constData());
    }
    QVERIFY2(printed && ended, r.body.constData());
}

void tst_confinement::terminalWorks_data()
{
    QTest::addColumn<QString>("user");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("sandbox") << QStringLiteral("sandbox") << QByteArray("pty-42 uid-1000");
    QTest::newRow("root") << QStringLiteral("root") << QByteArray("pty-42 uid-0");
}

void tst_confinement::terminalWorks()
{
    QFETCH(QString, user);
    QFETCH(QByteArray, expected);
    E2E_EXPECT(opened, m_api->post(sbx(m_id, QStringLiteral("/pty")), {{QStringLiteral("user"), user}}), 201);
    const QString pty = opened.json().value(QStringLiteral("pty_id")).toString();
    const QString base = sbx(m_id, QStringLiteral("/pty/") + pty);
    E2E_EXPECT(sent, m_api->postRaw(base + QStringLiteral("/input"), "echo pty-$((6*7)) uid-$(id -u); tty\n",
                                    "application/octet-stream"),
               200);
    QByteArray seen;
    QTRY_VERIFY_WITH_TIMEOUT(
        (seen += QByteArray::fromBase64(
             m_api->get(base + QStringLiteral("/output")).json().value(QStringLiteral("data")).toString().toLatin1()))
            .contains("/dev/pts/"),
        15000);
    QVERIFY2(seen.contains(expected), seen.constData());
    m_api->del(base);
}

void tst_confinement::dataDirUnreadableByOthers()
{
    // Something of every kind the engine keeps: a command's output, an
    // uploaded file, the envs (in config.json and the store).
    E2E_RUN(out, *m_api, m_id, QStringLiteral("echo output-$CONFINE_SECRET"), QJsonObject(), 0);
    QVERIFY(out.contains(QString::fromLatin1(kSecret)));
    E2E_EXPECT(up, m_api->put(sbx(m_id, QStringLiteral("/files/content?path=uploaded.txt")), "uploaded-" + kSecret), 200);

    const QString dataDir = m_engine->dataDir();
    QVERIFY2(QFileInfo::exists(dataDir + QStringLiteral("/state.db-wal")), "the store has no WAL to check");
    QVERIFY(QFileInfo::exists(sandboxDir() + QStringLiteral("/config.json")));

    std::vector<QByteArray> paths{QFile::encodeName(dataDir)};
    std::vector<bool> isSocket{false};
    QStringList names{dataDir};
    int agentFiles = 0;
    // Everything, the mounted file system of the sandbox included (what a
    // local user might try by name: ids are not secret).
    QDirIterator it(dataDir, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString p = it.next();
        const QFileInfo fi = it.fileInfo();
        if (fi.isSymLink())
            continue; // its target is what would be read, checked on its own
        if (fi.absolutePath() == dataDir + QStringLiteral("/agent") && fi.isFile()) {
            // Public program files every sandbox runs: they must equal what
            // ships, so this exemption can hide nothing.
            QFile a(p), b(shippedAgentFile(fi.fileName()));
            QVERIFY2(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly) && a.readAll() == b.readAll(),
                     qPrintable(p + QStringLiteral(" is not a copy of a shipped agent file")));
            ++agentFiles;
            continue;
        }
        paths.push_back(QFile::encodeName(p));
        struct stat st{};
        isSocket.push_back(::lstat(paths.back().constData(), &st) == 0 && S_ISSOCK(st.st_mode));
        names.append(p);
    }
    QVERIFY(agentFiles >= 1);
    QVERIFY2(names.contains(sandboxDir() + QStringLiteral("/agent.sock")), "no agent socket found");
    QVERIFY2(names.size() > 1000, qPrintable(QStringLiteral("only %1 entries walked").arg(names.size())));

    const QList<int> readable = openableByNobody(paths, isSocket);
    QVERIFY2(readable != QList<int>{-1}, "the child could not become nobody");
    QStringList leaks;
    for (int i : readable)
        leaks.append(names.at(i));
    QVERIFY2(leaks.isEmpty(), qPrintable(QStringLiteral("%1 of %2 entries readable by nobody, e.g.\n  %3")
                                             .arg(leaks.size())
                                             .arg(names.size())
                                             .arg(leaks.mid(0, 15).join(QStringLiteral("\n  ")))));

    // The sandbox works as before.
    E2E_RUN(still, *m_api, m_id, QStringLiteral("cat uploaded.txt"), QJsonObject(), 0);
    QCOMPARE(still.toLatin1(), "uploaded-" + kSecret);
}

void tst_confinement::templatesUnreachableByOthers()
{
    // A template's setuid programs belong to the sandboxes' root range: a
    // local user who could run them would act as that range.
    const QString rootfs = EngineProcess::templatesDir() + QStringLiteral("/base/rootfs");
    const std::vector<QByteArray> paths{QFile::encodeName(EngineProcess::templatesDir()), QFile::encodeName(rootfs),
                                        QFile::encodeName(rootfs + QStringLiteral("/usr/bin/su")),
                                        QFile::encodeName(rootfs + QStringLiteral("/etc/passwd"))};
    QVERIFY(QFileInfo::exists(rootfs + QStringLiteral("/usr/bin/su")));
    const QList<int> readable = openableByNobody(paths, std::vector<bool>(paths.size(), false));
    QVERIFY2(readable != QList<int>{-1}, "the child could not become nobody");
    QVERIFY2(readable.isEmpty(), qPrintable(QStringLiteral("nobody opened %1").arg(QString::fromLocal8Bit(paths.at(readable.value(0))))));
}

void tst_confinement::mountsNodevAndOnlyTheSandboxSetuid()
{
    // The sandbox's root file system honours setuid (sudo needs it), so it
    // must stay where no local user can pass: under the 0710 sandbox dir.
    const QString rootfs = sandboxDir() + QStringLiteral("/rootfs");
    const QStringList options = mountOptions(rootfs);
    QVERIFY2(!options.isEmpty(), qPrintable(rootfs + QStringLiteral(" is not mounted")));
    QVERIFY2(options.contains(QStringLiteral("nodev")), qPrintable(options.join(QLatin1Char(','))));
    QVERIFY2(!options.contains(QStringLiteral("nosuid")), qPrintable(options.join(QLatin1Char(','))));
    // The host's own view of the writable layer keeps both.
    const QStringList disk = mountOptions(sandboxDir() + QStringLiteral("/disk"));
    QVERIFY2(disk.contains(QStringLiteral("nosuid")) && disk.contains(QStringLiteral("nodev")),
             qPrintable(disk.join(QLatin1Char(','))));
}

void tst_confinement::setuidFromSandboxIsInertOnHost()
{
    // A host program, put into the sandbox and made setuid-root there by the
    // sandbox's root (whose host uid is the owner of the upper layer).
    QFile id(QStringLiteral("/usr/bin/id"));
    QVERIFY(id.open(QIODevice::ReadOnly));
    E2E_EXPECT(up, m_api->put(sbx(m_id, QStringLiteral("/files/content?path=") + ApiClient::q(QStringLiteral("/opt/idsuid"))
                                          + QStringLiteral("&user=root")),
                              id.readAll()),
               200);
    E2E_RUN(mode, *m_api, m_id,
            QStringLiteral("chown root:root /opt/idsuid && chmod 4755 /opt/idsuid && stat -c %a /opt/idsuid"), kAsRoot, 0);
    QCOMPARE(mode.trimmed(), QStringLiteral("4755"));
    // Inside, it works as sudo does: the sandbox user becomes the sandbox's root.
    E2E_RUN(inside, *m_api, m_id, QStringLiteral("/opt/idsuid -u"), QJsonObject(), 0);
    QCOMPARE(inside.trimmed(), QStringLiteral("0"));

    struct stat st{};
    QVERIFY(::stat(QFile::encodeName(sandboxDir() + QStringLiteral("/disk/upper")).constData(), &st) == 0);
    const uid_t sandboxRoot = st.st_uid;
    QVERIFY2(sandboxRoot != 0 && sandboxRoot != kNobody, qPrintable(QString::number(sandboxRoot)));

    // A local user cannot reach it through the sandbox's root file system.
    QProcess viaRootfs;
    viaRootfs.setChildProcessModifier([] {
        if (!becomeNobody(0))
            ::_exit(120);
    });
    viaRootfs.start(sandboxDir() + QStringLiteral("/rootfs/opt/idsuid"), {QStringLiteral("-u")});
    QVERIFY2(!viaRootfs.waitForStarted(15000) || (viaRootfs.waitForFinished(15000) && viaRootfs.exitCode() != 0),
             "nobody ran the sandbox's setuid program through its rootfs");
    QVERIFY2(viaRootfs.readAllStandardOutput().trimmed() != QByteArray::number(sandboxRoot), "the setuid bit was honoured");

    // Through the host's view of the writable layer the bit is inert: host
    // root runs it as itself, not as the sandbox's root.
    QProcess viaDisk;
    viaDisk.start(sandboxDir() + QStringLiteral("/disk/upper/opt/idsuid"), {QStringLiteral("-u")});
    QVERIFY2(viaDisk.waitForFinished(15000), qPrintable(viaDisk.errorString()));
    QVERIFY2(viaDisk.exitStatus() == QProcess::NormalExit && viaDisk.exitCode() == 0,
             qPrintable(QString::fromLocal8Bit(viaDisk.readAllStandardError())));
    QCOMPARE(viaDisk.readAllStandardOutput().trimmed(), QByteArray("0"));
}

void tst_confinement::mountsRefused_data()
{
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("cmd");
    QTest::newRow("tmpfs as root") << QStringLiteral("root") << QStringLiteral("mount -t tmpfs none /mnt");
    QTest::newRow("bind as root") << QStringLiteral("root") << QStringLiteral("mount --bind /tmp /mnt");
    QTest::newRow("proc through sudo") << QStringLiteral("sandbox") << QStringLiteral("sudo -n mount -t proc proc /mnt");
    QTest::newRow("remount / through sudo") << QStringLiteral("sandbox") << QStringLiteral("sudo -n mount -o remount,ro /");
}

void tst_confinement::mountsRefused()
{
    QFETCH(QString, user);
    QFETCH(QString, cmd);
    // sudo itself must work here, or the row proves nothing.
    E2E_RUN(who, *m_api, m_id, QStringLiteral("sudo -n id -u"), QJsonObject(), 0);
    QCOMPARE(who.trimmed(), QStringLiteral("0"));
    E2E_EXPECT(r, m_api->run(m_id, cmd, obj({{QStringLiteral("user"), user}})), 200);
    QVERIFY2(r.json().value(QStringLiteral("exit_code")).toInt(0) != 0, r.describe().constData());
    QVERIFY2(r.json().value(QStringLiteral("stderr")).toString().contains(QLatin1String("permission denied"), Qt::CaseInsensitive)
                 || r.json().value(QStringLiteral("stderr")).toString().contains(QLatin1String("not permitted")),
             r.describe().constData());
    E2E_RUN(mounted, *m_api, m_id, QStringLiteral("grep -c ' /mnt ' /proc/self/mounts || true"), QJsonObject(), 0);
    QCOMPARE(mounted.trimmed(), QStringLiteral("0"));
}

void tst_confinement::filesOfSudoBelongToTheSandboxRange()
{
    // What root makes through sudo is owned, on the host, by the sandbox's
    // own unprivileged range (the owner of its upper layer), never host root.
    E2E_RUN(made, *m_api, m_id,
            QStringLiteral("sudo -n sh -c 'echo x > /root/by-sudo && stat -c %u /root/by-sudo'"), QJsonObject(), 0);
    QCOMPARE(made.trimmed(), QStringLiteral("0"));
    struct stat upper{}, file{};
    QVERIFY(::stat(QFile::encodeName(sandboxDir() + QStringLiteral("/disk/upper")).constData(), &upper) == 0);
    QVERIFY(::stat(QFile::encodeName(sandboxDir() + QStringLiteral("/disk/upper/root/by-sudo")).constData(), &file) == 0);
    QVERIFY2(upper.st_uid >= 65536, qPrintable(QString::number(upper.st_uid)));
    QCOMPARE(file.st_uid, upper.st_uid);
    QCOMPARE(file.st_gid, upper.st_gid);
}

void tst_confinement::pauseAndResumeKeepConfinement_data()
{
    QTest::addColumn<bool>("keepMemory");
    QTest::newRow("stop") << false;
    QTest::newRow("freeze") << true;
}

void tst_confinement::pauseAndResumeKeepConfinement()
{
    QFETCH(bool, keepMemory);
    E2E_EXPECT(paused, m_api->post(sbx(m_id, QStringLiteral("/pause")), {{QStringLiteral("keep_memory"), keepMemory}}), 200);
    E2E_EXPECT(resumed, m_api->post(sbx(m_id, QStringLiteral("/resume")), QJsonObject()), 200);
    // A resumed sandbox is started (or thawed) under the same rules.
    E2E_RUN(out, *m_api, m_id, QStringLiteral("grep '^Seccomp:' /proc/self/status; unshare -Ur true || echo refused"),
            kAsRoot, 0);
    QCOMPARE(out.simplified(), QStringLiteral("Seccomp: 2 refused"));
    QVERIFY(mountOptions(sandboxDir() + QStringLiteral("/rootfs")).contains(QStringLiteral("nodev")));
    E2E_RUN(sudo, *m_api, m_id, QStringLiteral("sudo -n id -u"), QJsonObject(), 0);
    QCOMPARE(sudo.trimmed(), QStringLiteral("0"));

    struct stat dir{}, upper{}, config{};
    QVERIFY(::stat(QFile::encodeName(sandboxDir()).constData(), &dir) == 0);
    QVERIFY(::stat(QFile::encodeName(sandboxDir() + QStringLiteral("/disk/upper")).constData(), &upper) == 0);
    QVERIFY(::stat(QFile::encodeName(sandboxDir() + QStringLiteral("/config.json")).constData(), &config) == 0);
    QCOMPARE(dir.st_mode & 07777, mode_t(0710));
    QCOMPARE(dir.st_uid, uid_t(0));
    QCOMPARE(dir.st_gid, gid_t(upper.st_uid)); // the sandbox root's group passes, nobody else
    QCOMPARE(config.st_mode & 07777, mode_t(0600));
}

void tst_confinement::olderEngineLeftOpenRepaired()
{
    // What an older engine left: a passable sandbox dir, readable files.
    const QByteArray dir = QFile::encodeName(sandboxDir());
    QVERIFY(::chown(dir.constData(), 0, 0) == 0 && ::chmod(dir.constData(), 0711) == 0);
    for (const char *name : {"/config.json", "/agent.log"})
        QVERIFY(::chmod(QFile::encodeName(sandboxDir() + QLatin1String(name)).constData(), 0644) == 0);
    const QString db = m_engine->dataDir() + QStringLiteral("/state.db");
    QVERIFY(::chmod(QFile::encodeName(db).constData(), 0644) == 0);

    // The running sandbox is re-adopted by the restarted engine, not started.
    m_engine->stop();
    QVERIFY2(m_engine->restart(), qPrintable(m_engine->errorString()));
    struct stat st{}, upper{};
    QVERIFY(::stat(dir.constData(), &st) == 0);
    QVERIFY(::stat(QFile::encodeName(sandboxDir() + QStringLiteral("/disk/upper")).constData(), &upper) == 0);
    QCOMPARE(st.st_mode & 07777, mode_t(0710));
    QCOMPARE(st.st_gid, gid_t(upper.st_uid));
    for (const QString &f : {sandboxDir() + QStringLiteral("/config.json"), sandboxDir() + QStringLiteral("/agent.log"), db}) {
        QVERIFY(::stat(QFile::encodeName(f).constData(), &st) == 0);
        QVERIFY2((st.st_mode & 077) == 0, qPrintable(f));
    }
    E2E_RUN(out, *m_api, m_id, QStringLiteral("echo $CONFINE_SECRET"), QJsonObject(), 0);
    QCOMPARE(out.trimmed().toLatin1(), kSecret);
}

void tst_confinement::runtimeWithoutProfileRefused()
{
    // runc under another name stands for a runtime whose profile does not
    // ship yet (runsc): the engine must not run sandboxes unfiltered.
    QTemporaryDir bin;
    QVERIFY(bin.isValid());
    const QString other = bin.filePath(QStringLiteral("runsc"));
    QVERIFY(QFile::link(EngineProcess::runcPath(), other));
    EngineProcess engine({QStringLiteral("--runtime"), other});
    QVERIFY(!engine.start());
    QVERIFY2(engine.logTail().contains(QStringLiteral("There is no seccomp profile for the runtime 'runsc'")),
             qPrintable(engine.logTail()));
}

QTEST_GUILESS_MAIN(tst_confinement)
#include "tst_confinement.moc"
