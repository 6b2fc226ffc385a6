// SPDX-License-Identifier: GPL-3.0-or-later
// The OCI configuration a sandbox runs under, checked as data: isolation
// (namespaces, id maps, no dangerous capabilities), the resource limits the
// API promises, and the read-only agent mount.

#include "OciSpec.h"
#include "SeccompProfile.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

class tst_ocispec : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void build_data();
    void build();
    void namespaces();
    void noDangerousCapabilities_data();
    void noDangerousCapabilities();
    void noNewPrivileges();
    void agentMount();
    void maskedAndReadonlyPaths();
    void cgroupsPathFor_data();
    void cgroupsPathFor();
    void sandboxUmask();
    void seccompInSpec();
    void seccompProfileRefuses_data();
    void seccompProfileRefuses();
    void seccompProfileAllows_data();
    void seccompProfileAllows();
    void seccompNamespaceFlagsChecked_data();
    void seccompNamespaceFlagsChecked();
    void seccompParse_data();
    void seccompParse();
    void seccompUnknownRuntime();
};

namespace {

OciSpecParams typicalParams()
{
    OciSpecParams p;
    p.sandboxId = QStringLiteral("sbx_0123456789abcdef");
    p.agentDir = QStringLiteral("/usr/lib/ai2in/agent");
    return p;
}

QJsonObject objectAt(const QJsonObject &root, const QStringList &path)
{
    QJsonObject o = root;
    for (const QString &k : path)
        o = o.value(k).toObject();
    return o;
}

QStringList stringsOf(const QJsonValue &v)
{
    QStringList l;
    for (const QJsonValue &s : v.toArray())
        l << s.toString();
    return l;
}

QJsonObject mountAt(const QJsonObject &spec, const QString &destination)
{
    QJsonObject found;
    int count = 0;
    for (const QJsonValue &m : spec.value(QStringLiteral("mounts")).toArray()) {
        if (m.toObject().value(QStringLiteral("destination")).toString() == destination) {
            found = m.toObject();
            ++count;
        }
    }
    return count == 1 ? found : QJsonObject();
}

const QStringList kDefaultEnv = {
    QStringLiteral("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"),
    QStringLiteral("LANG=C.UTF-8"),
    QStringLiteral("TERM=xterm-256color"),
};

} // namespace

void tst_ocispec::build_data()
{
    QTest::addColumn<QString>("sandboxId");
    QTest::addColumn<QStringList>("env");
    QTest::addColumn<uint>("uidBase");
    QTest::addColumn<uint>("uidCount");
    QTest::addColumn<int>("cpuCount");
    QTest::addColumn<qint64>("memoryBytes");
    QTest::addColumn<int>("pidsLimit");
    QTest::addColumn<QString>("cgroupsPath"); // as given; empty: derived from the id
    QTest::addColumn<QString>("expectedCgroupsPath");

    const QString id = QStringLiteral("sbx_0123456789abcdef");
    const QString derived = QStringLiteral("/ai2in/sbx_0123456789abcdef");
    QTest::newRow("defaults") << id << QStringList() << 100000u << 65536u << 1 << 512LL * 1024 * 1024 << 1024
                              << QString() << derived;
    QTest::newRow("largest sandbox") << id << QStringList() << 100000u << 65536u << 64
                                     << 65536LL * 1024 * 1024 << 1024 << QString() << derived;
    QTest::newRow("smallest sandbox") << id << QStringList() << 100000u << 65536u << 1 << 64LL * 1024 * 1024
                                      << 1024 << QString() << derived;
    QTest::newRow("second uid range") << QStringLiteral("sbx_zzzzzzzzzzzzzzzz") << QStringList() << 165536u
                                      << 65536u << 2 << 1024LL * 1024 * 1024 << 512 << QString()
                                      << QStringLiteral("/ai2in/sbx_zzzzzzzzzzzzzzzz");
    QTest::newRow("highest uid range") << id << QStringList() << 4294901760u << 65535u << 1
                                       << 512LL * 1024 * 1024 << 1024 << QString() << derived;
    QTest::newRow("explicit cgroups path") << id << QStringList() << 100000u << 65536u << 1
                                           << 512LL * 1024 * 1024 << 1024 << QStringLiteral("/custom/x")
                                           << QStringLiteral("/custom/x");
    QTest::newRow("envs")
        << id << QStringList{QStringLiteral("FOO=bar"), QStringLiteral("EMPTY="), QStringLiteral("EQ=a=b")}
        << 100000u << 65536u << 1 << 512LL * 1024 * 1024 << 1024 << QString() << derived;
    // Values are data: they travel verbatim, whatever they contain.
    QTest::newRow("hostile env values")
        << id
        << QStringList{QStringLiteral("NL=a\nb"), QStringLiteral("Q=\"quoted\" \\ back"),
                       QStringLiteral("SHELL=$(reboot)"), QStringLiteral("PATH=/evil"), QString(5000, QLatin1Char('x'))}
        << 100000u << 65536u << 1 << 512LL * 1024 * 1024 << 1024 << QString() << derived;
}

void tst_ocispec::build()
{
    QFETCH(QString, sandboxId);
    QFETCH(QStringList, env);
    QFETCH(uint, uidBase);
    QFETCH(uint, uidCount);
    QFETCH(int, cpuCount);
    QFETCH(qint64, memoryBytes);
    QFETCH(int, pidsLimit);
    QFETCH(QString, cgroupsPath);
    QFETCH(QString, expectedCgroupsPath);

    OciSpecParams p = typicalParams();
    p.sandboxId = sandboxId;
    p.env = env;
    p.uidBase = uidBase;
    p.uidCount = uidCount;
    p.cpuCount = cpuCount;
    p.memoryBytes = memoryBytes;
    p.pidsLimit = pidsLimit;
    p.cgroupsPath = cgroupsPath;

    // What runc reads is the serialised text: check that, not the object.
    const QByteArray text = QJsonDocument(OciSpec::build(p)).toJson();
    QJsonParseError err;
    const QJsonObject spec = QJsonDocument::fromJson(text, &err).object();
    QCOMPARE(err.error, QJsonParseError::NoError);

    const QJsonObject process = spec.value(QStringLiteral("process")).toObject();
    QCOMPARE(stringsOf(process.value(QStringLiteral("args"))), QStringList{QString::fromLatin1(OciSpec::kAgentInContainer)});
    QCOMPARE(stringsOf(process.value(QStringLiteral("env"))), kDefaultEnv + env);

    const QJsonObject linuxSection = spec.value(QStringLiteral("linux")).toObject();
    for (const char *mapping : {"uidMappings", "gidMappings"}) {
        const QJsonArray maps = linuxSection.value(QLatin1String(mapping)).toArray();
        QCOMPARE(maps.size(), 1);
        const QJsonObject m = maps.at(0).toObject();
        QCOMPARE(m.value(QStringLiteral("containerID")).toInteger(-1), 0);
        QCOMPARE(m.value(QStringLiteral("hostID")).toInteger(-1), qint64(uidBase));
        QCOMPARE(m.value(QStringLiteral("size")).toInteger(-1), qint64(uidCount));
    }

    const QJsonObject resources = linuxSection.value(QStringLiteral("resources")).toObject();
    QCOMPARE(objectAt(resources, {QStringLiteral("memory")}).value(QStringLiteral("limit")).toInteger(-1), memoryBytes);
    const QJsonObject cpu = objectAt(resources, {QStringLiteral("cpu")});
    QCOMPARE(cpu.value(QStringLiteral("period")).toInteger(-1), 100000);
    QCOMPARE(cpu.value(QStringLiteral("quota")).toInteger(-1), qint64(cpuCount) * 100000);
    QCOMPARE(objectAt(resources, {QStringLiteral("pids")}).value(QStringLiteral("limit")).toInteger(-1),
             qint64(pidsLimit));
    // Devices: deny everything not listed.
    const QJsonObject firstDeviceRule = resources.value(QStringLiteral("devices")).toArray().at(0).toObject();
    QCOMPARE(firstDeviceRule.value(QStringLiteral("allow")).toBool(true), false);

    QCOMPARE(linuxSection.value(QStringLiteral("cgroupsPath")).toString(), expectedCgroupsPath);
}

void tst_ocispec::namespaces()
{
    const QJsonObject spec = OciSpec::build(typicalParams());
    QStringList types;
    for (const QJsonValue &ns : objectAt(spec, {QStringLiteral("linux")}).value(QStringLiteral("namespaces")).toArray()) {
        // A "path" would join an existing (e.g. the host's) namespace.
        QVERIFY(!ns.toObject().contains(QStringLiteral("path")));
        types << ns.toObject().value(QStringLiteral("type")).toString();
    }
    for (const char *required : {"user", "network", "pid", "mount", "ipc", "uts"})
        QVERIFY2(types.contains(QLatin1String(required)), required);
    types.removeDuplicates();
    QCOMPARE(types.size(),
             objectAt(spec, {QStringLiteral("linux")}).value(QStringLiteral("namespaces")).toArray().size());
}

void tst_ocispec::noDangerousCapabilities_data()
{
    QTest::addColumn<QString>("capability");
    for (const char *cap : {"CAP_SYS_ADMIN", "CAP_NET_ADMIN", "CAP_SYS_PTRACE", "CAP_SYS_MODULE", "CAP_SYS_RAWIO",
                            "CAP_SYS_BOOT", "CAP_SYS_TIME", "CAP_BPF", "CAP_PERFMON", "CAP_MAC_ADMIN",
                            "CAP_DAC_READ_SEARCH", "CAP_SYSLOG"})
        QTest::newRow(cap) << QString::fromLatin1(cap);
}

void tst_ocispec::noDangerousCapabilities()
{
    QFETCH(QString, capability);
    // Anywhere: any capability set, and any env or other string that might
    // be read as one.
    const QByteArray text = QJsonDocument(OciSpec::build(typicalParams())).toJson(QJsonDocument::Compact);
    QVERIFY2(!text.contains(capability.toLatin1()), qPrintable(capability));

    const QJsonObject caps = objectAt(OciSpec::build(typicalParams()),
                                      {QStringLiteral("process"), QStringLiteral("capabilities")});
    QVERIFY(!caps.isEmpty());
    const QStringList bounding = stringsOf(caps.value(QStringLiteral("bounding")));
    QVERIFY(!bounding.isEmpty());
    for (auto it = caps.begin(); it != caps.end(); ++it) {
        // No set grants what the bounding set does not.
        for (const QString &c : stringsOf(it.value()))
            QVERIFY2(bounding.contains(c), qPrintable(it.key() + QLatin1Char(' ') + c));
    }
}

void tst_ocispec::noNewPrivileges()
{
    const QJsonObject process = OciSpec::build(typicalParams()).value(QStringLiteral("process")).toObject();
    QVERIFY(process.value(QStringLiteral("noNewPrivileges")).isBool());
    // Off, so that sudo works inside (docs/security.md says why that is safe).
    QCOMPARE(process.value(QStringLiteral("noNewPrivileges")).toBool(true), false);
}

void tst_ocispec::agentMount()
{
    OciSpecParams p = typicalParams();
    p.agentDir = QStringLiteral("/opt/ai2in build/agent");
    const QJsonObject spec = OciSpec::build(p);
    const QJsonObject m = mountAt(spec, QStringLiteral("/.ai2in"));
    QVERIFY2(!m.isEmpty(), "no single /.ai2in mount");
    QCOMPARE(m.value(QStringLiteral("type")).toString(), QStringLiteral("bind"));
    QCOMPARE(m.value(QStringLiteral("source")).toString(), p.agentDir);
    const QStringList options = stringsOf(m.value(QStringLiteral("options")));
    QVERIFY2(options.contains(QStringLiteral("bind")) || options.contains(QStringLiteral("rbind")),
             qPrintable(options.join(QLatin1Char(','))));
    QVERIFY2(options.contains(QStringLiteral("ro")), qPrintable(options.join(QLatin1Char(','))));
    QVERIFY2(!options.contains(QStringLiteral("rw")), qPrintable(options.join(QLatin1Char(','))));
    // The agent runs from that mount.
    QVERIFY(QString::fromLatin1(OciSpec::kAgentInContainer).startsWith(QStringLiteral("/.ai2in/")));

    // No other mount exposes a host path.
    for (const QJsonValue &v : spec.value(QStringLiteral("mounts")).toArray()) {
        const QJsonObject other = v.toObject();
        if (other.value(QStringLiteral("destination")).toString() == QLatin1String("/.ai2in"))
            continue;
        QVERIFY2(!other.value(QStringLiteral("source")).toString().startsWith(QLatin1Char('/')),
                 qPrintable(other.value(QStringLiteral("destination")).toString()));
    }
}

void tst_ocispec::maskedAndReadonlyPaths()
{
    const QJsonObject linuxSection = OciSpec::build(typicalParams()).value(QStringLiteral("linux")).toObject();
    const QStringList masked = stringsOf(linuxSection.value(QStringLiteral("maskedPaths")));
    for (const char *path : {"/proc/kcore", "/proc/keys", "/proc/timer_list", "/sys/firmware"})
        QVERIFY2(masked.contains(QLatin1String(path)), path);
    const QStringList readonly = stringsOf(linuxSection.value(QStringLiteral("readonlyPaths")));
    for (const char *path : {"/proc/sys", "/proc/sysrq-trigger"})
        QVERIFY2(readonly.contains(QLatin1String(path)), path);
    const QJsonObject sys = mountAt(OciSpec::build(typicalParams()), QStringLiteral("/sys"));
    QVERIFY(stringsOf(sys.value(QStringLiteral("options"))).contains(QStringLiteral("ro")));
}

void tst_ocispec::cgroupsPathFor_data()
{
    QTest::addColumn<QString>("sandboxId");
    QTest::addColumn<QString>("expected");
    QTest::newRow("sandbox id") << QStringLiteral("sbx_0123456789abcdef") << QStringLiteral("/ai2in/sbx_0123456789abcdef");
    QTest::newRow("other id") << QStringLiteral("sbx_a") << QStringLiteral("/ai2in/sbx_a");
    QTest::newRow("empty") << QString() << QStringLiteral("/ai2in/");
}

void tst_ocispec::cgroupsPathFor()
{
    QFETCH(QString, sandboxId);
    QFETCH(QString, expected);
    QCOMPARE(OciSpec::cgroupsPathFor(sandboxId), expected);
    OciSpecParams p = typicalParams();
    p.sandboxId = sandboxId;
    p.cgroupsPath.clear();
    QCOMPARE(OciSpec::build(p).value(QStringLiteral("linux")).toObject().value(QStringLiteral("cgroupsPath")).toString(),
             expected);
}

namespace {

QJsonObject shippedProfile()
{
    const auto p = SeccompProfile::forRuntime(QStringLiteral("/usr/sbin/runc"));
    if (!p)
        qWarning("%s", qPrintable(p.error().message));
    return p ? *p : QJsonObject();
}

// The rules of the profile that allow `name`: none, unconditional ones, or
// ones with argument checks.
QList<QJsonObject> allowRulesFor(const QJsonObject &profile, const QString &name)
{
    QList<QJsonObject> rules;
    for (const QJsonValue &v : profile.value(QStringLiteral("syscalls")).toArray()) {
        const QJsonObject r = v.toObject();
        if (r.value(QStringLiteral("action")).toString() == QLatin1String("SCMP_ACT_ALLOW")
            && stringsOf(r.value(QStringLiteral("names"))).contains(name))
            rules.append(r);
    }
    return rules;
}

} // namespace

void tst_ocispec::sandboxUmask()
{
    // Not the engine's own 077: files made in a sandbox are as usual.
    const QJsonObject user = objectAt(OciSpec::build(typicalParams()), {QStringLiteral("process"), QStringLiteral("user")});
    QCOMPARE(user.value(QStringLiteral("umask")).toInteger(-1), 022);
}

void tst_ocispec::seccompInSpec()
{
    const QJsonObject profile = shippedProfile();
    QVERIFY(!profile.isEmpty());
    OciSpecParams p = typicalParams();
    QVERIFY(!objectAt(OciSpec::build(p), {QStringLiteral("linux")}).contains(QStringLiteral("seccomp")));
    p.seccomp = profile;
    const QByteArray text = QJsonDocument(OciSpec::build(p)).toJson();
    const QJsonObject seccomp = objectAt(QJsonDocument::fromJson(text).object(), {QStringLiteral("linux"), QStringLiteral("seccomp")});
    QCOMPARE(seccomp, profile);
    // An allow-list: whatever is not listed fails with EPERM.
    QCOMPARE(seccomp.value(QStringLiteral("defaultAction")).toString(), QStringLiteral("SCMP_ACT_ERRNO"));
    QCOMPARE(seccomp.value(QStringLiteral("defaultErrnoRet")).toInteger(-1), 1);
    QVERIFY(stringsOf(seccomp.value(QStringLiteral("architectures"))).contains(QStringLiteral("SCMP_ARCH_X86_64")));
    // Comments of the file stay out of what runc reads.
    QVERIFY(!text.contains("\"comment\""));
}

void tst_ocispec::seccompProfileRefuses_data()
{
    QTest::addColumn<QString>("name");
    for (const char *n : {"keyctl", "add_key", "request_key", "bpf", "userfaultfd", "perf_event_open", "io_uring_setup",
                          "io_uring_enter", "io_uring_register", "kexec_load", "kexec_file_load", "init_module",
                          "finit_module", "delete_module", "setns", "mount", "umount2", "pivot_root", "move_mount",
                          "open_tree", "fsopen", "fsconfig", "fsmount", "fspick", "mount_setattr", "open_by_handle_at",
                          "name_to_handle_at", "swapon", "swapoff", "reboot", "acct", "syslog", "quotactl",
                          "settimeofday", "clock_settime", "clock_adjtime", "adjtimex", "iopl", "ioperm",
                          "modify_ldt", "lookup_dcookie", "fanotify_init", "kcmp", "vhangup", "uselib", "ustat",
                          "sysfs", "_sysctl", "memfd_secret", "mbind", "set_mempolicy", "move_pages", "migrate_pages",
                          "process_madvise", "sethostname", "setdomainname", "clone3", "unshare"})
        QTest::newRow(n) << QString::fromLatin1(n);
}

void tst_ocispec::seccompProfileRefuses()
{
    QFETCH(QString, name);
    QVERIFY2(allowRulesFor(shippedProfile(), name).isEmpty(), qPrintable(name));
}

void tst_ocispec::seccompProfileAllows_data()
{
    QTest::addColumn<QString>("name");
    // What a shell, Python, git, apt and the agent itself need.
    for (const char *n : {"read", "write", "openat", "close", "execve", "mmap", "mprotect", "brk", "futex", "rt_sigaction",
                          "wait4", "fork", "vfork", "pipe2", "dup2", "epoll_wait", "newfstatat", "statx", "getdents64",
                          "connect", "accept4", "bind", "listen", "sendmsg", "recvmsg", "setuid", "setgroups",
                          "capset", "prctl", "rseq", "getrandom", "ioctl", "chown", "mknodat", "chroot", "ptrace",
                          "prlimit64", "set_robust_list", "clock_nanosleep", "memfd_create", "pidfd_open"})
        QTest::newRow(n) << QString::fromLatin1(n);
}

void tst_ocispec::seccompProfileAllows()
{
    QFETCH(QString, name);
    const QList<QJsonObject> rules = allowRulesFor(shippedProfile(), name);
    QCOMPARE(rules.size(), 1);
    QVERIFY2(!rules.first().contains(QStringLiteral("args")), qPrintable(name));
}

void tst_ocispec::seccompNamespaceFlagsChecked_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<qint64>("mustMask"); // flags every rule must keep at 0
    // NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET.
    const qint64 namespaces = 0x20000 | 0x2000000 | 0x4000000 | 0x8000000 | 0x10000000 | 0x20000000 | 0x40000000;
    QTest::newRow("clone") << QStringLiteral("clone") << namespaces;
}

void tst_ocispec::seccompNamespaceFlagsChecked()
{
    QFETCH(QString, name);
    QFETCH(qint64, mustMask);
    const QList<QJsonObject> rules = allowRulesFor(shippedProfile(), name);
    QVERIFY(!rules.isEmpty());
    for (const QJsonObject &r : rules) {
        const QJsonArray args = r.value(QStringLiteral("args")).toArray();
        bool checked = false;
        for (const QJsonValue &a : args) {
            const QJsonObject c = a.toObject();
            if (c.value(QStringLiteral("index")).toInteger(-1) == 0
                && c.value(QStringLiteral("op")).toString() == QLatin1String("SCMP_CMP_MASKED_EQ")
                && (c.value(QStringLiteral("value")).toInteger() & mustMask) == mustMask
                && c.value(QStringLiteral("valueTwo")).toInteger(-1) == 0)
                checked = true;
        }
        QVERIFY2(checked, QJsonDocument(r).toJson(QJsonDocument::Compact).constData());
    }
}

void tst_ocispec::seccompParse_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("error"); // a fragment of the sentence; empty: valid

    const QByteArray ok = R"({"comment": "c", "seccomp": {"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 1,
        "architectures": ["SCMP_ARCH_X86_64"], "syscalls": [{"comment": ["x"], "names": ["read"], "action": "SCMP_ACT_ALLOW"},
        {"names": ["clone"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 2114060288, "valueTwo": 0, "op": "SCMP_CMP_MASKED_EQ"}]},
        {"names": ["clone3"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38}]}})";
    auto with = [&ok](const char *from, const char *to) {
        QByteArray t = ok;
        t.replace(from, to);
        return t;
    };
    QTest::newRow("valid") << ok << QString();
    QTest::newRow("empty") << QByteArray() << QStringLiteral("not JSON");
    QTest::newRow("truncated") << ok.left(ok.size() / 2) << QStringLiteral("not JSON");
    QTest::newRow("array") << QByteArray("[]") << QStringLiteral("JSON object");
    QTest::newRow("no seccomp object") << QByteArray(R"({"comment": "only"})") << QStringLiteral("no \"seccomp\"");
    QTest::newRow("unknown top key") << QByteArray(R"({"seccom": {}})") << QStringLiteral("unknown key 'seccom'");
    QTest::newRow("default allow: a deny-list") << with("\"defaultAction\": \"SCMP_ACT_ERRNO\"", "\"defaultAction\": \"SCMP_ACT_ALLOW\"")
                                                << QStringLiteral("seccomp.defaultAction");
    QTest::newRow("default log") << with("\"defaultAction\": \"SCMP_ACT_ERRNO\"", "\"defaultAction\": \"SCMP_ACT_LOG\"")
                                 << QStringLiteral("allow-list");
    QTest::newRow("errno zero") << with("\"defaultErrnoRet\": 1", "\"defaultErrnoRet\": 0") << QStringLiteral("defaultErrnoRet");
    QTest::newRow("errno fraction") << with("\"defaultErrnoRet\": 1", "\"defaultErrnoRet\": 1.5") << QStringLiteral("defaultErrnoRet");
    QTest::newRow("unknown arch") << with("SCMP_ARCH_X86_64", "SCMP_ARCH_Z80") << QStringLiteral("seccomp.architectures[0]");
    QTest::newRow("no arch") << with("[\"SCMP_ARCH_X86_64\"]", "[]") << QStringLiteral("seccomp.architectures");
    QTest::newRow("unknown flag") << with("\"architectures\"", "\"flags\": [\"SECCOMP_FILTER_FLAG_NOPE\"], \"architectures\"")
                                  << QStringLiteral("seccomp.flags[0]");
    QTest::newRow("no rules") << QByteArray(R"({"seccomp": {"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64"], "syscalls": []}})")
                              << QStringLiteral("seccomp.syscalls");
    QTest::newRow("misspelt action") << with("\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\"", "\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALOW\"")
                                     << QStringLiteral("seccomp.syscalls[0].action");
    QTest::newRow("misspelt args") << with("\"args\"", "\"argz\"") << QStringLiteral("seccomp.syscalls[1]: unknown key 'argz'");
    QTest::newRow("name not a syscall") << with("[\"read\"]", "[\"read; rm\"]") << QStringLiteral("seccomp.syscalls[0].names[0]");
    QTest::newRow("names empty") << with("[\"read\"]", "[]") << QStringLiteral("seccomp.syscalls[0].names");
    QTest::newRow("name a number") << with("[\"read\"]", "[0]") << QStringLiteral("seccomp.syscalls[0].names[0]");
    QTest::newRow("errnoRet on allow") << with("\"action\": \"SCMP_ACT_ALLOW\"}", "\"action\": \"SCMP_ACT_ALLOW\", \"errnoRet\": 1}")
                                       << QStringLiteral("only SCMP_ACT_ERRNO");
    QTest::newRow("arg index 6") << with("\"index\": 0", "\"index\": 6") << QStringLiteral("syscalls[1].args[0].index");
    QTest::newRow("arg negative") << with("\"value\": 2114060288", "\"value\": -1") << QStringLiteral("syscalls[1].args[0].value");
    QTest::newRow("arg unknown op") << with("SCMP_CMP_MASKED_EQ", "SCMP_CMP_LIKE") << QStringLiteral("syscalls[1].args[0].op");
    QTest::newRow("masked without valueTwo") << with(", \"valueTwo\": 0", "") << QStringLiteral("needs valueTwo");
    QTest::newRow("comment not text") << with("\"comment\": \"c\"", "\"comment\": 3") << QStringLiteral("comment");
}

void tst_ocispec::seccompParse()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, error);
    const auto r = SeccompProfile::parse(text);
    if (error.isEmpty()) {
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().message));
        QVERIFY(!QJsonDocument(*r).toJson().contains("comment"));
        QCOMPARE(r->value(QStringLiteral("syscalls")).toArray().size(), 3);
        return;
    }
    QVERIFY2(!r.ok(), text.constData());
    QVERIFY2(r.error().message.contains(error), qPrintable(r.error().message));
}

void tst_ocispec::seccompUnknownRuntime()
{
    QVERIFY(SeccompProfile::forRuntime(QStringLiteral("runc")).ok());
    const auto r = SeccompProfile::forRuntime(QStringLiteral("/usr/bin/runsc"));
    QVERIFY(!r.ok());
    QVERIFY2(r.error().message.contains(QStringLiteral("'runsc'")), qPrintable(r.error().message));
    QCOMPARE(SeccompProfile::resourcePathFor(QStringLiteral("/usr/sbin/runc")), QStringLiteral(":/profiles/seccomp-runc.json"));
}

QTEST_GUILESS_MAIN(tst_ocispec)
#include "tst_ocispec.moc"
