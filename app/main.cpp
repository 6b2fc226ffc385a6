// SPDX-License-Identifier: GPL-3.0-or-later
// ai2in-desktop: watch and steer the sandboxes of an ai2in engine.
#include "Application.h"
#include "EngineSet.h"
#include "MainWindow.h"
#include "SandboxPoller.h"

#include <QApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>
#include <QCommandLineParser>
#include <QIcon>
#include <QTimer>

#include <cstdio>
#include <memory>

namespace {

struct Options
{
    QCommandLineOption version{{QStringLiteral("v"), QStringLiteral("version")}, QStringLiteral("Print the version and exit.")};
    QCommandLineOption profile{QStringLiteral("profile"), QStringLiteral("Watch only the engine of this profile (default: the ones watched last time)."),
                               QStringLiteral("NAME")};
    QCommandLineOption screenshot{QStringLiteral("screenshot"),
                                  QStringLiteral("Connect, wait for the first data, save a PNG of the window to FILE and exit."),
                                  QStringLiteral("FILE")};
    QCommandLineOption select{QStringLiteral("select"), QStringLiteral("With --screenshot: select this sandbox first."),
                              QStringLiteral("ID")};

    void addTo(QCommandLineParser &parser) const
    {
        parser.setApplicationDescription(QStringLiteral("Watch and steer the sandboxes of an ai2in engine."));
        parser.addHelpOption();
        parser.addOptions({version, profile, screenshot, select});
    }
};

bool hasArgument(int argc, char **argv, std::initializer_list<const char *> names)
{
    for (int i = 1; i < argc; ++i) {
        for (const char *name : names) {
            if (qstrcmp(argv[i], name) == 0)
                return true;
        }
    }
    return false;
}

} // namespace

int main(int argc, char **argv)
{
    const Options options;
    // --version and --help must work without a display.
    if (hasArgument(argc, argv, {"--version", "-v"})) {
        std::printf("ai2in-desktop %s\n", AI2IN_VERSION);
        return 0;
    }
    if (hasArgument(argc, argv, {"--help", "-h", "-?", "--help-all"})) {
        QCoreApplication app(argc, argv);
        QCoreApplication::setApplicationName(QStringLiteral("ai2in-desktop"));
        QCoreApplication::setApplicationVersion(QStringLiteral(AI2IN_VERSION));
        QCommandLineParser parser;
        options.addTo(parser);
        parser.process(app); // prints the help and exits
        return 0;
    }
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("ai2in-desktop"));
    QApplication::setOrganizationName(QStringLiteral("ai2in"));
    QApplication::setApplicationVersion(QStringLiteral(AI2IN_VERSION));
    QApplication::setApplicationDisplayName(QStringLiteral("ai2in"));
    QIcon icon;
    icon.addFile(QStringLiteral(":/ai2in/icon-64.png"));
    icon.addFile(QStringLiteral(":/ai2in/icon-256.png"));
    QApplication::setWindowIcon(icon);
    QGuiApplication::setDesktopFileName(QStringLiteral("ai2in-desktop"));
    // The system's language, where there is a translation (built into the
    // app from translations/*.ts); Qt's own strings (dialog buttons) too.
    QTranslator qtStrings;
    if (qtStrings.load(QLocale(), QStringLiteral("qtbase"), QStringLiteral("_"),
                       QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QApplication::installTranslator(&qtStrings);
    QTranslator appStrings;
    if (appStrings.load(QLocale(), QStringLiteral("ai2in"), QStringLiteral("_"), QStringLiteral(":/i18n")))
        QApplication::installTranslator(&appStrings);

    QCommandLineParser parser;
    options.addTo(parser);
    parser.process(app);
    const QCommandLineOption &profile = options.profile;
    const QCommandLineOption &screenshot = options.screenshot;
    const QCommandLineOption &select = options.select;

    Application application;
    MainWindow &window = *application.window();
    // A screenshot shows the default layout, whatever the user's is.
    if (!parser.isSet(screenshot))
        application.restoreWindowLayout();
    window.show();
    application.start(parser.value(profile));

    if (parser.isSet(screenshot)) {
        window.resize(1600, 720);
        const QString file = parser.value(screenshot);
        const QString id = parser.value(select);
        QObject::connect(application.engines(), &EngineSet::firstData, &window, [&window, file, id] {
            if (!id.isEmpty())
                window.selectIds({id});
            // Time for the first metrics and a settled layout.
            QTimer::singleShot(2500, &window, [&window, file] {
                if (!window.grab().save(file)) {
                    std::fprintf(stderr, "ai2in-desktop: cannot write %s\n", qPrintable(file));
                    QApplication::exit(1);
                    return;
                }
                std::fprintf(stderr, "ai2in-desktop: saved %s\n", qPrintable(file));
                QApplication::exit(0);
            });
        });
        // 60 s for the first data, not counting a first template build,
        // which this app may have to wait for (minutes).
        auto *patience = new QTimer(&window);
        auto waited = std::make_shared<int>(0);
        QObject::connect(patience, &QTimer::timeout, &window, [&window, &application, waited] {
            if (application.buildingTemplate() || ++*waited < 60)
                return;
            QStringList problems;
            for (const QString &name : application.engines()->names())
                problems.append(application.engines()->poller(name)->problem());
            std::fprintf(stderr, "ai2in-desktop: no data from the engine within 60 s: %s\n",
                         qPrintable(problems.join(QLatin1Char(' '))));
            QApplication::exit(1);
        });
        patience->start(1000);
    }
    return app.exec();
}
