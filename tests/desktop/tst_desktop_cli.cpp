// SPDX-License-Identifier: GPL-3.0-or-later
// The ai2in-desktop program itself: --version, --screenshot against a
// running engine (with --select), and the Local profile starting an engine
// of its own when none answers (then stopping it when the app quits).
#include "DesktopE2e.h"

#include <QImage>
#include <QProcess>
#include <QScopeGuard>
#include <QProcessEnvironment>
#include <QSet>
#include <QTcpSocket>
#include <QTemporaryDir>

using namespace E2e;

class tst_desktop_cli : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void version();
    void screenshotOfARunningEngine();
    void localProfileStartsAnEngine();

private:
    static QProcessEnvironment appEnvironment(const QString &home);
    static bool answersAt(quint16 port);
};

QProcessEnvironment tst_desktop_cli::appEnvironment(const QString &home)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    // The suite's platform: offscreen, or xcb in its run under Xvfb (a real
    // window on a real X server).
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), qEnvironmentVariable("QT_QPA_PLATFORM", QStringLiteral("offscreen")));
    // Settings and keys of this run stay in the temporary home.
    env.insert(QStringLiteral("HOME"), home);
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), home + QStringLiteral("/.config"));
    env.remove(QStringLiteral("AI2IN_API_KEY"));
    env.remove(QStringLiteral("AI2IN_BASE_URL"));
    return env;
}

bool tst_desktop_cli::answersAt(quint16 port)
{
    QTcpSocket s;
    s.connectToHost(QStringLiteral("127.0.0.1"), port);
    return s.waitForConnected(500);
}

void tst_desktop_cli::version()
{
    QProcess p;
    p.start(QStringLiteral(AI2IN_DESKTOP_PATH), {QStringLiteral("--version")});
    QVERIFY(p.waitForFinished(10000));
    QCOMPARE(p.exitCode(), 0);
    QCOMPARE(QString::fromUtf8(p.readAllStandardOutput()), QStringLiteral("ai2in-desktop " AI2IN_VERSION "\n"));
    // --help too, also where there is no display to open.
    QProcess help;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("DISPLAY"));
    env.remove(QStringLiteral("WAYLAND_DISPLAY"));
    env.remove(QStringLiteral("QT_QPA_PLATFORM"));
    help.setProcessEnvironment(env);
    help.start(QStringLiteral(AI2IN_DESKTOP_PATH), {QStringLiteral("--help")});
    QVERIFY(help.waitForFinished(10000));
    QCOMPARE(help.exitCode(), 0);
    const QString out = QString::fromUtf8(help.readAllStandardOutput());
    QVERIFY2(out.contains(QLatin1String("--screenshot")) && out.contains(QLatin1String("--profile")), qPrintable(out));
}

void tst_desktop_cli::screenshotOfARunningEngine()
{
    EngineProcess engine;
    QVERIFY2(engine.start(), qPrintable(engine.errorString()));
    ApiClient api(engine.baseUrl(), engine.apiKey());
    E2E_CREATE(id, api, obj({{QStringLiteral("metadata"), obj({{QStringLiteral("agent"), QStringLiteral("cli-test")}})}}));

    QTemporaryDir home;
    QProcessEnvironment env = appEnvironment(home.path());
    env.insert(QStringLiteral("AI2IN_BASE_URL"), engine.baseUrl().toString());
    env.insert(QStringLiteral("AI2IN_API_KEY"), engine.apiKey());
    const QString png = home.filePath(QStringLiteral("shot.png"));
    QProcess app;
    app.setProcessEnvironment(env);
    app.start(QStringLiteral(AI2IN_DESKTOP_PATH), {QStringLiteral("--screenshot"), png, QStringLiteral("--select"), id});
    QVERIFY(app.waitForFinished(90000));
    QVERIFY2(app.exitCode() == 0, app.readAllStandardError().constData());
    const QImage image(png);
    QVERIFY(!image.isNull());
    QVERIFY2(image.width() >= 1000 && image.height() >= 500, qPrintable(QStringLiteral("%1x%2").arg(image.width()).arg(image.height())));
    // Drawn, not blank: text, icons and the selection bring many colours.
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 3) {
        for (int x = 0; x < image.width(); x += 3)
            colours.insert(image.pixel(x, y));
    }
    QVERIFY2(colours.size() >= 32, qPrintable(QStringLiteral("only %1 colours").arg(colours.size())));
    api.killAllSandboxes();
}

void tst_desktop_cli::localProfileStartsAnEngine()
{
    if (answersAt(7300))
        QSKIP("something already listens on 127.0.0.1:7300, the Local profile's address");
    QTemporaryDir root;
    QVERIFY(root.isValid());
    // The engine's data dir must be reachable by the sandboxes' mapped users.
    QFile::setPermissions(root.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ExeGroup | QFile::ExeOther);
    const QString dataDir = root.filePath(QStringLiteral("data"));
    QProcessEnvironment env = appEnvironment(root.path());
    env.insert(QStringLiteral("AI2IN_DATA_DIR"), dataDir);
    env.insert(QStringLiteral("AI2IN_TEMPLATES"), EngineProcess::templatesDir());
    const QString png = root.filePath(QStringLiteral("local.png"));
    // The app's engine makes the default network (nftables table `ai2in`),
    // which an engine leaves for the next start: when it was not there
    // before this test, the test takes it down again afterwards.
    QProcess nft;
    nft.start(QStringLiteral("nft"), {QStringLiteral("list"), QStringLiteral("table"), QStringLiteral("inet"), QStringLiteral("ai2in")});
    const bool hadTable = nft.waitForFinished(10000) && nft.exitStatus() == QProcess::NormalExit && nft.exitCode() == 0;
    const auto takeDown = qScopeGuard([hadTable] {
        if (!hadTable)
            QProcess::execute(EngineProcess::enginePath(), {QStringLiteral("network"), QStringLiteral("down"),
                                                            QStringLiteral("--network-name"), QStringLiteral("ai2in")});
    });
    QProcess app;
    app.setProcessEnvironment(env);
    app.start(QStringLiteral(AI2IN_DESKTOP_PATH), {QStringLiteral("--screenshot"), png});
    QVERIFY(app.waitForFinished(120000));
    QVERIFY2(app.exitCode() == 0, app.readAllStandardError().constData());
    QVERIFY(!QImage(png).isNull());
    // The engine the app started wrote its key where the app looked for it…
    QVERIFY(QFile::exists(dataDir + QStringLiteral("/credentials.json")));
    // …and stopped with the app.
    QVERIFY(!answersAt(7300));
}

QTEST_GUILESS_MAIN(tst_desktop_cli)
#include "tst_desktop_cli.moc"
