// SPDX-License-Identifier: GPL-3.0-or-later
// The pure parsers behind `ai2ind doctor`: kernel releases, the runtime's
// --version, cgroup layouts, /proc/filesystems, modules.dep and
// credentials.json — as hosts write them, broken, and hostile.

#include "runtime/HostChecks.h"

#include <QTest>

class tst_hostchecks : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void kernelRelease_data();
    void kernelRelease();
    void runtimeVersion_data();
    void runtimeVersion();
    void cgroups_data();
    void cgroups();
    void overlayInFilesystems_data();
    void overlayInFilesystems();
    void moduleInModulesList_data();
    void moduleInModulesList();
    void credentials_data();
    void credentials();
    void resultText();
};

namespace {

// One /proc/self/mountinfo line; `type` and `superOptions` after the " - ".
QByteArray mount(const QByteArray &point, const QByteArray &type, const QByteArray &superOptions,
                 const QByteArray &optional = "shared:9")
{
    const QByteArray fields = optional.isEmpty() ? QByteArray() : optional + ' ';
    return "35 24 0:30 / " + point + " rw,nosuid,nodev,noexec,relatime " + fields + "- " + type + ' ' + type + ' ' +
           superOptions + '\n';
}

QByteArray v1(const QByteArray &controllers)
{
    return mount("/sys/fs/cgroup/" + controllers, "cgroup", "rw," + controllers);
}

// What this kind of host has around its cgroup mounts.
const QByteArray kOtherMounts = "22 1 259:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw\n"
                                "23 22 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw\n"
                                "24 22 0:22 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw\n";

const QByteArray kDebianV2 = kOtherMounts + mount("/sys/fs/cgroup", "cgroup2", "rw,nsdelegate,memory_recursiveprot");
const QByteArray kDebianControllers = "cpuset cpu io memory hugetlb pids rdma misc\n";

// A host as systemd's hybrid mode mounts it (and the machine this was written on).
const QByteArray kHybrid = kOtherMounts + "30 22 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n" +
                           v1("cpu") + v1("cpuacct") + v1("cpuset") + v1("memory") + v1("devices") + v1("freezer") +
                           v1("blkio") + v1("pids") + mount("/sys/fs/cgroup/systemd", "cgroup", "rw,name=systemd") +
                           mount("/sys/fs/cgroup/unified", "cgroup2", "rw");

const QStringList kAllV1Needs{QStringLiteral("memory"), QStringLiteral("cpu"), QStringLiteral("pids"),
                              QStringLiteral("freezer")};

} // namespace

void tst_hostchecks::kernelRelease_data()
{
    QTest::addColumn<QString>("release");
    QTest::addColumn<bool>("parses");
    QTest::addColumn<int>("major");
    QTest::addColumn<int>("minor");
    QTest::addColumn<bool>("supported");

    QTest::newRow("debian 12") << QStringLiteral("6.1.0-18-amd64") << true << 6 << 1 << true;
    QTest::newRow("debian 11") << QStringLiteral("5.10.0-28-amd64") << true << 5 << 10 << true;
    QTest::newRow("ubuntu 22.04") << QStringLiteral("5.15.0-91-generic") << true << 5 << 15 << true;
    QTest::newRow("custom build") << QStringLiteral("6.18.44-fc-v1272") << true << 6 << 18 << true;
    QTest::newRow("two parts") << QStringLiteral("5.10") << true << 5 << 10 << true;
    QTest::newRow("release candidate") << QStringLiteral("6.9-rc1") << true << 6 << 9 << true;
    QTest::newRow("plus suffix") << QStringLiteral("6.1+") << true << 6 << 1 << true;
    QTest::newRow("read from a file") << QStringLiteral("6.1.0\n") << true << 6 << 1 << true;
    QTest::newRow("debian 10") << QStringLiteral("4.19.0-20-amd64") << true << 4 << 19 << false;
    QTest::newRow("just below") << QStringLiteral("5.9.16") << true << 5 << 9 << false;
    QTest::newRow("4.20") << QStringLiteral("4.20.1") << true << 4 << 20 << false;
    QTest::newRow("ancient") << QStringLiteral("2.6.32-754.el6.x86_64") << true << 2 << 6 << false;
    QTest::newRow("far future") << QStringLiteral("10.0.0") << true << 10 << 0 << true;

    QTest::newRow("empty") << QString() << false << 0 << 0 << false;
    QTest::newRow("blanks") << QStringLiteral("   ") << false << 0 << 0 << false;
    QTest::newRow("word") << QStringLiteral("Linux") << false << 0 << 0 << false;
    QTest::newRow("major only") << QStringLiteral("6") << false << 0 << 0 << false;
    QTest::newRow("dot, no minor") << QStringLiteral("6.") << false << 0 << 0 << false;
    QTest::newRow("no major") << QStringLiteral(".1") << false << 0 << 0 << false;
    QTest::newRow("sign") << QStringLiteral("-6.1") << false << 0 << 0 << false;
    QTest::newRow("v prefix") << QStringLiteral("v6.1") << false << 0 << 0 << false;
    QTest::newRow("letter as minor") << QStringLiteral("6.x") << false << 0 << 0 << false;
    QTest::newRow("comma") << QStringLiteral("6,1") << false << 0 << 0 << false;
    QTest::newRow("overlong major") << QStringLiteral("99999.1") << false << 0 << 0 << false;
    QTest::newRow("overlong minor") << QStringLiteral("6.12345") << false << 0 << 0 << false;
    QTest::newRow("overflowing") << QStringLiteral("99999999999999999999.1") << false << 0 << 0 << false;
    QTest::newRow("full-width digits") << QStringLiteral("６.１") << false << 0 << 0 << false;
    QTest::newRow("huge") << QString(100000, QLatin1Char('9')) << false << 0 << 0 << false;
}

void tst_hostchecks::kernelRelease()
{
    QFETCH(QString, release);
    QFETCH(bool, parses);
    QFETCH(int, major);
    QFETCH(int, minor);
    QFETCH(bool, supported);

    const auto v = HostChecks::parseKernelRelease(release);
    QCOMPARE(v.has_value(), parses);
    if (!v)
        return;
    QCOMPARE(v->major, major);
    QCOMPARE(v->minor, minor);
    QCOMPARE(HostChecks::kernelIsSupported(*v), supported);
}

void tst_hostchecks::runtimeVersion_data()
{
    QTest::addColumn<QByteArray>("output");
    QTest::addColumn<bool>("parses");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("version");

    const QString runc = QStringLiteral("runc");
    QTest::newRow("debian 12") << QByteArray("runc version 1.1.5+ds1\ncommit: 1.1.5+ds1-1+deb12u1\nspec: 1.0.2-dev\n"
                                             "go: go1.19.8\nlibseccomp: 2.5.4\n")
                               << true << runc << QStringLiteral("1.1.5");
    QTest::newRow("upstream") << QByteArray("runc version 1.1.12\ncommit: v1.1.12-0-g51d5e946\nspec: 1.0.2-dev\n")
                              << true << runc << QStringLiteral("1.1.12");
    QTest::newRow("release candidate") << QByteArray("runc version 1.2.0-rc.1+dev\n") << true << runc
                                       << QStringLiteral("1.2.0-rc.1");
    QTest::newRow("no newline") << QByteArray("runc version 1.0.0") << true << runc << QStringLiteral("1.0.0");
    QTest::newRow("crlf") << QByteArray("runc version 1.1.5\r\nspec: 1.0.2\r\n") << true << runc
                          << QStringLiteral("1.1.5");
    QTest::newRow("crun") << QByteArray("crun version 1.8.1\ncommit: f8a096be060b22ccd3d5f3ebe44108517fbf6c30\n"
                                        "+SYSTEMD +SELINUX +APPARMOR\n")
                          << true << QStringLiteral("crun") << QStringLiteral("1.8.1");
    QTest::newRow("runsc") << QByteArray("runsc version release-20230417.0\nspec: 1.1.0-rc.1\n") << true
                           << QStringLiteral("runsc") << QStringLiteral("release-20230417.0");

    QTest::newRow("empty") << QByteArray() << false << QString() << QString();
    QTest::newRow("newline only") << QByteArray("\n") << false << QString() << QString();
    QTest::newRow("name only") << QByteArray("runc\n") << false << QString() << QString();
    QTest::newRow("no version") << QByteArray("runc version\n") << false << QString() << QString();
    QTest::newRow("blank version") << QByteArray("runc version \n") << false << QString() << QString();
    QTest::newRow("no name") << QByteArray("version 1.1.5\n") << false << QString() << QString();
    QTest::newRow("no 'version' word") << QByteArray("runc 1.1.5\n") << false << QString() << QString();
    QTest::newRow("version on a later line") << QByteArray("commit: abc\nrunc version 1.1.5\n") << false << QString()
                                             << QString();
    QTest::newRow("trailing words") << QByteArray("runc version 1.1.5 (dirty)\n") << false << QString() << QString();
    QTest::newRow("only build metadata") << QByteArray("runc version +ds1\n") << false << QString() << QString();
    QTest::newRow("usage text") << QByteArray("Usage: runc [options]\n") << false << QString() << QString();
    QTest::newRow("terminal escape") << QByteArray("runc version 1.1.5\x1b[2J\n") << false << QString() << QString();
    QTest::newRow("nul byte") << QByteArray("runc version 1.1\0.5\n", 20) << false << QString() << QString();
    QTest::newRow("utf-8") << QByteArray("runc version 1.1.5é\n") << false << QString() << QString();
    QTest::newRow("overlong version") << "runc version 1." + QByteArray(100, '1') << false << QString() << QString();
    QTest::newRow("huge") << QByteArray(1 << 20, 'a') << false << QString() << QString();
}

void tst_hostchecks::runtimeVersion()
{
    QFETCH(QByteArray, output);
    QFETCH(bool, parses);
    QFETCH(QString, name);
    QFETCH(QString, version);

    const auto v = HostChecks::parseRuntimeVersion(output);
    QCOMPARE(v.has_value(), parses);
    if (!v)
        return;
    QCOMPARE(v->name, name);
    QCOMPARE(v->version, version);
}

void tst_hostchecks::cgroups_data()
{
    QTest::addColumn<QByteArray>("mountinfo");
    QTest::addColumn<QByteArray>("rootControllers");
    QTest::addColumn<QString>("version");
    QTest::addColumn<QStringList>("controllers");
    QTest::addColumn<QString>("unifiedMount");
    QTest::addColumn<QStringList>("missing");

    const QString v2 = QStringLiteral("v2");
    const QString v1Name = QStringLiteral("v1");
    const QString hybrid = QStringLiteral("hybrid");
    const QString none = QStringLiteral("none");
    const QString root = QStringLiteral("/sys/fs/cgroup");
    const QString unified = QStringLiteral("/sys/fs/cgroup/unified");
    const QStringList debianV2{QStringLiteral("cpu"),  QStringLiteral("cpuset"), QStringLiteral("hugetlb"),
                               QStringLiteral("io"),   QStringLiteral("memory"), QStringLiteral("misc"),
                               QStringLiteral("pids"), QStringLiteral("rdma")};
    const QStringList hybridControllers{QStringLiteral("blkio"),   QStringLiteral("cpu"),    QStringLiteral("cpuacct"),
                                        QStringLiteral("cpuset"),  QStringLiteral("devices"), QStringLiteral("freezer"),
                                        QStringLiteral("memory"),  QStringLiteral("pids")};
    const QStringList memoryCpuPids{QStringLiteral("memory"), QStringLiteral("cpu"), QStringLiteral("pids")};

    QTest::newRow("debian 12: v2") << kDebianV2 << kDebianControllers << v2 << debianV2 << root << QStringList();
    QTest::newRow("v2 without pids")
        << kDebianV2 << QByteArray("cpu memory\n") << v2
        << QStringList{QStringLiteral("cpu"), QStringLiteral("memory")} << root << QStringList{QStringLiteral("pids")};
    QTest::newRow("v2, empty cgroup.controllers") << kDebianV2 << QByteArray() << v2 << QStringList() << root
                                                  << memoryCpuPids;
    QTest::newRow("v2, a v1 hierarchy beside it")
        << kDebianV2 + v1("freezer") << QByteArray("memory cpu pids") << v2
        << QStringList{QStringLiteral("cpu"), QStringLiteral("memory"), QStringLiteral("pids")} << root
        << QStringList();
    QTest::newRow("v2, root written with a slash")
        << mount("/sys/fs/cgroup/", "cgroup2", "rw") << QByteArray("memory cpu pids") << v2
        << QStringList{QStringLiteral("cpu"), QStringLiteral("memory"), QStringLiteral("pids")} << root
        << QStringList();
    QTest::newRow("v2, no optional fields")
        << mount("/sys/fs/cgroup", "cgroup2", "rw", "") << QByteArray("memory cpu pids") << v2
        << QStringList{QStringLiteral("cpu"), QStringLiteral("memory"), QStringLiteral("pids")} << root
        << QStringList();
    QTest::newRow("v2, several optional fields")
        << mount("/sys/fs/cgroup", "cgroup2", "rw", "shared:4 master:1 propagate_from:2") << QByteArray("memory cpu pids")
        << v2 << QStringList{QStringLiteral("cpu"), QStringLiteral("memory"), QStringLiteral("pids")} << root
        << QStringList();

    QTest::newRow("hybrid") << kHybrid << QByteArray() << hybrid << hybridControllers << unified << QStringList();
    QTest::newRow("hybrid ignores the v2 controllers")
        << v1("memory") + mount("/sys/fs/cgroup/unified", "cgroup2", "rw") << QByteArray("cpu pids freezer") << hybrid
        << QStringList{QStringLiteral("memory")} << unified
        << QStringList{QStringLiteral("cpu"), QStringLiteral("pids"), QStringLiteral("freezer")};

    QTest::newRow("v1, cpu and cpuacct together")
        << v1("cpu,cpuacct") + v1("memory") + v1("pids") + v1("freezer") << QByteArray() << v1Name
        << QStringList{QStringLiteral("cpu"), QStringLiteral("cpuacct"), QStringLiteral("freezer"),
                       QStringLiteral("memory"), QStringLiteral("pids")}
        << QString() << QStringList();
    QTest::newRow("v1 without freezer") << v1("cpu") + v1("memory") + v1("pids") << QByteArray() << v1Name
                                        << QStringList{QStringLiteral("cpu"), QStringLiteral("memory"),
                                                       QStringLiteral("pids")}
                                        << QString() << QStringList{QStringLiteral("freezer")};
    QTest::newRow("v1, named hierarchy only") << mount("/sys/fs/cgroup/systemd", "cgroup", "rw,xattr,name=systemd")
                                              << QByteArray() << v1Name << QStringList() << QString() << kAllV1Needs;
    QTest::newRow("v1, same controller twice") << v1("memory") + v1("memory") << QByteArray() << v1Name
                                               << QStringList{QStringLiteral("memory")} << QString()
                                               << QStringList{QStringLiteral("cpu"), QStringLiteral("pids"),
                                                              QStringLiteral("freezer")};
    QTest::newRow("v1, name= is not a controller")
        << mount("/sys/fs/cgroup/x", "cgroup", "rw,name=memory,release_agent=/bin/pids") << QByteArray() << v1Name
        << QStringList() << QString() << kAllV1Needs;

    QTest::newRow("empty") << QByteArray() << QByteArray() << none << QStringList() << QString() << kAllV1Needs;
    QTest::newRow("no cgroups mounted") << kOtherMounts << kDebianControllers << none << QStringList() << QString()
                                        << kAllV1Needs;
    QTest::newRow("cgroup2 only elsewhere") << mount("/sys/fs/cgroup/unified", "cgroup2", "rw") << kDebianControllers
                                            << none << QStringList() << unified << kAllV1Needs;
    QTest::newRow("escaped blank in mount point")
        << mount("/sys/fs/cgroup\\040x", "cgroup2", "rw") << kDebianControllers << none << QStringList()
        << QStringLiteral("/sys/fs/cgroup x") << kAllV1Needs;
    QTest::newRow("no separator") << QByteArray("29 23 0:26 / /sys/fs/cgroup rw shared:4 cgroup2 cgroup2 rw\n")
                                  << kDebianControllers << none << QStringList() << QString() << kAllV1Needs;
    QTest::newRow("separator too early") << QByteArray("29 - cgroup2 cgroup2 rw /sys/fs/cgroup\n")
                                         << kDebianControllers << none << QStringList() << QString() << kAllV1Needs;
    QTest::newRow("no super options") << QByteArray("29 23 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2\n")
                                      << kDebianControllers << none << QStringList() << QString() << kAllV1Needs;
    QTest::newRow("double blanks") << QByteArray("29  23 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n")
                                   << kDebianControllers << none << QStringList() << QString() << kAllV1Needs;
    QTest::newRow("type name as source only")
        << QByteArray("30 22 0:27 / /sys/fs/cgroup rw - tmpfs cgroup2 rw,memory,cpu,pids\n") << kDebianControllers
        << none << QStringList() << QString() << kAllV1Needs;
    QTest::newRow("hostile controller names")
        << kDebianV2 << QByteArray("memory cpu pids ../../etc $(reboot) MEMORY m\xc3\xa9mory") + QByteArray(1, '\0') + "cpuset\n"
        << v2
        << QStringList{QStringLiteral("cpu"), QStringLiteral("memory"), QStringLiteral("pids")} << root
        << QStringList();
    QTest::newRow("huge") << QByteArray(1 << 20, 'x') << QByteArray(1 << 20, 'y') << none << QStringList()
                          << QString() << kAllV1Needs;
}

void tst_hostchecks::cgroups()
{
    QFETCH(QByteArray, mountinfo);
    QFETCH(QByteArray, rootControllers);
    QFETCH(QString, version);
    QFETCH(QStringList, controllers);
    QFETCH(QString, unifiedMount);
    QFETCH(QStringList, missing);

    const CgroupLayout layout = HostChecks::parseCgroups(mountinfo, rootControllers);
    QCOMPARE(HostChecks::cgroupVersionName(layout.version), version);
    QCOMPARE(layout.controllers, controllers);
    QCOMPARE(layout.unifiedMount, unifiedMount);
    QCOMPARE(HostChecks::missingCgroupControllers(layout), missing);
}

void tst_hostchecks::overlayInFilesystems_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("listed");

    const QByteArray debian = "nodev\tsysfs\nnodev\ttmpfs\nnodev\tproc\nnodev\tcgroup2\nnodev\tmqueue\n\text4\n"
                              "nodev\tautofs\n";
    QTest::newRow("debian with overlay") << debian + "nodev\toverlay\n" << true;
    QTest::newRow("last line without newline") << debian + "nodev\toverlay" << true;
    QTest::newRow("first line") << "nodev\toverlay\n" + debian << true;
    QTest::newRow("crlf") << QByteArray("nodev\tsysfs\r\nnodev\toverlay\r\n") << true;
    QTest::newRow("name alone") << QByteArray("overlay\n") << true;

    QTest::newRow("debian without overlay") << debian << false;
    QTest::newRow("empty") << QByteArray() << false;
    QTest::newRow("newlines") << QByteArray("\n\n\n") << false;
    QTest::newRow("overlayfs") << QByteArray("nodev\toverlayfs\n") << false;
    QTest::newRow("overlay2") << QByteArray("nodev\toverlay2\n") << false;
    QTest::newRow("fuse subtype") << QByteArray("nodev\tfuse.overlay\n") << false;
    QTest::newRow("prefix of a line") << QByteArray("overlay\text4\n") << false;
    QTest::newRow("extra words") << QByteArray("nodev\toverlay\tjunk\n") << false;
    QTest::newRow("upper case") << QByteArray("nodev\tOVERLAY\n") << false;
    QTest::newRow("nul inside") << QByteArray("nodev\tover\0lay\n", 15) << false;
    QTest::newRow("huge") << QByteArray(1 << 20, 'o') << false;
}

void tst_hostchecks::overlayInFilesystems()
{
    QFETCH(QByteArray, text);
    QFETCH(bool, listed);
    QCOMPARE(HostChecks::filesystemsListOverlay(text), listed);
}

void tst_hostchecks::moduleInModulesList_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("path");

    const QByteArray others = "kernel/fs/fuse/fuse.ko.xz:\nkernel/fs/nfs/nfs.ko.xz: kernel/net/sunrpc/sunrpc.ko.xz\n";
    QTest::newRow("debian, xz") << others + "kernel/fs/overlayfs/overlay.ko.xz:\n"
                                << QStringLiteral("kernel/fs/overlayfs/overlay.ko.xz");
    QTest::newRow("uncompressed, with dependencies")
        << QByteArray("kernel/fs/overlayfs/overlay.ko: kernel/fs/x.ko\n") << QStringLiteral("kernel/fs/overlayfs/overlay.ko");
    QTest::newRow("zstd") << QByteArray("kernel/fs/overlayfs/overlay.ko.zst:\n")
                          << QStringLiteral("kernel/fs/overlayfs/overlay.ko.zst");
    QTest::newRow("gzip") << QByteArray("kernel/fs/overlayfs/overlay.ko.gz:\n")
                          << QStringLiteral("kernel/fs/overlayfs/overlay.ko.gz");
    QTest::newRow("modules.builtin") << QByteArray("kernel/fs/ext4/ext4.ko\nkernel/fs/overlayfs/overlay.ko\n")
                                     << QStringLiteral("kernel/fs/overlayfs/overlay.ko");
    QTest::newRow("updates directory") << QByteArray("updates/overlay.ko:\n") << QStringLiteral("updates/overlay.ko");

    QTest::newRow("absent") << others << QString();
    QTest::newRow("empty") << QByteArray() << QString();
    QTest::newRow("only a dependency") << QByteArray("kernel/fs/foo.ko: kernel/fs/overlayfs/overlay.ko\n") << QString();
    QTest::newRow("longer name") << QByteArray("kernel/fs/overlayfs/overlayx.ko:\n") << QString();
    QTest::newRow("name as suffix") << QByteArray("kernel/fs/xoverlay.ko:\n") << QString();
    QTest::newRow("directory only") << QByteArray("kernel/fs/overlay.ko/x.ko:\n") << QString();
    QTest::newRow("unknown compression") << QByteArray("kernel/fs/overlayfs/overlay.ko.bak:\n") << QString();
    QTest::newRow("path traversal") << QByteArray("../../../tmp/overlay.ko:\n") << QString();
    QTest::newRow("absolute path") << QByteArray("/tmp/overlay.ko:\n") << QString();
    QTest::newRow("blank in path") << QByteArray("kernel/fs/over lay/overlay.ko:\n") << QString();
    QTest::newRow("nul in path") << QByteArray("kernel/fs/\0/overlay.ko:\n", 24) << QString();
    QTest::newRow("huge") << QByteArray(1 << 20, '/') << QString();
}

void tst_hostchecks::moduleInModulesList()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, path);
    QCOMPARE(HostChecks::moduleInModulesList(text, QStringLiteral("overlay")), path);
}

void tst_hostchecks::credentials_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<bool>("parses");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("url");

    const QString key = QStringLiteral("ai2in_0123456789abcdef0123456789abcdef");
    auto file = [&key](const QByteArray &url) {
        return "{\n    \"api_key\": \"" + key.toLatin1() + "\",\n    \"base_url\": \"" + url + "\"\n}\n";
    };
    QTest::newRow("as the engine writes it") << file("http://127.0.0.1:7300") << true << key
                                             << QStringLiteral("http://127.0.0.1:7300");
    QTest::newRow("ipv6") << file("http://[::1]:7300") << true << key << QStringLiteral("http://[::1]:7300");
    QTest::newRow("https with a path") << file("https://sandboxes.example.com/ai2in") << true << key
                                       << QStringLiteral("https://sandboxes.example.com/ai2in");
    QTest::newRow("other fields too") << QByteArray(R"({"api_key": "k1", "base_url": "http://h:1", "team": "x"})")
                                      << true << QStringLiteral("k1") << QStringLiteral("http://h:1");

    QTest::newRow("empty") << QByteArray() << false << QString() << QString();
    QTest::newRow("truncated") << file("http://127.0.0.1:7300").left(30) << false << QString() << QString();
    QTest::newRow("array") << QByteArray("[]") << false << QString() << QString();
    QTest::newRow("null") << QByteArray("null") << false << QString() << QString();
    QTest::newRow("no base_url") << QByteArray(R"({"api_key": "k1"})") << false << QString() << QString();
    QTest::newRow("no api_key") << QByteArray(R"({"base_url": "http://h:1"})") << false << QString() << QString();
    QTest::newRow("empty key") << QByteArray(R"({"api_key": "", "base_url": "http://h:1"})") << false << QString()
                               << QString();
    QTest::newRow("numeric key") << QByteArray(R"({"api_key": 42, "base_url": "http://h:1"})") << false << QString()
                                 << QString();
    QTest::newRow("blank in key") << QByteArray(R"({"api_key": "a b", "base_url": "http://h:1"})") << false
                                  << QString() << QString();
    QTest::newRow("header injection in key")
        << QByteArray(R"({"api_key": "k\r\nX-Evil: 1", "base_url": "http://h:1"})") << false << QString() << QString();
    QTest::newRow("non-ascii key") << QByteArray(R"({"api_key": "kéy", "base_url": "http://h:1"})") << false
                                   << QString() << QString();
    QTest::newRow("huge key") << R"({"api_key": ")" + QByteArray(100000, 'k') + R"(", "base_url": "http://h:1"})"
                              << false << QString() << QString();
    QTest::newRow("file url") << file("file:///etc/shadow") << false << QString() << QString();
    QTest::newRow("ftp url") << file("ftp://127.0.0.1/") << false << QString() << QString();
    QTest::newRow("javascript url") << file("javascript:alert(1)") << false << QString() << QString();
    QTest::newRow("user info") << file("http://user:secret@127.0.0.1:7300") << false << QString() << QString();
    QTest::newRow("no host") << file("http:///v1") << false << QString() << QString();
    QTest::newRow("relative") << file("/v1/sandboxes") << false << QString() << QString();
    QTest::newRow("query") << file("http://127.0.0.1:7300/?x=1") << false << QString() << QString();
    QTest::newRow("not a url") << file("not a url") << false << QString() << QString();
    QTest::newRow("numeric url") << QByteArray(R"({"api_key": "k1", "base_url": 7300})") << false << QString()
                                 << QString();
}

void tst_hostchecks::credentials()
{
    QFETCH(QByteArray, json);
    QFETCH(bool, parses);
    QFETCH(QString, key);
    QFETCH(QString, url);

    QString error;
    const auto c = HostChecks::parseCredentials(json, &error);
    QCOMPARE(c.has_value(), parses);
    if (!c) {
        QVERIFY2(!error.isEmpty(), "a rejected file needs a reason");
        return;
    }
    QVERIFY(error.isEmpty());
    QCOMPARE(c->apiKey, key);
    QCOMPARE(c->baseUrl.toString(), url);
}

void tst_hostchecks::resultText()
{
    QCOMPARE((HostCheckResult{true, QStringLiteral("kernel: 6.1.0")}).text(), QStringLiteral("✓ kernel: 6.1.0"));
    QCOMPARE((HostCheckResult{false, QStringLiteral("disk: full; free some")}).text(),
             QStringLiteral("✗ disk: full; free some"));
}

QTEST_GUILESS_MAIN(tst_hostchecks)
#include "tst_hostchecks.moc"
