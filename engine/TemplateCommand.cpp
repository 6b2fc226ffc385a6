// SPDX-License-Identifier: GPL-3.0-or-later
#include "TemplateCommand.h"

#include "runtime/TemplateBuilder.h"
#include "runtime/TemplateStore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QSocketNotifier>

#include <cerrno>
#include <csignal>
#include <cstdio>

#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

namespace {

const char kUsage[] =
    "Usage: ai2ind template build NAME [--force] [--templates DIR]\n"
    "       ai2ind template list [--templates DIR]\n";

int g_signalPipe[2] = {-1, -1};

extern "C" void onTerminationSignal(int sig)
{
    const int savedErrno = errno;
    const char byte = char(sig);
    [[maybe_unused]] const ssize_t n = ::write(g_signalPipe[1], &byte, 1);
    errno = savedErrno;
}

void printErr(const QString &text)
{
    const QByteArray bytes = text.toLocal8Bit();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stderr);
    std::fflush(stderr);
}

int terminalColumns()
{
    winsize ws {};
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20)
        return ws.ws_col;
    return 80;
}

// One line redrawn in place on a terminal; plain lines, one per percent
// step, when stderr is a log file or a pipe.
class ProgressPrinter
{
public:
    ProgressPrinter() : m_tty(isatty(STDERR_FILENO)) {}

    void update(int percent, const QString &step)
    {
        if (m_tty) {
            constexpr int width = 10;
            const int filled = percent * width / 100;
            QString line = QStringLiteral("[%1%2] %3%  %4 …")
                               .arg(QString(filled, QLatin1Char('#')), QString(width - filled, QLatin1Char('-')))
                               .arg(percent, 3)
                               .arg(step);
            const int columns = terminalColumns() - 1;
            if (line.size() > columns)
                line = line.left(columns - 1) + QStringLiteral("…");
            printErr(QStringLiteral("\r") + line + QStringLiteral("\x1b[K"));
            m_dirty = true;
        } else if (percent != m_lastPercent) {
            printErr(QStringLiteral("[%1%] %2\n").arg(percent, 3).arg(step));
        }
        m_lastPercent = percent;
    }

    // Ends the in-place line so the next message starts on its own line.
    void done()
    {
        if (m_tty && m_dirty)
            printErr(QStringLiteral("\n"));
        m_dirty = false;
    }

private:
    bool m_tty;
    bool m_dirty = false;
    int m_lastPercent = -1;
};

QString formatDuration(qint64 ms)
{
    const qint64 s = (ms + 500) / 1000;
    return s >= 60 ? QStringLiteral("%1 min %2 s").arg(s / 60).arg(s % 60) : QStringLiteral("%1 s").arg(s);
}

int runList(const TemplateStore &store)
{
    for (const QString &name : store.names()) {
        const auto info = store.info(name);
        std::printf("%s\t%s\t%s\n", qPrintable(name),
                    info ? qPrintable(info->createdAt.toString(Qt::ISODate)) : "",
                    qPrintable(store.rootfsPath(name)));
    }
    return 0;
}

int runBuild(const QString &name, const QString &templatesDir, bool force)
{
    const TemplateStore store(templatesDir);
    if (!TemplateRecipe::names().contains(name)) {
        printErr(QStringLiteral("ai2ind: there is no recipe for template \"%1\"; known recipes: %2.\n")
                     .arg(name, TemplateRecipe::names().join(QStringLiteral(", "))));
        return 1;
    }
    if (!force) {
        QString outdated;
        if (TemplateBuilder::isCurrent(store, name, &outdated)) {
            printErr(QStringLiteral("Template %1 is already built (%2, created %3); use --force to rebuild it.\n")
                         .arg(name, store.templatePath(name), store.info(name)->createdAt.toString(Qt::ISODate)));
            return 0;
        }
        if (store.exists(name)) {
            // Replacing a layer under running sandboxes would change their
            // files; the service's start must not fail on it either.
            if (const int users = TemplateBuilder::mountedUsers(store, name); users > 0) {
                QString again = QStringLiteral("ai2ind template build %1").arg(name);
                if (QDir::cleanPath(templatesDir) != TemplateStore::defaultDir())
                    again += QStringLiteral(" --templates %1").arg(templatesDir);
                printErr(QStringLiteral("%1 %2 running sandbox(es) use it, so it is kept until they stop; then run "
                                        "\"%3\" again.\n")
                             .arg(outdated)
                             .arg(users)
                             .arg(again));
                return 0;
            }
            printErr(QStringLiteral("%1 Rebuilding it.\n").arg(outdated));
        }
    }

    auto *app = QCoreApplication::instance();
    Q_ASSERT(app);

    // The progress line is the user interface here; the builder's chatter
    // would tear it apart. Warnings (a failed step's output) still show, and
    // QT_LOGGING_RULES brings the rest back.
    if (!qEnvironmentVariableIsSet("QT_LOGGING_RULES"))
        QLoggingCategory::setFilterRules(QStringLiteral("ai2in.engine.template.debug=false\n"
                                                        "ai2in.engine.template.info=false"));

    // Signals arrive on a pipe so the builder can stop its processes and
    // clean up from the event loop before we exit.
    if (pipe2(g_signalPipe, O_CLOEXEC | O_NONBLOCK) != 0) {
        printErr(QStringLiteral("ai2ind: cannot create a pipe for signal handling.\n"));
        return 1;
    }
    struct sigaction sa {};
    sa.sa_handler = onTerminationSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    struct sigaction oldInt {}, oldTerm {};
    sigaction(SIGINT, &sa, &oldInt);
    sigaction(SIGTERM, &sa, &oldTerm);

    TemplateBuilder builder(templatesDir, name);
    builder.setForce(force);
    ProgressPrinter printer;
    int caughtSignal = 0;
    QElapsedTimer clock;
    clock.start();

    QSocketNotifier notifier(g_signalPipe[0], QSocketNotifier::Read);
    QObject::connect(&notifier, &QSocketNotifier::activated, &builder, [&] {
        char byte = 0;
        while (::read(g_signalPipe[0], &byte, 1) == 1) {
            if (caughtSignal)
                continue; // already stopping; a second ^C must not skip the cleanup
            caughtSignal = byte;
            printer.done();
            printErr(QStringLiteral("Interrupted; stopping the build and removing its temporary files…\n"));
            builder.cancel(QStringLiteral("The build was interrupted by %1.")
                               .arg(caughtSignal == SIGINT ? QStringLiteral("SIGINT") : QStringLiteral("SIGTERM")));
        }
    });
    QObject::connect(&builder, &TemplateBuilder::progress, &builder,
                     [&](int percent, const QString &step) { printer.update(percent, step); });
    QObject::connect(&builder, &TemplateBuilder::finished, &builder, [&](bool ok, const QString &error) {
        printer.done();
        if (ok) {
            printErr(QStringLiteral("Template %1 built in %2: %3\n")
                         .arg(name, formatDuration(clock.elapsed()), store.templatePath(name)));
            app->exit(0);
        } else if (caughtSignal) {
            printErr(QStringLiteral("ai2ind: %1\n").arg(error));
            app->exit(128 + caughtSignal);
        } else {
            printErr(QStringLiteral("ai2ind: cannot build template %1: %2\n").arg(name, error));
            app->exit(1);
        }
    });

    builder.start();
    const int rc = app->exec();

    sigaction(SIGINT, &oldInt, nullptr);
    sigaction(SIGTERM, &oldTerm, nullptr);
    notifier.setEnabled(false);
    ::close(g_signalPipe[0]);
    ::close(g_signalPipe[1]);
    g_signalPipe[0] = g_signalPipe[1] = -1;
    return rc;
}

} // namespace

int runTemplateCommand(const QStringList &args)
{
    const QString sub = args.value(0);
    if (sub.isEmpty() || sub == QLatin1String("-h") || sub == QLatin1String("--help") || sub == QLatin1String("help")) {
        std::fputs(kUsage, sub.isEmpty() ? stderr : stdout);
        return sub.isEmpty() ? 1 : 0;
    }
    if (sub != QLatin1String("build") && sub != QLatin1String("list")) {
        printErr(QStringLiteral("ai2ind: unknown template command \"%1\".\n%2").arg(sub, QString::fromLatin1(kUsage)));
        return 1;
    }

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Builds and lists sandbox templates."));
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const QCommandLineOption helpOption({QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help."));
    const QCommandLineOption forceOption(QStringLiteral("force"), QStringLiteral("Rebuild even if the template is already built."));
    const QCommandLineOption dirOption(QStringLiteral("templates"),
                                       QStringLiteral("Directory holding the templates (default %1).").arg(TemplateStore::defaultDir()),
                                       QStringLiteral("DIR"), TemplateStore::defaultDir());
    parser.addOption(helpOption);
    parser.addOption(dirOption);
    if (sub == QLatin1String("build")) {
        parser.addOption(forceOption);
        parser.addPositionalArgument(QStringLiteral("NAME"), QStringLiteral("Template to build; known recipes: %1.")
                                                                 .arg(TemplateRecipe::names().join(QStringLiteral(", "))));
    }

    // The parser wants a program name first.
    if (!parser.parse(QStringList{QStringLiteral("ai2ind template ") + sub} + args.mid(1))) {
        printErr(QStringLiteral("ai2ind: %1\n%2").arg(parser.errorText(), QString::fromLatin1(kUsage)));
        return 1;
    }
    if (parser.isSet(helpOption)) {
        std::fputs(qPrintable(parser.helpText()), stdout);
        return 0;
    }
    const QString templatesDir = parser.value(dirOption);
    if (templatesDir.isEmpty()) {
        printErr(QStringLiteral("ai2ind: --templates needs a directory.\n"));
        return 1;
    }
    if (sub == QLatin1String("list")) {
        if (!parser.positionalArguments().isEmpty()) {
            printErr(QStringLiteral("ai2ind: template list takes no names.\n%1").arg(QString::fromLatin1(kUsage)));
            return 1;
        }
        return runList(TemplateStore(templatesDir));
    }

    const QStringList names = parser.positionalArguments();
    if (names.size() != 1) {
        printErr(QStringLiteral("ai2ind: template build needs exactly one template name.\n%1").arg(QString::fromLatin1(kUsage)));
        return 1;
    }
    const QString &name = names.constFirst();
    if (!TemplateStore::isValidName(name)) {
        printErr(QStringLiteral("ai2ind: \"%1\" is not a valid template name (lower-case letters, digits, '.', '_' and '-', "
                                "starting with a letter or digit, at most 63 characters).\n")
                     .arg(name));
        return 1;
    }
    return runBuild(name, templatesDir, parser.isSet(forceOption));
}
