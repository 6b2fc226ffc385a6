// SPDX-License-Identifier: GPL-3.0-or-later
#include "ServeCommand.h"

#include "Engine.h"
#include "EngineConfig.h"
#include "Limits.h"
#include "net/AddressPool.h"
#include "net/SandboxNetworks.h"
#include "MegabyteOption.h"
#include "ShutdownSignals.h"
#include "TemplateStore.h"
#include "store/Database.h"
#include "store/KeyStore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSysInfo>

#include <csignal>
#include <cstdio>
#include <sys/resource.h>
#include <sys/stat.h>

namespace {

bool parseHostPort(const QString &text, QHostAddress *host, quint16 *port)
{
    const int colon = text.lastIndexOf(QLatin1Char(':'));
    if (colon <= 0)
        return false;
    QString h = text.left(colon);
    if (h.startsWith(QLatin1Char('[')) && h.endsWith(QLatin1Char(']')))
        h = h.mid(1, h.size() - 2);
    bool ok = false;
    const uint p = text.mid(colon + 1).toUInt(&ok);
    if (!ok || p > 65535)
        return false;
    QHostAddress a;
    if (h == QLatin1String("localhost"))
        a = QHostAddress::LocalHost;
    else if (!a.setAddress(h))
        return false;
    *host = a;
    *port = quint16(p);
    return true;
}

// `up.example.com` or `localhost:8080`: labels of letters, digits and dashes.
bool parsePreviewDomain(const QString &text, QString *domain, quint16 *publicPort)
{
    QString d = text.trimmed().toLower();
    quint16 port = 0;
    if (const int colon = d.lastIndexOf(QLatin1Char(':')); colon >= 0) {
        bool ok = false;
        const uint p = d.mid(colon + 1).toUInt(&ok);
        if (!ok || p < 1 || p > 65535)
            return false;
        port = quint16(p);
        d.truncate(colon);
    }
    static const QRegularExpression re(QStringLiteral(R"(^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$)"));
    if (d.size() > 200 || !re.match(d).hasMatch())
        return false;
    *domain = d;
    *publicPort = port;
    return true;
}

QString findAgent()
{
    const QString dir = QCoreApplication::applicationDirPath();
    for (const QString &candidate : {dir + QStringLiteral("/../agent/ai2in-agent"), dir + QStringLiteral("/ai2in-agent"),
                                     dir + QStringLiteral("/../lib/ai2in/ai2in-agent"),
                                     QStringLiteral("/usr/lib/ai2in/ai2in-agent")}) {
        if (QFileInfo(candidate).isExecutable())
            return QFileInfo(candidate).canonicalFilePath();
    }
    return dir + QStringLiteral("/../agent/ai2in-agent");
}

QString budgetText(const TeamBudget &b)
{
    QStringList parts;
    if (b.maxCpu)
        parts << QStringLiteral("cpu %1").arg(*b.maxCpu);
    if (b.maxMemoryMb)
        parts << QStringLiteral("memory %1 MiB").arg(*b.maxMemoryMb);
    if (b.maxDiskMb)
        parts << QStringLiteral("disk %1 MiB").arg(*b.maxDiskMb);
    return parts.isEmpty() ? QStringLiteral("none") : parts.join(QStringLiteral(", "));
}

int fail(const QString &sentence)
{
    fprintf(stderr, "ai2ind: %s\n", qPrintable(sentence));
    return 1;
}

} // namespace

int runServeCommand(const QStringList &args)
{
    // Everything the engine creates under its data dir (the store and its
    // WAL, sandbox configurations with their envs, logs) is its own from the
    // first byte; the few things others must reach are opened up by name.
    ::umask(077);
    // Every API connection holds descriptors: take all the hard limit
    // allows (a shell's soft limit is often 1024), as systemd's unit does.
    rlimit files{};
    if (::getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
        files.rlim_cur = files.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &files);
    }
    EngineConfig c;
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Runs the ai2in sandbox engine."));
    p.addHelpOption();
    const QCommandLineOption dataDir(QStringLiteral("data-dir"), QStringLiteral("State directory (default %1).").arg(EngineConfig::defaultDataDir()), QStringLiteral("DIR"), EngineConfig::defaultDataDir());
    const QCommandLineOption listen(QStringLiteral("listen"), QStringLiteral("API address (default 127.0.0.1:7300)."), QStringLiteral("HOST:PORT"), QStringLiteral("127.0.0.1:7300"));
    const QCommandLineOption preview(QStringLiteral("preview-listen"), QStringLiteral("Preview proxy address; localhost is both 127.0.0.1 and ::1 (default localhost:7301)."), QStringLiteral("HOST:PORT"), QStringLiteral("localhost:7301"));
    const QCommandLineOption templates(QStringLiteral("templates"), QStringLiteral("Templates directory (default %1).").arg(TemplateStore::defaultDir()), QStringLiteral("DIR"), TemplateStore::defaultDir());
    const QCommandLineOption runtime(QStringLiteral("runtime"), QStringLiteral("OCI runtime binary (default runc)."), QStringLiteral("PATH"), QStringLiteral("runc"));
    const QCommandLineOption agent(QStringLiteral("agent"), QStringLiteral("The ai2in-agent binary (default: found next to ai2ind)."), QStringLiteral("PATH"));
    const QCommandLineOption nodeId(QStringLiteral("node-id"), QStringLiteral("This engine's node name (default: the host name)."), QStringLiteral("NAME"), QSysInfo::machineHostName());
    const QCommandLineOption idle(QStringLiteral("idle-timeout"), QStringLiteral("Seconds without activity before a running sandbox is reaped; 0 never (default 1800)."), QStringLiteral("SECONDS"), QStringLiteral("1800"));
    const QCommandLineOption maxRunning(QStringLiteral("max-running"), QStringLiteral("Running sandboxes allowed per team (default 20)."), QStringLiteral("N"), QStringLiteral("20"));
    const QCommandLineOption cpus(QStringLiteral("default-cpus"), QStringLiteral("CPUs of a sandbox that asks for none (default 2)."), QStringLiteral("N"), QStringLiteral("2"));
    const QCommandLineOption memory(QStringLiteral("default-memory-mb"), QStringLiteral("Memory of a sandbox that asks for none (default 512)."), QStringLiteral("MB"), QStringLiteral("512"));
    const QCommandLineOption diskMb(QStringLiteral("default-disk-mb"), QStringLiteral("Disk of a sandbox that asks for none, in MiB (default 10240)."), QStringLiteral("MB"), QStringLiteral("10240"));
    const QCommandLineOption diskReserve(QStringLiteral("disk-reserve-mb"), QStringLiteral("Free space of the data dir's file system kept from sandboxes, in MiB; below it no sandbox is created or resumed (default 2048)."), QStringLiteral("MB"), QStringLiteral("2048"));
    const QCommandLineOption activity(QStringLiteral("activity-limit"), QStringLiteral("Activity log entries kept per sandbox (default 2000)."), QStringLiteral("N"), QStringLiteral("2000"));
    const QCommandLineOption previewDomain(QStringLiteral("preview-domain"), QStringLiteral("Domain of preview URLs, optionally with the port the world uses (default localhost)."), QStringLiteral("DOMAIN[:PORT]"), QStringLiteral("localhost"));
    const QCommandLineOption previewScheme(QStringLiteral("preview-scheme"), QStringLiteral("Scheme of preview URLs, http or https (default http)."), QStringLiteral("SCHEME"), QStringLiteral("http"));
    const QCommandLineOption credentialsGroup(QStringLiteral("credentials-group"), QStringLiteral("Group allowed to read credentials.json when it exists; empty for none (default ai2in)."), QStringLiteral("GROUP"), QStringLiteral("ai2in"));
    const QCommandLineOption uidPoolBase(QStringLiteral("uid-pool-base"), QStringLiteral("First host id of the sandboxes' id ranges (default 1073741824)."), QStringLiteral("ID"), QStringLiteral("1073741824"));
    const QCommandLineOption uidPoolSize(QStringLiteral("uid-pool-size"), QStringLiteral("How many sandboxes can have a range of 65536 host ids of their own; 0 lets every sandbox share its template's range (default 4096)."), QStringLiteral("N"), QStringLiteral("4096"));
    const QCommandLineOption network(QStringLiteral("network"), QStringLiteral("Sandbox networks: nat (each sandbox reaches the internet through the host, under its policy) or none (loopback only) (default nat)."), QStringLiteral("MODE"), QStringLiteral("nat"));
    const QCommandLineOption networkPool(QStringLiteral("network-pool"), QStringLiteral("IPv4 range the sandboxes' addresses come from, four per sandbox (default 100.72.0.0/16)."), QStringLiteral("CIDR"), QStringLiteral("100.72.0.0/16"));
    const QCommandLineOption networkName(QStringLiteral("network-name"), QStringLiteral("Name of the engine's nftables table and prefix of its links, 1-7 letters or digits (default ai2in)."), QStringLiteral("NAME"), QStringLiteral("ai2in"));
    const QCommandLineOption allowPrivate(QStringLiteral("allow-private-out"), QStringLiteral("Let sandboxes reach the private ranges 10/8, 172.16/12 and 192.168/16 (closed by default)."));
    const QCommandLineOption networkDns(QStringLiteral("network-dns"), QStringLiteral("Resolvers the sandboxes' DNS queries go to, comma separated (default: the host's, from /etc/resolv.conf)."), QStringLiteral("IP[,IP]"));
    p.addOptions({network, networkPool, networkName, allowPrivate, networkDns});
    const QCommandLineOption maxConnections(QStringLiteral("max-connections"), QStringLiteral("API connections open at once; past it new ones are answered 503 (default 0: what the descriptor limit allows)."), QStringLiteral("N"), QStringLiteral("0"));
    p.addOption(maxConnections);
    const QCommandLineOption warmPool(QStringLiteral("warm-pool"), QStringLiteral("Sandboxes kept started and ready per template, handed out by the next creates; 0 turns the pool off (default 2)."), QStringLiteral("N"), QStringLiteral("2"));
    p.addOption(warmPool);
    p.addOptions({previewDomain, previewScheme, credentialsGroup, diskMb, diskReserve, uidPoolBase, uidPoolSize});
    p.addOptions({dataDir, listen, preview, templates, runtime, agent, nodeId, idle, maxRunning, cpus, memory, activity});
    p.process(args);

    c.dataDir = QDir(p.value(dataDir)).absolutePath();
    if (!parseHostPort(p.value(listen), &c.listenAddress, &c.listenPort))
        return fail(QStringLiteral("--listen must be HOST:PORT, e.g. 127.0.0.1:7300; got '%1'.").arg(p.value(listen)));
    QHostAddress previewAddress;
    if (!parseHostPort(p.value(preview), &previewAddress, &c.previewPort))
        return fail(QStringLiteral("--preview-listen must be HOST:PORT, e.g. localhost:7301; got '%1'.").arg(p.value(preview)));
    if (!p.value(preview).startsWith(QLatin1String("localhost:")))
        c.previewAddresses = {previewAddress};
    if (!parsePreviewDomain(p.value(previewDomain), &c.previewDomain, &c.previewPublicPort))
        return fail(QStringLiteral("--preview-domain must be a domain name with an optional port, e.g. up.example.com "
                                   "or localhost:8080; got '%1'.")
                        .arg(p.value(previewDomain)));
    c.previewScheme = p.value(previewScheme).toLower();
    if (c.previewScheme != QLatin1String("http") && c.previewScheme != QLatin1String("https"))
        return fail(QStringLiteral("--preview-scheme must be http or https; got '%1'.").arg(p.value(previewScheme)));
    c.templatesDir = QDir(p.value(templates)).absolutePath();
    c.runtimePath = p.value(runtime);
    c.agentPath = p.isSet(agent) ? p.value(agent) : findAgent();
    c.nodeId = p.value(nodeId);
    c.credentialsGroup = p.value(credentialsGroup);
    bool ok = true;
    auto number = [&](const QCommandLineOption &o, int min, int max) {
        bool good = false;
        const int v = p.value(o).toInt(&good);
        if (!good || v < min || v > max) {
            fail(QStringLiteral("--%1 must be a whole number from %2 to %3.").arg(o.names().first()).arg(min).arg(max));
            ok = false;
        }
        return v;
    };
    c.idleTimeoutSeconds = number(idle, 0, 30 * 24 * 3600);
    c.maxRunningPerTeam = number(maxRunning, 1, 100000);
    c.defaultCpuCount = number(cpus, 1, 64);
    c.defaultMemoryMb = number(memory, 64, 65536);
    c.activityLimit = number(activity, 10, 1000000);
    c.defaultDiskMb = number(diskMb, Limits::kMinDiskMb, Limits::kMaxDiskMb);
    c.diskReserveMb = number(diskReserve, 0, 1 << 30);
    c.uidPoolBase = uint(number(uidPoolBase, 65536, 2147418112));
    c.uidPoolRanges = uint(number(uidPoolSize, 0, 32767));
    c.maxConnections = number(maxConnections, 0, 1000000);
    c.warmPoolSize = number(warmPool, 0, 64);
    if (p.value(network) != QLatin1String("nat") && p.value(network) != QLatin1String("none"))
        return fail(QStringLiteral("--network must be nat or none; got '%1'.").arg(p.value(network)));
    c.network = p.value(network) == QLatin1String("nat");
    c.networkPool = p.value(networkPool);
    if (auto pool = AddressPool::parse(c.networkPool); !pool)
        return fail(QStringLiteral("--network-pool: %1").arg(pool.error().message));
    c.networkName = p.value(networkName);
    if (const QString e = SandboxNetworks::checkName(c.networkName); !e.isEmpty())
        return fail(QStringLiteral("--network-name: %1").arg(e));
    c.allowPrivateOut = p.isSet(allowPrivate);
    for (const QString &a : p.value(networkDns).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        QHostAddress address;
        if (!address.setAddress(a.trimmed()))
            return fail(QStringLiteral("--network-dns must be IP addresses separated by commas; got '%1'.").arg(a));
        c.networkDns.append(address);
    }
    if (!ok)
        return 1;

    Engine engine(c);
    // SIGTERM (systemd's stop) and SIGINT (^C) end the engine cleanly;
    // sandboxes are left running for the next start to adopt.
    ShutdownSignals shutdownSignals;
    QObject::connect(&shutdownSignals, &ShutdownSignals::received, &engine, [&engine](int sig) {
        fprintf(stderr, "ai2ind: %s received\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
        engine.shutdown([] { QCoreApplication::exit(0); });
    });
    int code = 0;
    engine.start([&code](Status s) {
        if (!s) {
            fail(s.error().message);
            code = 1;
            QCoreApplication::exit(1);
        }
    });
    if (code != 0)
        return code;
    return QCoreApplication::exec();
}

int runKeysCommand(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Manages API keys: create [--team NAME] [budget], list, revoke KEY, budget --team NAME [budget] [--clear].\n"
        "A team's budget limits what its sandboxes hold at once: CPUs and memory of running (and frozen) ones, "
        "disk of all."));
    p.addHelpOption();
    const QCommandLineOption dataDir(QStringLiteral("data-dir"), QStringLiteral("State directory (default %1).").arg(EngineConfig::defaultDataDir()), QStringLiteral("DIR"), EngineConfig::defaultDataDir());
    const QCommandLineOption team(QStringLiteral("team"), QStringLiteral("Team of the new key (default 'default')."), QStringLiteral("NAME"), QStringLiteral("default"));
    const QCommandLineOption maxCpu(QStringLiteral("max-cpu"), QStringLiteral("The team's budget of CPUs."), QStringLiteral("N"));
    const QCommandLineOption maxMemory(QStringLiteral("max-memory"), QStringLiteral("The team's budget of memory: MiB, or with a unit (512M, 8G)."), QStringLiteral("SIZE"));
    const QCommandLineOption maxDisk(QStringLiteral("max-disk"), QStringLiteral("The team's budget of disk: MiB, or with a unit (20G, 1T)."), QStringLiteral("SIZE"));
    const QCommandLineOption clear(QStringLiteral("clear"), QStringLiteral("With budget: remove the team's limits first."));
    p.addOptions({dataDir, team, maxCpu, maxMemory, maxDisk, clear});
    p.addPositionalArgument(QStringLiteral("action"), QStringLiteral("create, list, revoke or budget"));
    p.process(args);
    const QStringList pos = p.positionalArguments();
    if (pos.isEmpty())
        return fail(QStringLiteral("Say what to do with keys: create, list, revoke KEY or budget."));
    TeamBudget change;
    if (p.isSet(maxCpu)) {
        bool good = false;
        const int n = p.value(maxCpu).toInt(&good);
        if (!good || n < 1 || n > 1000000)
            return fail(QStringLiteral("--max-cpu must be a whole number of CPUs from 1 to 1000000; got '%1'.")
                            .arg(p.value(maxCpu)));
        change.maxCpu = n;
    }
    for (const auto &[option, field] : {std::pair{&maxMemory, &change.maxMemoryMb}, std::pair{&maxDisk, &change.maxDiskMb}}) {
        if (!p.isSet(*option))
            continue;
        const auto mb = MegabyteOption::parse(p.value(*option), std::numeric_limits<int>::max());
        if (!mb)
            return fail(QStringLiteral("--%1 must be a size in MiB or with a unit, e.g. 4096, 4G or 1T; got '%2'.")
                            .arg(option->names().first(), p.value(*option)));
        *field = int(*mb);
    }
    const QString dir = QDir(p.value(dataDir)).absolutePath();
    ::umask(077);
    // Every API connection holds descriptors: take all the hard limit
    // allows (a shell's soft limit is often 1024), as systemd's unit does.
    rlimit files{};
    if (::getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
        files.rlim_cur = files.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &files);
    } // the store may be created here, before the engine first runs
    if (!QDir().mkpath(dir))
        return fail(QStringLiteral("Cannot create the data directory %1.").arg(dir));
    Database db(QStringLiteral("keys"));
    if (auto s = db.open(dir + QStringLiteral("/state.db")); !s)
        return fail(s.error().message);
    KeyStore keys(db.db());
    const QString action = pos.first();
    if (action == QLatin1String("create")) {
        const auto key = keys.create(p.value(team));
        if (!key)
            return fail(key.error().message);
        if (change.any()) {
            if (auto s = keys.setBudget(p.value(team), change); !s)
                return fail(s.error().message);
        }
        printf("%s\n", qPrintable(*key));
        return 0;
    }
    if (action == QLatin1String("budget")) {
        if (!p.isSet(team))
            return fail(QStringLiteral("Name the team whose budget to set with --team NAME."));
        if (!change.any() && !p.isSet(clear))
            return fail(QStringLiteral("Give --max-cpu, --max-memory, --max-disk or --clear."));
        if (auto s = keys.setBudget(p.value(team), change, p.isSet(clear)); !s)
            return fail(s.error().message);
        printf("%s\n", qPrintable(budgetText(*keys.budget(p.value(team)))));
        return 0;
    }
    if (action == QLatin1String("list")) {
        const auto list = keys.list();
        if (!list)
            return fail(list.error().message);
        printf("%-18s %-16s %-24s %-8s %s\n", "KEY", "TEAM", "CREATED", "STATE", "BUDGET");
        for (const ApiKeyInfo &k : *list)
            printf("%-18s %-16s %-24s %-8s %s\n", qPrintable(k.prefix + QStringLiteral("…")), qPrintable(k.team),
                   qPrintable(k.createdAt.toString(Qt::ISODate)),
                   k.revokedAt.isValid() ? "revoked" : "active", qPrintable(budgetText(k.budget)));
        return 0;
    }
    if (action == QLatin1String("revoke")) {
        if (pos.size() < 2)
            return fail(QStringLiteral("Give the key (or its prefix as 'keys list' shows it) to revoke."));
        if (auto s = keys.revoke(pos.at(1)); !s)
            return fail(s.error().message);
        printf("revoked\n");
        return 0;
    }
    return fail(QStringLiteral("Unknown keys action '%1'; use create, list, revoke or budget.").arg(action));
}
