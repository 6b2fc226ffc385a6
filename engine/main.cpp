// SPDX-License-Identifier: GPL-3.0-or-later
#include "DoctorCommand.h"
#include "NetworkCommand.h"
#include "ServeCommand.h"
#include "TemplateCommand.h"

#include <QCoreApplication>
#include <QLoggingCategory>

#include <cstdio>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("ai2ind"));
    QCoreApplication::setApplicationVersion(QStringLiteral(AI2IN_VERSION));

    if (qEnvironmentVariableIsEmpty("QT_LOGGING_RULES"))
        QLoggingCategory::setFilterRules(QStringLiteral("ai2in.*.debug=false"));

    QStringList args = app.arguments();
    const QString verb = args.size() > 1 ? args.at(1) : QString();
    if (verb == QLatin1String("--version") || verb == QLatin1String("-v")) {
        printf("ai2ind %s\n", AI2IN_VERSION);
        return 0;
    }
    if (verb == QLatin1String("template"))
        return runTemplateCommand(args.mid(2));
    if (verb == QLatin1String("keys")) {
        args.removeAt(1);
        return runKeysCommand(args);
    }
    if (verb == QLatin1String("doctor")) {
        args.removeAt(1);
        return runDoctorCommand(args);
    }
    if (verb == QLatin1String("network"))
        return runNetworkCommand(args.mid(2));
    if (verb == QLatin1String("serve"))
        args.removeAt(1);
    else if (!verb.isEmpty() && !verb.startsWith(QLatin1Char('-'))) {
        fprintf(stderr, "ai2ind: unknown command '%s'; use serve, template, keys, doctor, network or --help.\n", qPrintable(verb));
        return 1;
    }
    return runServeCommand(args);
}
