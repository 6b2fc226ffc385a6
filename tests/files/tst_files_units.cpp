// SPDX-License-Identifier: GPL-3.0-or-later
// The Files tab's pure parts, by table: entries and listings from the
// engine's JSON (bad input → a sentence), permission strings, free names
// for clashes, remote paths, watch events and their coalescing, the upload
// plan of a dropped folder tree, binary detection and the hex dump.
#include "FileNames.h"
#include "FilePreview.h"
#include "FileWatch.h"
#include "FileEntry.h"
#include "RemoteFileModel.h"
#include "UploadPlan.h"
#include "UploadQueue.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using Event = FileWatch::Event;
using EventType = FileWatch::Event::Type;

class tst_files_units : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void entryFromJson_data();
    void entryFromJson();
    void listFromJson_data();
    void listFromJson();
    void permissions_data();
    void permissions();
    void freeName_data();
    void freeName();
    void paths_data();
    void paths();
    void validNames();
    void watchEvent_data();
    void watchEvent();
    void coalesce_data();
    void coalesce();
    void sortOrder();
    void uploadPlan();
    void uploadPlanProblems();
    void binary_data();
    void binary();
    void hexDump();
    void tooLargeSentence();
};

void tst_files_units::entryFromJson_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("type");
    QTest::addColumn<qint64>("size");

    const int file = int(FileEntry::Type::File);
    QTest::newRow("file") << QByteArray(R"({"name":"app.py","path":"/home/sandbox/app.py","type":"file","size":26,"mode":420,"mtime":"2026-11-22T10:00:00.000Z","owner":"sandbox","symlink_target":null})")
                          << true << "app.py" << file << qint64(26);
    QTest::newRow("dir") << QByteArray(R"({"name":"src","path":"/src","type":"dir","size":4096,"mode":493})") << true << "src"
                         << int(FileEntry::Type::Dir) << qint64(4096);
    QTest::newRow("link") << QByteArray(R"({"name":"l","path":"/l","type":"symlink","size":3,"symlink_target":"/etc"})") << true
                          << "l" << int(FileEntry::Type::Symlink) << qint64(3);
    QTest::newRow("name from path") << QByteArray(R"({"path":"/a/b c","type":"other","size":0})") << true << "b c"
                                    << int(FileEntry::Type::Other) << qint64(0);
    QTest::newRow("big size") << QByteArray(R"({"name":"x","path":"/x","type":"file","size":5000000000})") << true << "x" << file
                              << qint64(5000000000);
    QTest::newRow("empty object") << QByteArray("{}") << false << "" << 0 << qint64(0);
    QTest::newRow("relative path") << QByteArray(R"({"name":"x","path":"x","type":"file","size":1})") << false << "" << 0 << qint64(0);
    QTest::newRow("unknown type") << QByteArray(R"({"name":"x","path":"/x","type":"fifo","size":1})") << false << "" << 0 << qint64(0);
    QTest::newRow("no size") << QByteArray(R"({"name":"x","path":"/x","type":"file"})") << false << "" << 0 << qint64(0);
    QTest::newRow("negative size") << QByteArray(R"({"name":"x","path":"/x","type":"file","size":-1})") << false << "" << 0 << qint64(0);
    QTest::newRow("size as text") << QByteArray(R"({"name":"x","path":"/x","type":"file","size":"1"})") << false << "" << 0 << qint64(0);
    QTest::newRow("slash in name") << QByteArray(R"({"name":"a/b","path":"/a/b","type":"file","size":1})") << false << "" << 0 << qint64(0);
}

void tst_files_units::entryFromJson()
{
    QFETCH(QByteArray, json);
    QFETCH(bool, ok);
    const auto e = FileEntry::statFromJson(json);
    QCOMPARE(e.ok(), ok);
    if (!ok) {
        QVERIFY(e.error().message.startsWith(QStringLiteral("The engine's file listing is not readable")));
        return;
    }
    QFETCH(QString, name);
    QFETCH(int, type);
    QFETCH(qint64, size);
    QCOMPARE(e->name, name);
    QCOMPARE(int(e->type), type);
    QCOMPARE(e->size, size);
}

void tst_files_units::listFromJson_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("count"); // -1: an error
    QTest::addColumn<QString>("sentence");

    QTest::newRow("empty body") << QByteArray() << -1 << "it is not JSON";
    QTest::newRow("not json") << QByteArray("<html>") << -1 << "it is not JSON";
    QTest::newRow("array") << QByteArray("[]") << -1 << "it is not JSON";
    QTest::newRow("no entries") << QByteArray("{}") << -1 << "it has no list of entries";
    QTest::newRow("entries not array") << QByteArray(R"({"entries":{}})") << -1 << "it has no list of entries";
    QTest::newRow("entry not object") << QByteArray(R"({"entries":[1]})") << -1 << "an entry is not an object";
    QTest::newRow("bad entry") << QByteArray(R"({"entries":[{"path":"/a","type":"file","size":1},{"path":"/b"}]})") << -1
                               << "the entry /b has an unknown type";
    QTest::newRow("none") << QByteArray(R"({"entries":[]})") << 0 << "";
    QTest::newRow("two") << QByteArray(R"({"entries":[{"path":"/a","type":"file","size":1},{"path":"/b","type":"dir","size":0}]})")
                         << 2 << "";
}

void tst_files_units::listFromJson()
{
    QFETCH(QByteArray, body);
    QFETCH(int, count);
    QFETCH(QString, sentence);
    const auto list = FileEntry::listFromJson(body);
    QCOMPARE(list.ok(), count >= 0);
    if (count >= 0)
        QCOMPARE(int(list->size()), count);
    else
        QCOMPARE(list.error().message, QStringLiteral("The engine's file listing is not readable: %1.").arg(sentence));
}

void tst_files_units::permissions_data()
{
    QTest::addColumn<int>("type");
    QTest::addColumn<int>("mode");
    QTest::addColumn<QString>("text");
    const int file = int(FileEntry::Type::File);
    QTest::newRow("644") << file << 0644 << "-rw-r--r--";
    QTest::newRow("755 dir") << int(FileEntry::Type::Dir) << 0755 << "drwxr-xr-x";
    QTest::newRow("777 link") << int(FileEntry::Type::Symlink) << 0777 << "lrwxrwxrwx";
    QTest::newRow("none") << file << 0 << "----------";
    QTest::newRow("setuid") << file << 04755 << "-rwsr-xr-x";
    QTest::newRow("setuid no x") << file << 04644 << "-rwSr--r--";
    QTest::newRow("setgid") << file << 02750 << "-rwxr-s---";
    QTest::newRow("sticky /tmp") << int(FileEntry::Type::Dir) << 01777 << "drwxrwxrwt";
    QTest::newRow("sticky no x") << int(FileEntry::Type::Dir) << 01776 << "drwxrwxrwT";
    QTest::newRow("other type") << int(FileEntry::Type::Other) << 0600 << "?rw-------";
}

void tst_files_units::permissions()
{
    QFETCH(int, type);
    QFETCH(int, mode);
    QFETCH(QString, text);
    QCOMPARE(FileEntry::permissionString(FileEntry::Type(type), mode), text);
}

void tst_files_units::freeName_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QStringList>("taken");
    QTest::addColumn<QString>("result");
    QTest::newRow("free") << "a.txt" << QStringList{"b.txt"} << "a.txt";
    QTest::newRow("nothing taken") << "a.txt" << QStringList{} << "a.txt";
    QTest::newRow("taken") << "a.txt" << QStringList{"a.txt"} << "a (1).txt";
    QTest::newRow("two taken") << "a.txt" << QStringList{"a.txt", "a (1).txt"} << "a (2).txt";
    QTest::newRow("gap") << "a.txt" << QStringList{"a.txt", "a (2).txt"} << "a (1).txt";
    QTest::newRow("no extension") << "Makefile" << QStringList{"Makefile"} << "Makefile (1)";
    QTest::newRow("dotfile") << ".bashrc" << QStringList{".bashrc"} << ".bashrc (1)";
    QTest::newRow("two dots") << "a.tar.gz" << QStringList{"a.tar.gz"} << "a.tar (1).gz";
    QTest::newRow("trailing dot") << "a." << QStringList{"a."} << "a (1).";
    QTest::newRow("case differs") << "A.txt" << QStringList{"a.txt"} << "A.txt";
    QTest::newRow("unicode") << "über.md" << QStringList{"über.md"} << "über (1).md";
}

void tst_files_units::freeName()
{
    QFETCH(QString, name);
    QFETCH(QStringList, taken);
    QFETCH(QString, result);
    QCOMPARE(FileNames::freeName(name, QSet<QString>(taken.cbegin(), taken.cend())), result);
}

void tst_files_units::paths_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("normalized");
    QTest::addColumn<QString>("parent");
    QTest::addColumn<QString>("base");
    QTest::newRow("plain") << "/a/b/c" << "/a/b/c" << "/a/b/c" << "c";
    QTest::newRow("root") << "/" << "/" << "/" << "/";
    QTest::newRow("top") << "/a" << "/a" << "/a" << "a";
    QTest::newRow("trailing slash") << "/a/b/" << "/a/b" << "/a/b/" << "";
    QTest::newRow("doubled") << "//a//b" << "/a/b" << "//a//b" << "b";
    QTest::newRow("dot") << "/a/./b" << "/a/b" << "/a/./b" << "b";
    QTest::newRow("relative") << "src" << "/home/sandbox/src" << "src" << "src";
    QTest::newRow("empty") << "" << "" << "" << "";
    QTest::newRow("spaces") << "  /tmp  " << "/tmp" << "  /tmp  " << "tmp  ";
}

void tst_files_units::paths()
{
    QFETCH(QString, path);
    QFETCH(QString, normalized);
    QFETCH(QString, base);
    QCOMPARE(FileNames::normalized(path), normalized);
    QCOMPARE(FileNames::baseName(path), base);
    if (!normalized.isEmpty() && normalized != QLatin1String("/")) {
        // join(parent, base) is the path again.
        QCOMPARE(FileNames::join(FileNames::parentOf(normalized), FileNames::baseName(normalized)), normalized);
    }
    QCOMPARE(FileNames::parentOf(QStringLiteral("/a")), QStringLiteral("/"));
    QCOMPARE(FileNames::parentOf(QStringLiteral("/a/b")), QStringLiteral("/a"));
    QCOMPARE(FileNames::join(QStringLiteral("/"), QStringLiteral("x")), QStringLiteral("/x"));
}

void tst_files_units::validNames()
{
    QVERIFY(!FileNames::isValidName(QStringLiteral("a/b")));
    QVERIFY(!FileNames::isValidName(QStringLiteral("..")));
    QVERIFY(!FileNames::isValidName(QString()));
    QVERIFY(!FileNames::isValidName(QStringLiteral("a") + QChar(0)));
    QVERIFY(FileNames::isValidName(QStringLiteral("a b.txt")));
}

void tst_files_units::watchEvent_data()
{
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<int>("type");
    QTest::addColumn<QString>("path");
    QTest::addColumn<bool>("isDir");
    QTest::newRow("create") << QByteArray(R"({"type":"create","path":"/home/sandbox/a","is_dir":false})") << true
                            << int(EventType::Create) << "/home/sandbox/a" << false;
    QTest::newRow("modify") << QByteArray(R"({"type":"modify","path":"/a"})") << true << int(EventType::Modify) << "/a" << false;
    QTest::newRow("remove dir") << QByteArray(R"({"type":"remove","path":"/d","is_dir":true})") << true
                                << int(EventType::Remove) << "/d" << true;
    QTest::newRow("empty") << QByteArray() << false << 0 << "" << false;
    QTest::newRow("not json") << QByteArray("create /a") << false << 0 << "" << false;
    QTest::newRow("unknown type") << QByteArray(R"({"type":"dropped"})") << false << 0 << "" << false;
    QTest::newRow("relative path") << QByteArray(R"({"type":"create","path":"a"})") << false << 0 << "" << false;
    QTest::newRow("no path") << QByteArray(R"({"type":"create"})") << false << 0 << "" << false;
}

void tst_files_units::watchEvent()
{
    QFETCH(QByteArray, message);
    QFETCH(bool, ok);
    const auto e = FileWatch::parseEvent(message);
    QCOMPARE(e.ok(), ok);
    if (!ok) {
        QVERIFY(!e.error().message.isEmpty());
        return;
    }
    QFETCH(int, type);
    QFETCH(QString, path);
    QFETCH(bool, isDir);
    QCOMPARE(int(e->type), type);
    QCOMPARE(e->path, path);
    QCOMPARE(e->isDir, isDir);
}

void tst_files_units::coalesce_data()
{
    QTest::addColumn<QList<Event>>("in");
    QTest::addColumn<QList<Event>>("out");
    const Event ca{EventType::Create, QStringLiteral("/a"), false};
    const Event ma{EventType::Modify, QStringLiteral("/a"), false};
    const Event ra{EventType::Remove, QStringLiteral("/a"), false};
    const Event cb{EventType::Create, QStringLiteral("/b"), false};
    const Event mb{EventType::Modify, QStringLiteral("/b"), false};
    QTest::newRow("empty") << QList<Event>{} << QList<Event>{};
    QTest::newRow("one") << QList<Event>{ca} << QList<Event>{ca};
    QTest::newRow("create then writes") << QList<Event>{ca, ma, ma, ma} << QList<Event>{ca};
    QTest::newRow("create then remove") << QList<Event>{ca, ma, ra} << QList<Event>{ra};
    QTest::newRow("remove then create") << QList<Event>{ra, ca} << QList<Event>{ca};
    QTest::newRow("modifies") << QList<Event>{ma, ma} << QList<Event>{ma};
    QTest::newRow("two paths keep order") << QList<Event>{cb, ca, mb, ma} << QList<Event>{cb, ca};
    QTest::newRow("modify then create") << QList<Event>{mb, cb} << QList<Event>{cb};
}

void tst_files_units::coalesce()
{
    QFETCH(QList<Event>, in);
    QFETCH(QList<Event>, out);
    QCOMPARE(FileWatch::coalesce(in), out);
}

void tst_files_units::sortOrder()
{
    auto entry = [](const QString &name, bool dir) {
        FileEntry e;
        e.name = name;
        e.type = dir ? FileEntry::Type::Dir : FileEntry::Type::File;
        return e;
    };
    QList<FileEntry> list{entry("b.txt", false), entry("Zeta", true), entry("a.txt", false), entry("alpha", true),
                            entry("B.txt", false)};
    std::sort(list.begin(), list.end(), &RemoteFileModel::lessThan);
    QStringList names;
    for (const FileEntry &e : list)
        names.append(e.name);
    QCOMPARE(names, (QStringList{"alpha", "Zeta", "a.txt", "B.txt", "b.txt"}));
}

void tst_files_units::uploadPlan()
{
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QDir root(tmp.path());
    QVERIFY(root.mkpath(QStringLiteral("proj/src/deep")));
    QVERIFY(root.mkpath(QStringLiteral("proj/empty")));
    auto write = [&root](const QString &rel, const QByteArray &bytes) {
        QFile f(root.filePath(rel));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(bytes);
    };
    write(QStringLiteral("single.txt"), "12345");
    write(QStringLiteral("proj/README"), "r");
    write(QStringLiteral("proj/.hidden"), "hh");
    write(QStringLiteral("proj/src/main.c"), "int main;");
    write(QStringLiteral("proj/src/deep/x.bin"), QByteArray(10, 'x'));

    const QList<QUrl> urls{QUrl::fromLocalFile(root.filePath(QStringLiteral("single.txt"))),
                           QUrl::fromLocalFile(root.filePath(QStringLiteral("proj")))};
    const UploadPlan plan = UploadPlan::fromUrls(urls, QStringLiteral("/home/sandbox/in"));
    QVERIFY(plan.problems.isEmpty());
    const QString r = QStringLiteral("/home/sandbox/in");
    const QList<UploadPlan::Item> expected{
        {root.filePath("single.txt"), r + "/single.txt", 5, false},
        {root.filePath("proj"), r + "/proj", 0, true},
        {root.filePath("proj/.hidden"), r + "/proj/.hidden", 2, false},
        {root.filePath("proj/README"), r + "/proj/README", 1, false},
        {root.filePath("proj/empty"), r + "/proj/empty", 0, true},
        {root.filePath("proj/src"), r + "/proj/src", 0, true},
        {root.filePath("proj/src/main.c"), r + "/proj/src/main.c", 9, false},
        {root.filePath("proj/src/deep"), r + "/proj/src/deep", 0, true},
        {root.filePath("proj/src/deep/x.bin"), r + "/proj/src/deep/x.bin", 10, false},
    };
    QCOMPARE(plan.items.size(), expected.size());
    for (qsizetype i = 0; i < expected.size(); ++i)
        QVERIFY2(plan.items[i] == expected[i], qPrintable(plan.items[i].remotePath + " vs " + expected[i].remotePath));
    // Every directory comes before what is in it.
    for (qsizetype i = 0; i < plan.items.size(); ++i) {
        for (qsizetype j = 0; j < i; ++j)
            QVERIFY(!plan.items[j].remotePath.startsWith(plan.items[i].remotePath + "/"));
    }
}

void tst_files_units::uploadPlanProblems()
{
    const UploadPlan plan = UploadPlan::fromUrls({QUrl(QStringLiteral("https://example.com/a.txt")),
                                                  QUrl::fromLocalFile(QStringLiteral("/nonexistent/ai2in/x"))},
                                                 QStringLiteral("/tmp"));
    QVERIFY(plan.items.isEmpty());
    QCOMPARE(plan.problems.size(), 2);
    QVERIFY(plan.problems[0].contains(QStringLiteral("not a local file")));
    QVERIFY(plan.problems[1].contains(QStringLiteral("does not exist")));
}

void tst_files_units::binary_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<bool>("binary");
    QTest::newRow("empty") << QByteArray() << false;
    QTest::newRow("ascii") << QByteArray("hello\nworld\n") << false;
    QTest::newRow("utf8") << QString("grüße ✓").toUtf8() << false;
    QTest::newRow("utf8 cut at the end") << QString("ab✓").toUtf8().chopped(1) << false;
    QTest::newRow("nul") << QByteArray("ab\0cd", 5) << true;
    QTest::newRow("latin1") << QByteArray("caf\xe9 au lait") << true;
    QTest::newRow("png header") << QByteArray("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16) << true;
    QTest::newRow("lone continuation") << QByteArray("a\x80z") << true;
}

void tst_files_units::binary()
{
    QFETCH(QByteArray, bytes);
    QFETCH(bool, binary);
    QCOMPARE(FilePreview::isBinary(bytes), binary);
}

void tst_files_units::hexDump()
{
    QCOMPARE(FilePreview::hexDump(QByteArray("Hello\n")),
             QStringLiteral("00000000  48 65 6c 6c 6f 0a                                 |Hello.|\n"));
    const QString two = FilePreview::hexDump(QByteArray(20, 'A'));
    QCOMPARE(two.count(QLatin1Char('\n')), 2);
    QVERIFY(two.startsWith(QStringLiteral("00000000  41 41 41 41 41 41 41 41  41 41")));
    QVERIFY(two.contains(QStringLiteral("00000010  41 41 41 41")));
    QCOMPARE(FilePreview::hexDump(QByteArray(100, 'x'), 32).count(QLatin1Char('\n')), 2);
    QCOMPARE(FilePreview::hexDump(QByteArray()), QString());
}

void tst_files_units::tooLargeSentence()
{
    const QString s = UploadQueue::tooLargeSentence(QStringLiteral("big.bin"), 40ll * 1024 * 1024);
    QVERIFY2(s.startsWith(QStringLiteral("big.bin is 40")), qPrintable(s));
    QVERIFY2(s.contains(QStringLiteral("at most 32")), qPrintable(s));
    QVERIFY2(s.endsWith(QStringLiteral("so it was not uploaded.")), qPrintable(s));
}

QTEST_GUILESS_MAIN(tst_files_units)
#include "tst_files_units.moc"
