// SPDX-License-Identifier: GPL-3.0-or-later
#include "NetworkCommand.h"

#include "net/SandboxNetworks.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <cstdio>

int runNetworkCommand(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Shows or removes the sandboxes' network rules and links."));
    p.addHelpOption();
    p.addPositionalArgument(QStringLiteral("action"), QStringLiteral("show or down"));
    const QCommandLineOption name(QStringLiteral("network-name"),
                                  QStringLiteral("The engine's network name (default ai2in)."), QStringLiteral("NAME"),
                                  QStringLiteral("ai2in"));
    p.addOption(name);
    p.process(QStringList{QStringLiteral("ai2ind network")} + args);
    const QStringList pos = p.positionalArguments();
    const QString action = pos.value(0);
    if (pos.size() != 1 || (action != QLatin1String("show") && action != QLatin1String("down"))) {
        fprintf(stderr, "ai2ind network: give show or down.\n");
        return 2;
    }
    if (const QString e = SandboxNetworks::checkName(p.value(name)); !e.isEmpty()) {
        fprintf(stderr, "ai2ind network: %s\n", qPrintable(e));
        return 2;
    }
    SandboxNetworks::Options o;
    o.name = p.value(name);
    if (action == QLatin1String("down")) {
        if (auto s = SandboxNetworks::tearDown(o); !s) {
            fprintf(stderr, "ai2ind network down: %s\n", qPrintable(s.error().message));
            return 1;
        }
        return 0;
    }
    SandboxNetworks networks(o);
    const auto table = networks.listTable();
    if (!table) {
        fprintf(stderr, "ai2ind network show: no table inet %s (%s)\n", qPrintable(o.name),
                qPrintable(table.error().message));
        return 1;
    }
    fputs(qPrintable(*table), stdout);
    return 0;
}
