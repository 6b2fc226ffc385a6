// SPDX-License-Identifier: GPL-3.0-or-later
// A sandbox's changes read from overlay layers made by hand: additions,
// modifications, whiteouts, an opaque directory, a link that points out.
// Needs root (whiteouts are device nodes; the opaque mark a trusted xattr).
#include "changes/LayerChanges.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

namespace {

void write(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}

void whiteout(const QString &path)
{
    QDir().mkpath(QFileInfo(path).path());
    QCOMPARE(::mknod(QFile::encodeName(path).constData(), S_IFCHR | 0, makedev(0, 0)), 0);
}

QStringList lines(const LayerChanges::Listing &l)
{
    QStringList out;
    for (const auto &c : l.changes) {
        QString line = ChangeEntry::kindName(c.kind) + QLatin1Char(' ') + c.type + QLatin1Char(' ') + QString::fromUtf8(c.path);
        if (!c.symlinkTarget.isNull())
            line += QStringLiteral(" -> ") + QString::fromUtf8(c.symlinkTarget);
        out << line;
    }
    return out;
}

} // namespace

class TestLayerChanges : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir{QDir::currentPath() + QStringLiteral("/layers-XXXXXX")};
    QString m_upper, m_lower;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_lower = m_dir.filePath(QStringLiteral("lower"));
        m_upper = m_dir.filePath(QStringLiteral("upper"));
        write(m_lower + QStringLiteral("/etc/a"), "template a\n");
        write(m_lower + QStringLiteral("/etc/b"), "template b\n");
        write(m_lower + QStringLiteral("/etc/dir/one"), "1\n");
        write(m_lower + QStringLiteral("/etc/dir/two"), "2\n");
        write(m_lower + QStringLiteral("/usr/keep"), "kept\n");
        write(m_lower + QStringLiteral("/rm-dir/f"), "f\n");
        write(m_upper + QStringLiteral("/etc/a"), "sandbox a\n");
        whiteout(m_upper + QStringLiteral("/etc/b"));
        write(m_upper + QStringLiteral("/etc/new file é"), "new\n");
        write(m_upper + QStringLiteral("/etc/dir/one"), "one\n");
        const QByteArray opaque = QFile::encodeName(m_upper + QStringLiteral("/etc/dir"));
        QCOMPARE(::setxattr(opaque.constData(), "trusted.overlay.opaque", "y", 1, 0), 0);
        QDir().mkpath(m_upper + QStringLiteral("/home/u"));
        QCOMPARE(::symlink("/etc/shadow", QFile::encodeName(m_upper + QStringLiteral("/home/u/link")).constData()), 0);
        whiteout(m_upper + QStringLiteral("/rm-dir"));
        // A whiteout of something the template never had is nothing.
        whiteout(m_upper + QStringLiteral("/etc/ghost"));
    }

    void everything()
    {
        const auto l = LayerChanges::list(m_upper, m_lower, "/", 100);
        QVERIFY(l);
        QCOMPARE(lines(*l), QStringList({
                                QStringLiteral("modified file /etc/a"),
                                QStringLiteral("deleted file /etc/b"),
                                QStringLiteral("modified dir /etc/dir"),
                                QStringLiteral("modified file /etc/dir/one"),
                                QStringLiteral("deleted file /etc/dir/two"),
                                QStringLiteral("added file /etc/new file é"),
                                QStringLiteral("added dir /home"),
                                QStringLiteral("added dir /home/u"),
                                QStringLiteral("added symlink /home/u/link -> /etc/shadow"),
                                QStringLiteral("deleted dir /rm-dir"),
                            }));
        QVERIFY(!l->truncated);
        QCOMPARE(l->changes[0].size, 10); // "sandbox a\n"
        QCOMPARE(l->changes[1].size, 11); // the template's "template b\n"
    }

    void underAPrefix()
    {
        const auto l = LayerChanges::list(m_upper, m_lower, "/etc/dir", 100);
        QVERIFY(l);
        QCOMPARE(lines(*l), QStringList({QStringLiteral("modified dir /etc/dir"), QStringLiteral("modified file /etc/dir/one"),
                                         QStringLiteral("deleted file /etc/dir/two")}));
        const auto none = LayerChanges::list(m_upper, m_lower, "/usr", 100);
        QVERIFY(none);
        QVERIFY(none->changes.isEmpty());
        // A prefix is a path, not a string: /etc/d is not /etc/dir.
        const auto partial = LayerChanges::list(m_upper, m_lower, "/etc/d", 100);
        QVERIFY(partial);
        QVERIFY(partial->changes.isEmpty());
    }

    void limited()
    {
        const auto l = LayerChanges::list(m_upper, m_lower, "/", 3);
        QVERIFY(l);
        QCOMPARE(l->changes.size(), 3);
        QVERIFY(l->truncated);
    }

    void templateSide()
    {
        const auto a = LayerChanges::templateSide(m_lower, "/etc/a", 1024);
        QVERIFY(a);
        QCOMPARE(a->bytes, QByteArray("template a\n"));
        const auto big = LayerChanges::templateSide(m_lower, "/etc/a", 4);
        QVERIFY(big);
        QVERIFY(big->tooLarge);
        QCOMPARE(big->size, 11);
        QVERIFY(!LayerChanges::templateSide(m_lower, "/etc/../etc/a", 1024));
        QVERIFY(!LayerChanges::templateSide(m_lower, "/etc/missing", 1024));
    }

    // A link in the template on the way to a path is not followed.
    void templateLinksNotFollowed()
    {
        QCOMPARE(::symlink("/etc", QFile::encodeName(m_lower + QStringLiteral("/etc-link")).constData()), 0);
        QVERIFY(!LayerChanges::templateSide(m_lower, "/etc-link/a", 1024));
        const auto link = LayerChanges::templateSide(m_lower, "/etc-link", 1024);
        QVERIFY(link);
        QCOMPARE(link->bytes, QByteArray("/etc"));
    }
};

QTEST_GUILESS_MAIN(TestLayerChanges)
#include "tst_layerchanges.moc"
