// SPDX-License-Identifier: GPL-3.0-or-later
#include "DoctorCommand.h"

#include "EngineConfig.h"
#include "runtime/HostChecks.h"
#include "runtime/TemplateStore.h"

#include <QCommandLineParser>
#include <QDir>

#include <cstdio>
#include <functional>

int runDoctorCommand(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Checks that this host can run the engine: one line per check, "
                                               "✓ or ✗ with what to do. Exits with 1 when a check fails."));
    p.addHelpOption();
    const QCommandLineOption dataDir(QStringLiteral("data-dir"),
                                     QStringLiteral("The engine's state directory (default %1).").arg(EngineConfig::defaultDataDir()),
                                     QStringLiteral("DIR"), EngineConfig::defaultDataDir());
    const QCommandLineOption templates(QStringLiteral("templates"),
                                       QStringLiteral("Templates directory (default %1).").arg(TemplateStore::defaultDir()),
                                       QStringLiteral("DIR"), TemplateStore::defaultDir());
    const QCommandLineOption runtime(QStringLiteral("runtime"), QStringLiteral("OCI runtime binary (default runc)."),
                                     QStringLiteral("PATH"), QStringLiteral("runc"));
    const QCommandLineOption templateName(QStringLiteral("template"),
                                          QStringLiteral("Template that must be built (default base)."),
                                          QStringLiteral("NAME"), QStringLiteral("base"));
    p.addOptions({dataDir, templates, runtime, templateName});
    p.process(args);
    if (!p.positionalArguments().isEmpty()) {
        fprintf(stderr, "ai2ind: doctor takes no arguments, only options; see ai2ind doctor --help.\n");
        return 1;
    }

    const QString data = QDir::cleanPath(QDir(p.value(dataDir)).absolutePath());
    const QString templatesDir = QDir::cleanPath(QDir(p.value(templates)).absolutePath());
    const QString program = p.value(runtime);
    const QString name = p.value(templateName);
    // Host first (kernel features), then what the engine runs with, then
    // the running engine and the names its preview URLs use.
    const std::function<HostCheckResult()> checks[] = {
        HostChecks::kernel,
        HostChecks::cgroups,
        HostChecks::overlayfs,
        HostChecks::userNamespaces,
        [&] { return HostChecks::runtime(program); },
        [&] { return HostChecks::disk(data); },
        [&] { return HostChecks::templateBuilt(templatesDir, name); },
        [&] { return HostChecks::engine(data); },
        HostChecks::network,
        HostChecks::previewNames,
    };
    bool allOk = true;
    for (const auto &check : checks) {
        const HostCheckResult r = check();
        allOk = allOk && r.ok;
        const QByteArray line = r.text().toUtf8() + '\n';
        fwrite(line.constData(), 1, size_t(line.size()), stdout);
        // A slow check (a name lookup, an engine that does not answer) should
        // not hold back the lines already known.
        fflush(stdout);
    }
    return allOk ? 0 : 1;
}
