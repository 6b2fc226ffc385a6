// SPDX-License-Identifier: GPL-3.0-or-later
#include "TemplateBuildProgress.h"
#include "TemplateBuilder.h"
#include "TemplateInfo.h"
#include "TemplateRecipe.h"
#include "TemplateStore.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QtTest>

class TestTemplateStore : public QObject
{
    Q_OBJECT

private:
    static void writeFile(const QString &path, const QByteArray &content)
    {
        QVERIFY(QDir().mkpath(QFileInfo(path).absolutePath()));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        QCOMPARE(f.write(content), content.size());
    }

    static TemplateInfo sampleInfo(const QString &name)
    {
        TemplateInfo info;
        info.name = name;
        info.createdAt = QDateTime(QDate(2025, 5, 20), QTime(10, 0, 0, 123), Qt::UTC);
        info.packages = {QStringLiteral("python3"), QStringLiteral("git")};
        return info;
    }

private Q_SLOTS:
    void validName_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("valid");
        QTest::newRow("base") << QStringLiteral("base") << true;
        QTest::newRow("single char") << QStringLiteral("a") << true;
        QTest::newRow("digit first") << QStringLiteral("3d") << true;
        QTest::newRow("punctuation") << QStringLiteral("py3.11_data-sci") << true;
        QTest::newRow("63 chars") << QString(63, QLatin1Char('a')) << true;
        QTest::newRow("64 chars") << QString(64, QLatin1Char('a')) << false;
        QTest::newRow("empty") << QString() << false;
        QTest::newRow("upper case") << QStringLiteral("Base") << false;
        QTest::newRow("leading dot") << QStringLiteral(".build-base") << false;
        QTest::newRow("leading dash") << QStringLiteral("-base") << false;
        QTest::newRow("dot dot") << QStringLiteral("..") << false;
        QTest::newRow("slash") << QStringLiteral("a/b") << false;
        QTest::newRow("traversal") << QStringLiteral("a/../../etc") << false;
        QTest::newRow("space") << QStringLiteral("my base") << false;
        QTest::newRow("trailing newline") << QStringLiteral("base\n") << false;
        QTest::newRow("nul") << QStringLiteral("base") + QChar(0) << false;
        QTest::newRow("non-ascii") << QStringLiteral("bäse") << false;
    }

    void validName()
    {
        QFETCH(QString, name);
        QFETCH(bool, valid);
        QCOMPARE(TemplateStore::isValidName(name), valid);
    }

    void infoRoundTrip_data()
    {
        QTest::addColumn<TemplateInfo>("info");
        QTest::newRow("defaults") << sampleInfo(QStringLiteral("base"));
        TemplateInfo custom = sampleInfo(QStringLiteral("data-science"));
        custom.uidBase = 200000;
        custom.uidCount = 1000000;
        custom.suite = QStringLiteral("trixie");
        custom.packages.clear();
        custom.recipe = QStringLiteral("sha256:00ff");
        QTest::newRow("custom range, no packages, a recipe") << custom;
    }

    void infoRoundTrip()
    {
        QFETCH(TemplateInfo, info);
        QString error;
        const auto parsed = TemplateInfo::fromJsonBytes(info.toJsonBytes(), &error);
        QVERIFY2(parsed.has_value(), qPrintable(error));
        QCOMPARE(*parsed, info);
        QVERIFY(error.isEmpty());
    }

    void infoDefaults()
    {
        const auto parsed = TemplateInfo::fromJsonBytes(R"({"name":"base","created_at":"2025-05-20T10:00:00.000Z"})");
        QVERIFY(parsed.has_value());
        QCOMPARE(parsed->uidBase, 100000u);
        QCOMPARE(parsed->uidCount, 65536u);
        QCOMPARE(parsed->suite, QStringLiteral("bookworm"));
        QVERIFY(parsed->packages.isEmpty());
        QVERIFY(parsed->recipe.isEmpty()); // built before recipes had fingerprints
        QCOMPARE(parsed->createdAt.timeSpec(), Qt::UTC);
    }

    void malformedInfo_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("mentions");
        const QByteArray t = R"("created_at":"2025-05-20T10:00:00Z")";
        QTest::newRow("empty") << QByteArray() << QStringLiteral("JSON");
        QTest::newRow("truncated") << QByteArray(R"({"name":"base",)") << QStringLiteral("JSON");
        QTest::newRow("array") << QByteArray("[1,2]") << QStringLiteral("object");
        QTest::newRow("string") << QByteArray(R"("base")") << QStringLiteral("JSON");
        QTest::newRow("no name") << "{" + t + "}" << QStringLiteral("name");
        QTest::newRow("name not string") << R"({"name":7,)" + t + "}" << QStringLiteral("name");
        QTest::newRow("hostile name") << R"({"name":"../../etc",)" + t + "}" << QStringLiteral("name");
        QTest::newRow("no time") << QByteArray(R"({"name":"base"})") << QStringLiteral("created_at");
        QTest::newRow("bad time") << QByteArray(R"({"name":"base","created_at":"yesterday"})") << QStringLiteral("created_at");
        QTest::newRow("negative base") << R"({"name":"base",)" + t + R"(,"uid_base":-1})" << QStringLiteral("uid_base");
        QTest::newRow("fractional count") << R"({"name":"base",)" + t + R"(,"uid_count":1.5})" << QStringLiteral("uid_count");
        QTest::newRow("string base") << R"({"name":"base",)" + t + R"(,"uid_base":"100000"})" << QStringLiteral("uid_base");
        QTest::newRow("huge base") << R"({"name":"base",)" + t + R"(,"uid_base":1e20})" << QStringLiteral("uid_base");
        QTest::newRow("zero count") << R"({"name":"base",)" + t + R"(,"uid_count":0})" << QStringLiteral("range");
        QTest::newRow("range overflows") << R"({"name":"base",)" + t + R"(,"uid_base":4294967000,"uid_count":65536})"
                                         << QStringLiteral("range");
        QTest::newRow("packages not list") << R"({"name":"base",)" + t + R"(,"packages":"git"})" << QStringLiteral("packages");
        QTest::newRow("package not string") << R"({"name":"base",)" + t + R"(,"packages":["git",3]})" << QStringLiteral("packages");
        QTest::newRow("empty suite") << R"({"name":"base",)" + t + R"(,"suite":""})" << QStringLiteral("suite");
        QTest::newRow("recipe not string") << R"({"name":"base",)" + t + R"(,"recipe":1})" << QStringLiteral("recipe");
    }

    void malformedInfo()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, mentions);
        QString error;
        QVERIFY(!TemplateInfo::fromJsonBytes(json, &error).has_value());
        QVERIFY2(error.contains(mentions), qPrintable(error));
        QVERIFY2(error.endsWith(QLatin1Char('.')) || error.endsWith(QLatin1Char(')')), qPrintable(error));
    }

    void store_data()
    {
        // What TEMPLATES/NAME/template.json holds (null: no file), then the expected answers.
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<bool>("exists");
        QTest::addColumn<bool>("reportsError");
        QTest::newRow("built") << QStringLiteral("base") << sampleInfo(QStringLiteral("base")).toJsonBytes() << true << false;
        QTest::newRow("no template.json") << QStringLiteral("half") << QByteArray() << false << false;
        QTest::newRow("garbage") << QStringLiteral("broken") << QByteArray("{not json") << false << true;
        QTest::newRow("other name") << QStringLiteral("copy") << sampleInfo(QStringLiteral("base")).toJsonBytes() << false << true;
        QTest::newRow("missing") << QStringLiteral("nothing") << QByteArray() << false << false;
        QTest::newRow("invalid name") << QStringLiteral("../base") << QByteArray() << false << false;
    }

    void store()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, content);
        QFETCH(bool, exists);
        QFETCH(bool, reportsError);

        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        // A complete template next door, to prove that lookups do not leak across names.
        writeFile(dir.filePath(QStringLiteral("base/template.json")), sampleInfo(QStringLiteral("base")).toJsonBytes());
        if (QTest::currentDataTag() != QLatin1String("missing") && TemplateStore::isValidName(name)) {
            QVERIFY(QDir().mkpath(dir.filePath(name + QStringLiteral("/rootfs"))));
            if (!content.isEmpty())
                writeFile(dir.filePath(name + QStringLiteral("/template.json")), content);
        }

        const TemplateStore store(dir.path());
        QCOMPARE(store.exists(name), exists);
        QString error;
        const auto info = store.info(name, &error);
        QCOMPARE(info.has_value(), exists);
        QCOMPARE(!error.isEmpty(), reportsError);
        if (exists)
            QCOMPARE(info->name, name);
        QCOMPARE(store.rootfsPath(name), dir.path() + QLatin1Char('/') + name + QStringLiteral("/rootfs"));
    }

    void names()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        for (const QString &name : {QStringLiteral("zeta"), QStringLiteral("base")})
            writeFile(dir.filePath(name + QStringLiteral("/template.json")), sampleInfo(name).toJsonBytes());
        // A builder's temporary dir, even with a valid description, is not a template.
        writeFile(dir.filePath(QStringLiteral(".build-base-abc123/template.json")), sampleInfo(QStringLiteral("base")).toJsonBytes());
        QVERIFY(QDir().mkpath(dir.filePath(QStringLiteral("unfinished/rootfs"))));
        writeFile(dir.filePath(QStringLiteral("stray-file")), "x");

        QCOMPARE(TemplateStore(dir.path()).names(), (QStringList{QStringLiteral("base"), QStringLiteral("zeta")}));
        QVERIFY(TemplateStore(dir.filePath(QStringLiteral("does-not-exist"))).names().isEmpty());
    }

    void recipeFingerprint()
    {
        const auto base = TemplateRecipe::find(QStringLiteral("base"));
        QVERIFY(base.has_value());
        QVERIFY(!TemplateRecipe::find(QStringLiteral("nothing")).has_value());
        QCOMPARE(TemplateRecipe::names(), QStringList{QStringLiteral("base")});
        for (const char *wanted : {"python3-pip", "python3-venv", "nodejs", "npm", "build-essential", "sudo", "iproute2"})
            QVERIFY2(base->packages.contains(QLatin1String(wanted)), wanted);
        QVERIFY(base->userScript().contains(QLatin1String("/etc/sudoers.d/sandbox")));
        QVERIFY(base->installScript().contains(QLatin1String("/etc/pip.conf")));

        const QString print = base->fingerprint();
        QVERIFY2(print.startsWith(QLatin1String("sha256:")) && print.size() == 7 + 64, qPrintable(print));
        QCOMPARE(TemplateRecipe::find(QStringLiteral("base"))->fingerprint(), print);
        // Whatever changes in a recipe changes its fingerprint.
        TemplateRecipe changed = *base;
        changed.packages.append(QStringLiteral("cowsay"));
        QVERIFY(changed.fingerprint() != print);
        changed = *base;
        changed.sandboxUid = 1001;
        QVERIFY(changed.fingerprint() != print);
        changed = *base;
        changed.suite = QStringLiteral("trixie");
        QVERIFY(changed.fingerprint() != print);
        // Lists are told apart from their joined text.
        changed = *base;
        changed.resolverHints.clear();
        changed.packages.append(base->resolverHints);
        QVERIFY(changed.fingerprint() != print);
    }

    void outdatedTemplate_data()
    {
        QTest::addColumn<QString>("recipe"); // in template.json; "current" for the recipe's own
        QTest::addColumn<bool>("current");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("current") << QStringLiteral("current") << true << QString();
        QTest::newRow("older recipe") << QStringLiteral("sha256:0123456789abcdef") << false << QStringLiteral("older recipe");
        QTest::newRow("before fingerprints") << QString() << false << QStringLiteral("without a recipe fingerprint");
    }

    void outdatedTemplate()
    {
        QFETCH(QString, recipe);
        QFETCH(bool, current);
        QFETCH(QString, mentions);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        TemplateInfo info = sampleInfo(QStringLiteral("base"));
        info.recipe = recipe == QLatin1String("current") ? TemplateRecipe::find(QStringLiteral("base"))->fingerprint() : recipe;
        writeFile(dir.filePath(QStringLiteral("base/template.json")), info.toJsonBytes());
        QVERIFY(QDir().mkpath(dir.filePath(QStringLiteral("base/rootfs"))));
        const TemplateStore store(dir.path());
        QString why;
        QCOMPARE(TemplateBuilder::isCurrent(store, QStringLiteral("base"), &why), current);
        QVERIFY2(why.contains(mentions), qPrintable(why));
        QCOMPARE(why.isEmpty(), current);
        QCOMPARE(TemplateBuilder::mountedUsers(store, QStringLiteral("base")), 0);
        // Not built, and no recipe: never current.
        const TemplateStore empty(dir.filePath(QStringLiteral("empty")));
        QVERIFY(!TemplateBuilder::isCurrent(empty, QStringLiteral("base"), &why));
        QVERIFY2(why.contains(QLatin1String("not built")), qPrintable(why));
        QVERIFY(!TemplateBuilder::isCurrent(store, QStringLiteral("nothing"), &why));
        QVERIFY2(why.contains(QLatin1String("no recipe")), qPrintable(why));
    }

    void buildProgress()
    {
        // Lines in the order a build prints them, and what each one shows
        // (-2: nothing; -1: a step that keeps the percent).
        struct Row
        {
            bool apt;
            const char *line;
            int percent;
            const char *text;
        };
        const Row rows[] = {
            {false, "W: a warning", -2, ""},
            {false, "I: Retrieving InRelease", -2, ""},
            {false, "I: Retrieving libacl1 2.3.1-3", 3, "Downloading libacl1"},
            {false, "I: Retrieving zlib1g 1:1.2.13.dfsg-1", 3, "Downloading zlib1g"},
            {false, "I: Extracting libacl1...", 23, "Extracting libacl1"},
            {false, "I: Unpacking required packages...", -2, ""},
            {false, "I: Unpacking zlib1g:amd64...", 30, "Unpacking zlib1g"},
            {false, "I: Base system installed successfully.", 45, "Base system installed"},
            {true, "Get:1 http://deb.debian.org/debian bookworm InRelease [151 kB]", -2, ""},
            {true, "Reading package lists...", 48, "Resolving packages"},
            {true, "Reading package lists...", -2, ""},
            {true, "0 upgraded, 2 newly installed, 0 to remove and 0 not upgraded.", -2, ""},
            {true, "Get:1 http://deb.debian.org/debian bookworm/main amd64 sudo amd64 1.9.13p3-1 [1889 kB]", 55,
             "Downloading sudo"},
            {true, "Unpacking sudo (1.9.13p3-1) ...", 68, "Installing sudo"},
            {true, "Setting up sudo (1.9.13p3-1) ...", 75, "Configuring sudo"},
            {true, "Processing triggers for libc-bin (2.36-9) ...", -1, "Processing triggers"},
            {true, "", -2, ""},
        };
        TemplateBuildProgress progress;
        for (const Row &row : rows) {
            const QString line = QString::fromUtf8(row.line);
            const auto step = row.apt ? progress.aptLine(line) : progress.debootstrapLine(line);
            QVERIFY2(step.has_value() == (row.percent != -2), row.line);
            if (step) {
                QCOMPARE(step->percent, row.percent);
                QCOMPARE(step->text, QString::fromUtf8(row.text));
            }
        }
        QCOMPARE(TemplateBuildProgress::packageOf(QStringLiteral("libpython3.11-stdlib:amd64")),
                 QStringLiteral("libpython3.11-stdlib"));
        QCOMPARE(TemplateBuildProgress::packageOf(QStringLiteral("adduser...")), QStringLiteral("adduser"));
        QCOMPARE(TemplateBuildProgress::packageOf(QString()), QString());
    }

    void defaultDir()
    {
        QCOMPARE(TemplateStore::defaultDir(), QStringLiteral("/var/lib/ai2in/templates"));
        QCOMPARE(TemplateStore().templatesDir(), TemplateStore::defaultDir());
    }
};

QTEST_GUILESS_MAIN(TestTemplateStore)
#include "tst_templatestore.moc"
