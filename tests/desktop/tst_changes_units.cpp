// SPDX-License-Identifier: GPL-3.0-or-later
// The app's pure parts of the Changes tab: the wire types, the tree that
// follows listings row by row, and the side-by-side layout of a diff.
#include "ChangeEntry.h"
#include "ChangeTreeModel.h"
#include "DiffRows.h"

#include <QAbstractItemModelTester>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

namespace {

ChangeEntry change(const QString &path, ChangeEntry::Kind kind = ChangeEntry::Kind::Added,
                   const QString &type = QStringLiteral("file"), qint64 size = 1)
{
    ChangeEntry c;
    c.path = path;
    c.kind = kind;
    c.type = type;
    c.size = size;
    c.mtimeMs = 1765100000000;
    return c;
}

// The tree as lines: two spaces per level, a changed node with its mark.
QStringList dump(const QAbstractItemModel &m, const QModelIndex &parent = {}, int depth = 0)
{
    QStringList out;
    for (int r = 0; r < m.rowCount(parent); ++r) {
        const QModelIndex i = m.index(r, 0, parent);
        const QString mark = m.index(r, ChangeTreeModel::ChangeColumn, parent).data().toString();
        out << QString(depth * 2, QLatin1Char(' ')) + i.data().toString() + (mark.isEmpty() ? QString() : QLatin1Char(' ') + mark);
        out << dump(m, i, depth + 1);
    }
    return out;
}

} // namespace

class TestChangesUnits : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void entryRoundTrip()
    {
        ChangeList list;
        ChangeEntry link = change(QStringLiteral("/home/sandbox/l"), ChangeEntry::Kind::Added, QStringLiteral("symlink"));
        link.symlinkTarget = QStringLiteral("/etc/shadow");
        list.changes = {change(QStringLiteral("/etc/a"), ChangeEntry::Kind::Modified), link,
                        change(QStringLiteral("/x y/é"), ChangeEntry::Kind::Deleted)};
        list.truncated = true;
        const auto back = ChangeList::fromJson(QJsonDocument(list.toJson()).toJson());
        QVERIFY(back);
        QCOMPARE(back->changes, list.changes);
        QVERIFY(back->truncated);
    }

    void entryRefusals_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("not json") << QByteArray("nope");
        QTest::newRow("no list") << QByteArray("{}");
        QTest::newRow("relative path") << QByteArray(R"({"changes":[{"path":"a","change":"added"}]})");
        QTest::newRow("unknown kind") << QByteArray(R"({"changes":[{"path":"/a","change":"renamed"}]})");
        QTest::newRow("not an object") << QByteArray(R"({"changes":[3]})");
    }

    void entryRefusals()
    {
        QFETCH(QByteArray, body);
        const auto r = ChangeList::fromJson(body);
        QVERIFY(!r);
        QVERIFY(r.error().message.startsWith(QLatin1String("The engine's list of changes cannot be read")));
    }

    void diffRoundTrip()
    {
        ChangeDiff d;
        d.path = QStringLiteral("/etc/a");
        d.kind = ChangeEntry::Kind::Modified;
        d.type = QStringLiteral("file");
        d.before = ChangeDiff::Side{3, QStringLiteral("aa")};
        d.after = ChangeDiff::Side{5, QString()};
        d.tooLarge = true;
        d.diff = QStringLiteral("@@ -1,1 +1,1 @@\n-a\n+b\n");
        const auto back = ChangeDiff::fromJson(QJsonDocument(d.toJson()).toJson());
        QVERIFY(back);
        QCOMPARE(*back, d);
    }

    // Each listing changes the tree row by row; a listing equal to the last
    // changes nothing at all.
    void treeFollowsListings()
    {
        ChangeTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setChanges({change(QStringLiteral("/etc/a"), ChangeEntry::Kind::Modified),
                          change(QStringLiteral("/home/s/dir"), ChangeEntry::Kind::Added, QStringLiteral("dir")),
                          change(QStringLiteral("/home/s/dir/f"))});
        QCOMPARE(dump(model), QStringList({QStringLiteral("etc"), QStringLiteral("  a M"), QStringLiteral("home"),
                                           QStringLiteral("  s"), QStringLiteral("    dir A"), QStringLiteral("      f A")}));
        QCOMPARE(model.changeCount(), 3);

        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        const QModelIndex etc = model.indexOf(QStringLiteral("/etc"));
        model.setChanges({change(QStringLiteral("/etc/a"), ChangeEntry::Kind::Modified),
                          change(QStringLiteral("/home/s/dir"), ChangeEntry::Kind::Added, QStringLiteral("dir")),
                          change(QStringLiteral("/home/s/dir/f"))});
        QCOMPARE(inserted.count() + removed.count() + changed.count(), 0);

        // f grows, g comes, a goes (and /etc with it), b comes before dir.
        model.setChanges({change(QStringLiteral("/home/s/b")),
                          change(QStringLiteral("/home/s/dir"), ChangeEntry::Kind::Added, QStringLiteral("dir")),
                          change(QStringLiteral("/home/s/dir/f"), ChangeEntry::Kind::Added, QStringLiteral("file"), 99),
                          change(QStringLiteral("/home/s/dir/g"))});
        QCOMPARE(dump(model), QStringList({QStringLiteral("home"), QStringLiteral("  s"), QStringLiteral("    b A"),
                                           QStringLiteral("    dir A"), QStringLiteral("      f A"),
                                           QStringLiteral("      g A")}));
        QCOMPARE(reset.count(), 0);
        QCOMPARE(inserted.count(), 2);                  // b, g
        QCOMPARE(removed.count(), 2);                   // a, then etc
        QCOMPARE(changed.count(), 1);                   // f's size
        QVERIFY(!etc.isValid() || !model.indexOf(QStringLiteral("/etc")).isValid());
        QCOMPARE(model.indexOf(QStringLiteral("/home/s/dir/f")).siblingAtColumn(ChangeTreeModel::SizeColumn).data().toString(),
                 QStringLiteral("99 B"));

        // A changed directory that stops being a change keeps its changed children.
        model.setChanges({change(QStringLiteral("/home/s/dir/f"))});
        QVERIFY(model.indexOf(QStringLiteral("/home/s/dir")).isValid());
        QVERIFY(!model.changeAt(QStringLiteral("/home/s/dir")));
        QVERIFY(model.changeAt(QStringLiteral("/home/s/dir/f")));
        model.setChanges({});
        QCOMPARE(model.rowCount(), 0);
    }

    void sideBySide_data()
    {
        QTest::addColumn<QString>("unified");
        QTest::addColumn<QList<DiffRow>>("rows");
        using K = DiffRow::Kind;
        QTest::newRow("change in context")
            << QStringLiteral("--- a/x\n+++ b/x\n@@ -2,3 +2,3 @@\n a\n-b\n+B\n c\n")
            << QList<DiffRow>{{K::Hunk, 0, 0, QStringLiteral("@@ -2,3 +2,3 @@"), QStringLiteral("@@ -2,3 +2,3 @@")},
                              {K::Context, 2, 2, QStringLiteral("a"), QStringLiteral("a")},
                              {K::Changed, 3, 3, QStringLiteral("b"), QStringLiteral("B")},
                              {K::Context, 4, 4, QStringLiteral("c"), QStringLiteral("c")}};
        QTest::newRow("more removed than added")
            << QStringLiteral("@@ -1,2 +1,1 @@\n-x\n-y\n+z\n")
            << QList<DiffRow>{{K::Hunk, 0, 0, QStringLiteral("@@ -1,2 +1,1 @@"), QStringLiteral("@@ -1,2 +1,1 @@")},
                              {K::Changed, 1, 1, QStringLiteral("x"), QStringLiteral("z")},
                              {K::Removed, 2, 0, QStringLiteral("y"), QString()}};
        QTest::newRow("a new file, no line end")
            << QStringLiteral("--- /dev/null\n+++ b/n\n@@ -0,0 +1,1 @@\n+n\n\\ No newline at end of file\n")
            << QList<DiffRow>{{K::Hunk, 0, 0, QStringLiteral("@@ -0,0 +1,1 @@"), QStringLiteral("@@ -0,0 +1,1 @@")},
                              {K::Added, 0, 1, QString(), QStringLiteral("n")}};
    }

    void sideBySide()
    {
        QFETCH(QString, unified);
        QFETCH(QList<DiffRow>, rows);
        QCOMPARE(DiffRows::sideBySide(unified), rows);
    }
};

QTEST_APPLESS_MAIN(TestChangesUnits)
#include "tst_changes_units.moc"
