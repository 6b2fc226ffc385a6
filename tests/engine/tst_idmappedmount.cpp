// SPDX-License-Identifier: GPL-3.0-or-later
// The idmapped overlay a sandbox with its own id range runs on, made for
// real on this kernel (root only): the lower tree's owners appear shifted to
// the sandbox's range, new files belong to that range on the host, the lower
// tree is untouched, and unmounting the overlay leaves no mount behind.

#include "IdmappedMount.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <ctime>
#include <unistd.h>

Q_DECLARE_METATYPE(IdmappedMount::Layering)

class tst_idmappedmount : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void mapLine_data();
    void mapLine();
    void userNamespace();
    void userNamespaceIsQuick();
    void overlayShiftsOwners_data();
    void overlayShiftsOwners();
    void badMappingIsRefused();
    void probeLeavesNothing();
    void cleanup();

private:
    QString m_mounted;
};

namespace {

constexpr uint kFrom = 500000;
constexpr uint kTo = 900000;

struct stat statOf(const QString &path)
{
    struct stat st {};
    if (::lstat(QFile::encodeName(path).constData(), &st) != 0)
        st.st_uid = st.st_gid = uid_t(-2);
    return st;
}

bool makeOwned(const QString &path, bool dir, uint uid)
{
    if (dir ? !QDir().mkpath(path) : !QFile(path).open(QIODevice::WriteOnly))
        return false;
    return ::chown(QFile::encodeName(path).constData(), uid, uid) == 0;
}

QString mountLine(const QString &target)
{
    QFile f(QStringLiteral("/proc/self/mountinfo"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.split(' ').value(4) == QFile::encodeName(target))
            return QString::fromLocal8Bit(line);
    }
    return {};
}

// The pids of this process's children, from every thread's list.
QString childPids()
{
    QString all;
    for (const QString &tid : QDir(QStringLiteral("/proc/self/task")).entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile f(QStringLiteral("/proc/self/task/%1/children").arg(tid));
        if (f.open(QIODevice::ReadOnly))
            all += QString::fromLatin1(f.readAll()).trimmed();
    }
    return all;
}

} // namespace

void tst_idmappedmount::cleanup()
{
    if (!m_mounted.isEmpty())
        ::umount2(QFile::encodeName(m_mounted).constData(), MNT_DETACH);
    m_mounted.clear();
}

void tst_idmappedmount::mapLine_data()
{
    QTest::addColumn<uint>("fromBase");
    QTest::addColumn<uint>("fromCount");
    QTest::addColumn<uint>("toBase");
    QTest::addColumn<uint>("toCount");
    QTest::addColumn<QByteArray>("line"); // "" when the mapping is refused

    QTest::newRow("template to sandbox") << 100000u << 65536u << 1073741824u << 65536u
                                         << QByteArray("100000 1073741824 65536\n");
    QTest::newRow("smaller template") << 100000u << 2000u << 1073741824u << 65536u
                                      << QByteArray("100000 1073741824 2000\n");
    QTest::newRow("template bigger than the range") << 100000u << 65537u << 1073741824u << 65536u << QByteArray();
    QTest::newRow("no ids") << 100000u << 0u << 1073741824u << 65536u << QByteArray();
    QTest::newRow("past the last id") << 100000u << 65536u << 4294967295u - 1000 << 65536u << QByteArray();
}

void tst_idmappedmount::mapLine()
{
    QFETCH(uint, fromBase);
    QFETCH(uint, fromCount);
    QFETCH(uint, toBase);
    QFETCH(uint, toCount);
    QFETCH(QByteArray, line);
    const IdmappedMount::Mapping m{{fromBase, fromCount}, {toBase, toCount}};
    const QString bad = IdmappedMount::checkMapping(m);
    if (line.isEmpty()) {
        QVERIFY(!bad.isEmpty());
        return;
    }
    QVERIFY2(bad.isEmpty(), qPrintable(bad));
    QCOMPARE(IdmappedMount::mapLine(m), line);
}

void tst_idmappedmount::userNamespace()
{
    if (::geteuid() != 0)
        QSKIP("needs root");
    const auto ns = IdmappedMount::userNamespace({{kFrom, 65536}, {kTo, 65536}});
    QVERIFY2(ns, ns ? "" : qPrintable(ns.error().message));
    const QString link = QFile::symLinkTarget(QStringLiteral("/proc/self/fd/%1").arg(*ns));
    const QString own = QFile::symLinkTarget(QStringLiteral("/proc/self/ns/user"));
    ::close(*ns);
    QVERIFY2(link.contains(QLatin1String("user:[")), qPrintable(link));
    QVERIFY2(link != own, qPrintable(link)); // a namespace of its own, not ours
    // The child that made it is gone and reaped: no zombie of ours is left.
    QTRY_COMPARE_WITH_TIMEOUT(childPids(), QString(), 5000);
}

void tst_idmappedmount::userNamespaceIsQuick()
{
    // It runs on the engine's event loop: it must cost about a fork.
    if (::geteuid() != 0)
        QSKIP("needs root");
    QElapsedTimer t;
    t.start();
    timespec cpu0{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu0);
    constexpr int kRounds = 50;
    for (int i = 0; i < kRounds; ++i) {
        const auto ns = IdmappedMount::userNamespace({{kFrom, 65536}, {kTo + uint(i) * 65536, 65536}});
        QVERIFY2(ns, ns ? "" : qPrintable(ns.error().message));
        ::close(*ns);
    }
    const qint64 us = t.nsecsElapsed() / 1000 / kRounds;
    timespec cpu1{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu1);
    const qint64 cpuUs = ((cpu1.tv_sec - cpu0.tv_sec) * 1000000000LL + (cpu1.tv_nsec - cpu0.tv_nsec)) / 1000 / kRounds;
    qInfo("userNamespace: %lld µs per call, %lld µs of it on this thread's CPU", us, cpuUs);
    QVERIFY2(us < 20000, qPrintable(QString::number(us)));
    QTRY_COMPARE_WITH_TIMEOUT(childPids(), QString(), 5000);
}

void tst_idmappedmount::overlayShiftsOwners_data()
{
    QTest::addColumn<IdmappedMount::Layering>("how");
    QTest::newRow("by descriptor (Linux 6.13+)") << IdmappedMount::Layering::ByDescriptor;
    QTest::newRow("by path (Linux 5.19+)") << IdmappedMount::Layering::ByPath;
    QTest::newRow("auto") << IdmappedMount::Layering::Auto;
}

void tst_idmappedmount::overlayShiftsOwners()
{
    QFETCH(IdmappedMount::Layering, how);
    if (::geteuid() != 0)
        QSKIP("needs root");
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString lower = tmp.filePath(QStringLiteral("lower"));
    const QString upper = tmp.filePath(QStringLiteral("upper"));
    const QString work = tmp.filePath(QStringLiteral("work"));
    const QString target = tmp.filePath(QStringLiteral("merged"));
    QVERIFY(makeOwned(lower, true, kFrom));
    QVERIFY(makeOwned(lower + QStringLiteral("/home"), true, kFrom + 1000));
    QVERIFY(makeOwned(lower + QStringLiteral("/home/file"), false, kFrom + 1000));
    QVERIFY(makeOwned(upper, true, kTo));
    QVERIFY(QDir().mkpath(work) && QDir().mkpath(target));

    const QString attach = tmp.filePath(QStringLiteral("attach"));
    const auto s = IdmappedMount::mountOverlay(lower, {{kFrom, 65536}, {kTo, 65536}}, upper, work, target, attach, how);
    QVERIFY2(s, s ? "" : qPrintable(s.error().message));
    m_mounted = target;
    const QString line = mountLine(target);
    QVERIFY2(line.contains(QLatin1String(" overlay ")), qPrintable(line));
    // nodev always; not nosuid, or sudo in the sandbox could not work.
    QVERIFY2(!line.contains(QLatin1String("nosuid")) && line.contains(QLatin1String("nodev")), qPrintable(line));

    // The lower tree's owners, shifted onto the sandbox's range.
    QCOMPARE(uint(statOf(target).st_uid), kTo);
    QCOMPARE(uint(statOf(target + QStringLiteral("/home/file")).st_uid), kTo + 1000);
    QCOMPARE(uint(statOf(target + QStringLiteral("/home/file")).st_gid), kTo + 1000);

    // A change copies up owned by the sandbox's range; the lower is untouched.
    QFile changed(target + QStringLiteral("/home/file"));
    QVERIFY(changed.open(QIODevice::WriteOnly | QIODevice::Append));
    QVERIFY(changed.write("x") == 1);
    changed.close();
    QCOMPARE(uint(statOf(upper + QStringLiteral("/home/file")).st_uid), kTo + 1000);
    QCOMPARE(uint(statOf(lower + QStringLiteral("/home/file")).st_uid), kFrom + 1000);
    QCOMPARE(QFileInfo(lower + QStringLiteral("/home/file")).size(), 0);

    // The idmapped clone was never attached: unmounting the overlay is all.
    QFile mi(QStringLiteral("/proc/self/mountinfo"));
    QVERIFY(mi.open(QIODevice::ReadOnly));
    const QByteArray table = mi.readAll();
    QVERIFY2(!table.contains(QFile::encodeName(lower) + ' '), table.constData());
    QVERIFY2(!table.contains(QFile::encodeName(attach) + ' '), table.constData());
    QVERIFY(!QFileInfo::exists(attach));
    QCOMPARE(::umount2(QFile::encodeName(target).constData(), MNT_DETACH), 0);
    m_mounted.clear();
    QVERIFY(mountLine(target).isEmpty());
}

void tst_idmappedmount::badMappingIsRefused()
{
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const auto s = IdmappedMount::mountOverlay(tmp.path(), {{kFrom, 70000}, {kTo, 65536}}, tmp.path(), tmp.path(),
                                               tmp.path(), tmp.filePath(QStringLiteral("attach")));
    QVERIFY(!s);
    QVERIFY2(s.error().message.endsWith(QLatin1Char('.')), qPrintable(s.error().message));
    QVERIFY(mountLine(tmp.path()).isEmpty());
}

void tst_idmappedmount::probeLeavesNothing()
{
    // What the engine runs at start: a real idmapped overlay, then nothing.
    if (::geteuid() != 0)
        QSKIP("needs root");
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    QVERIFY(QDir().mkpath(tmp.filePath(QStringLiteral("lower/etc"))));
    const QString scratch = tmp.filePath(QStringLiteral("probe"));
    const auto s = IdmappedMount::probe(tmp.filePath(QStringLiteral("lower")), scratch);
    QVERIFY2(s, s ? "" : qPrintable(s.error().message));
    QVERIFY(!QFileInfo::exists(scratch));
    QFile mi(QStringLiteral("/proc/self/mountinfo"));
    QVERIFY(mi.open(QIODevice::ReadOnly));
    QVERIFY(!mi.readAll().contains(QFile::encodeName(tmp.path())));
    // A lower that is not there: a sentence, and still nothing left.
    const auto missing = IdmappedMount::probe(tmp.filePath(QStringLiteral("nope")), scratch);
    QVERIFY(!missing);
    QVERIFY2(missing.error().message.contains(QLatin1String("open_tree")), qPrintable(missing.error().message));
    QVERIFY(!QFileInfo::exists(scratch));
}

QTEST_APPLESS_MAIN(tst_idmappedmount)
#include "tst_idmappedmount.moc"
