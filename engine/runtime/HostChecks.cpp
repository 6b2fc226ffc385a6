// SPDX-License-Identifier: GPL-3.0-or-later
#include "HostChecks.h"

#include "DnsForwarder.h"
#include "NftTable.h"

#include "EngineConfig.h"
#include "MountInfo.h"
#include "TemplateInfo.h"
#include "TemplateRecipe.h"
#include "TemplateStore.h"
#include "UserNamespaceProbe.h"

#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>
#include <QStorageInfo>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <netdb.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

namespace {

// Files under /proc and /sys are small; a bound keeps a hostile one harmless.
constexpr qint64 kMaxProcFile = 4 * 1024 * 1024;

HostCheckResult pass(const QString &line)
{
    return {true, line};
}

HostCheckResult fail(const QString &line)
{
    return {false, line};
}

// nullopt when the file cannot be opened; *error then says why.
std::optional<QByteArray> readSmallFile(const QString &path, QString *error = nullptr)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        if (error)
            *error = f.errorString();
        return std::nullopt;
    }
    // In chunks: a sysctl file refuses one read(2) of megabytes (ENOMEM).
    QByteArray data;
    while (data.size() < kMaxProcFile) {
        const QByteArray chunk = f.read(64 * 1024);
        if (chunk.isEmpty())
            break;
        data += chunk;
    }
    if (f.error() != QFileDevice::NoError) {
        if (error)
            *error = f.errorString();
        return std::nullopt;
    }
    return data;
}

QString kernelRelease()
{
    utsname u {};
    if (::uname(&u) != 0)
        return {};
    return QString::fromUtf8(u.release);
}

// What the engine needs: limits (memory, cpu, pids) for every sandbox and
// the freezer for pausing with keep_memory.
QStringList neededControllers(CgroupLayout::Version version)
{
    QStringList needed{QStringLiteral("memory"), QStringLiteral("cpu"), QStringLiteral("pids")};
    // cgroup v2 freezes through cgroup.freeze in every cgroup; v1 needs its hierarchy.
    if (version != CgroupLayout::Version::V2)
        needed << QStringLiteral("freezer");
    return needed;
}

QString formatGiB(qint64 bytes)
{
    return QStringLiteral("%1 GiB").arg(double(bytes) / (1024.0 * 1024.0 * 1024.0), 0, 'f', 1);
}

// The command that starts the engine on this data dir.
QString serveCommand(const QString &dataDir)
{
    if (QDir::cleanPath(dataDir) != EngineConfig::defaultDataDir())
        return QStringLiteral("sudo ai2ind serve --data-dir %1").arg(dataDir);
    // The package's unit runs the engine on the default data dir.
    for (const char *unit : {"/lib/systemd/system/ai2ind.service", "/usr/lib/systemd/system/ai2ind.service",
                             "/etc/systemd/system/ai2ind.service"})
        if (QFileInfo::exists(QLatin1String(unit)))
            return QStringLiteral("sudo systemctl start ai2ind");
    return QStringLiteral("sudo ai2ind serve or ./dev.sh run");
}

// Where sudo finds programs, for a user whose PATH has no sbin directories
// (Debian puts runc in /usr/sbin).
QString findProgram(const QString &program)
{
    if (program.contains(QLatin1Char('/')))
        return QFileInfo(program).isExecutable() ? QFileInfo(program).absoluteFilePath() : QString();
    QString found = QStandardPaths::findExecutable(program);
    if (found.isEmpty())
        found = QStandardPaths::findExecutable(program, {QStringLiteral("/usr/local/sbin"), QStringLiteral("/usr/sbin"),
                                                         QStringLiteral("/sbin")});
    return found;
}

QString errnoText(int err)
{
    return QString::fromLocal8Bit(std::strerror(err));
}

} // namespace

QString HostCheckResult::text() const
{
    return (ok ? QStringLiteral("✓ ") : QStringLiteral("✗ ")) + line;
}

// ---- parsers --------------------------------------------------------------

std::optional<KernelVersion> HostChecks::parseKernelRelease(const QString &release)
{
    // Debian's "6.1.0-18-amd64", a distribution's "5.15.0-91-generic", "6.9-rc1".
    static const QRegularExpression re(QStringLiteral(R"(\A([0-9]{1,4})\.([0-9]{1,4})(?:[^0-9]|\z))"));
    const QRegularExpressionMatch m = re.match(release.trimmed());
    if (!m.hasMatch())
        return std::nullopt;
    return KernelVersion{m.captured(1).toInt(), m.captured(2).toInt()};
}

bool HostChecks::kernelIsSupported(const KernelVersion &version)
{
    return version.major > kMinKernelMajor || (version.major == kMinKernelMajor && version.minor >= kMinKernelMinor);
}

std::optional<RuntimeVersion> HostChecks::parseRuntimeVersion(const QByteArray &output)
{
    const qsizetype newline = output.indexOf('\n');
    const QByteArray firstLine = (newline < 0 ? output : output.left(newline)).trimmed();
    static const QRegularExpression re(QStringLiteral(R"(\A([a-z][a-z0-9_-]{0,31}) version ([0-9A-Za-z][0-9A-Za-z.+~_-]{0,63})\z)"));
    const QRegularExpressionMatch m = re.match(QString::fromLatin1(firstLine));
    if (!m.hasMatch())
        return std::nullopt;
    QString version = m.captured(2);
    // "+ds1": Debian's repackaged source, not a different runc.
    if (const qsizetype plus = version.indexOf(QLatin1Char('+')); plus > 0)
        version.truncate(plus);
    return RuntimeVersion{m.captured(1), version};
}

CgroupLayout HostChecks::parseCgroups(const QByteArray &mountinfo, const QByteArray &rootControllers)
{
    static const QSet<QByteArray> v1Controllers{"blkio",   "cpu",     "cpuacct",  "cpuset", "devices",
                                                "freezer", "hugetlb", "memory",   "misc",   "net_cls",
                                                "net_prio", "perf_event", "pids", "rdma"};
    static const QString root = QStringLiteral("/sys/fs/cgroup");
    bool hasV1 = false;
    bool unifiedAtRoot = false;
    QString unifiedElsewhere;
    QSet<QString> v1Found;
    for (const QByteArray &line : mountinfo.split('\n')) {
        const QList<QByteArray> f = line.split(' ');
        // id parent major:minor root mount-point options [optional…] - fstype source super-options
        const qsizetype separator = f.indexOf(QByteArray("-"), 6);
        if (separator < 6 || separator + 3 >= f.size() ||
            std::any_of(f.cbegin(), f.cbegin() + separator + 4, [](const QByteArray &field) { return field.isEmpty(); }))
            continue;
        const QByteArray &type = f[separator + 1];
        if (type == "cgroup2") {
            const QString point = MountInfo::unescapeField(f[4]);
            if (QDir::cleanPath(point) == root)
                unifiedAtRoot = true;
            else if (unifiedElsewhere.isEmpty())
                unifiedElsewhere = point;
        } else if (type == "cgroup") {
            hasV1 = true;
            for (const QByteArray &option : f[separator + 3].split(','))
                if (v1Controllers.contains(option))
                    v1Found.insert(QString::fromLatin1(option));
        }
    }

    CgroupLayout layout;
    QSet<QString> found;
    if (unifiedAtRoot) {
        layout.version = CgroupLayout::Version::V2;
        layout.unifiedMount = root;
        static const QRegularExpression name(QStringLiteral(R"(\A[a-z][a-z0-9_]{0,31}\z)"));
        for (const QByteArray &word : rootControllers.simplified().split(' ')) {
            const QString w = QString::fromLatin1(word);
            if (name.match(w).hasMatch())
                found.insert(w);
        }
    } else if (hasV1) {
        layout.version = unifiedElsewhere.isEmpty() ? CgroupLayout::Version::V1 : CgroupLayout::Version::Hybrid;
        layout.unifiedMount = unifiedElsewhere;
        found = v1Found;
    } else {
        layout.unifiedMount = unifiedElsewhere;
    }
    layout.controllers = QStringList(found.cbegin(), found.cend());
    layout.controllers.sort();
    return layout;
}

QStringList HostChecks::missingCgroupControllers(const CgroupLayout &layout)
{
    QStringList missing;
    for (const QString &c : neededControllers(layout.version))
        if (!layout.controllers.contains(c))
            missing << c;
    return missing;
}

QString HostChecks::cgroupVersionName(CgroupLayout::Version version)
{
    switch (version) {
    case CgroupLayout::Version::V1:
        return QStringLiteral("v1");
    case CgroupLayout::Version::V2:
        return QStringLiteral("v2");
    case CgroupLayout::Version::Hybrid:
        return QStringLiteral("hybrid");
    case CgroupLayout::Version::None:
        break;
    }
    return QStringLiteral("none");
}

bool HostChecks::filesystemsListOverlay(const QByteArray &procFilesystems)
{
    // "nodev\toverlay": the name is the last word of its line.
    for (const QByteArray &line : procFilesystems.split('\n')) {
        const QList<QByteArray> words = line.simplified().split(' ');
        if (words.last() == "overlay" && words.size() <= 2)
            return true;
    }
    return false;
}

QString HostChecks::moduleInModulesList(const QByteArray &modulesList, const QString &module)
{
    // "kernel/fs/overlayfs/overlay.ko.xz: dependencies…"
    static const QRegularExpression file(QStringLiteral(R"(\A[A-Za-z0-9_./-]+\z)"));
    const QString wanted = module + QStringLiteral(".ko");
    for (const QByteArray &line : modulesList.split('\n')) {
        const qsizetype colon = line.indexOf(':');
        const QString path = QString::fromLatin1(colon < 0 ? line.trimmed() : line.left(colon).trimmed());
        if (path.isEmpty() || path.startsWith(QLatin1Char('/')) || path.contains(QStringLiteral("..")) ||
            !file.match(path).hasMatch())
            continue;
        const QString base = path.mid(path.lastIndexOf(QLatin1Char('/')) + 1);
        for (const char *suffix : {"", ".xz", ".gz", ".zst"})
            if (base == wanted + QLatin1String(suffix))
                return path;
    }
    return {};
}

std::optional<EngineCredentials> HostChecks::parseCredentials(const QByteArray &json, QString *error)
{
    auto failWith = [error](const QString &why) {
        if (error)
            *error = why;
        return std::nullopt;
    };
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return failWith(QStringLiteral("is not a JSON object"));
    const QJsonObject o = doc.object();
    const QString key = o.value(QStringLiteral("api_key")).toString();
    // The key travels in a header: printable ASCII without blanks only.
    static const QRegularExpression keyRe(QStringLiteral(R"(\A[\x21-\x7e]{1,256}\z)"));
    if (!keyRe.match(key).hasMatch())
        return failWith(QStringLiteral("has no usable api_key"));
    const QUrl url(o.value(QStringLiteral("base_url")).toString(), QUrl::StrictMode);
    // Anything but http(s) would have the key sent elsewhere or a file read.
    if (!url.isValid() || (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")) ||
        url.host().isEmpty() || !url.userInfo().isEmpty() || url.hasQuery() || url.hasFragment())
        return failWith(QStringLiteral("has no http(s) base_url"));
    return EngineCredentials{key, url};
}

// ---- checks ---------------------------------------------------------------

HostCheckResult HostChecks::kernel()
{
    const QString release = kernelRelease();
    const auto v = parseKernelRelease(release);
    if (!v)
        return fail(QStringLiteral("kernel: cannot read a version in \"%1\"; the engine needs Linux %2.%3 or newer")
                        .arg(release)
                        .arg(kMinKernelMajor)
                        .arg(kMinKernelMinor));
    if (!kernelIsSupported(*v))
        return fail(QStringLiteral("kernel: %1 is older than %2.%3, and the engine needs overlayfs and user "
                                   "namespaces as in Debian 11+; upgrade the kernel")
                        .arg(release)
                        .arg(kMinKernelMajor)
                        .arg(kMinKernelMinor));
    return pass(QStringLiteral("kernel: %1").arg(release));
}

HostCheckResult HostChecks::cgroups()
{
    const QByteArray mountinfo = readSmallFile(QStringLiteral("/proc/self/mountinfo")).value_or(QByteArray());
    const QByteArray controllers =
        readSmallFile(QStringLiteral("/sys/fs/cgroup/cgroup.controllers")).value_or(QByteArray());
    const CgroupLayout layout = parseCgroups(mountinfo, controllers);
    if (layout.version == CgroupLayout::Version::None)
        return fail(QStringLiteral("cgroups: neither cgroup2 at /sys/fs/cgroup nor a v1 hierarchy is mounted; "
                                   "mount them (systemd does at boot), e.g. sudo mount -t cgroup2 none /sys/fs/cgroup"));
    QString version = cgroupVersionName(layout.version);
    if (layout.version == CgroupLayout::Version::Hybrid)
        version += QStringLiteral(" (v1 controllers, v2 at %1)").arg(layout.unifiedMount);
    const QStringList missing = missingCgroupControllers(layout);
    if (!missing.isEmpty())
        return fail(QStringLiteral("cgroups: %1 without %2; the engine limits and pauses sandboxes with them: "
                                   "enable them in the kernel (or delegate them to this container)")
                        .arg(version, missing.join(QStringLiteral(", "))));
    QStringList have = neededControllers(layout.version);
    if (layout.version == CgroupLayout::Version::V2)
        have << QStringLiteral("freezing (cgroup.freeze)");
    return pass(QStringLiteral("cgroups: %1 with %2").arg(version, have.join(QStringLiteral(", "))));
}

HostCheckResult HostChecks::overlayfs()
{
    if (filesystemsListOverlay(readSmallFile(QStringLiteral("/proc/filesystems")).value_or(QByteArray())))
        return pass(QStringLiteral("overlayfs: in the kernel"));
    const QString modules = QStringLiteral("/lib/modules/") + kernelRelease();
    const QString path =
        moduleInModulesList(readSmallFile(modules + QStringLiteral("/modules.dep")).value_or(QByteArray()),
                            QStringLiteral("overlay"));
    if (!path.isEmpty() && QFileInfo::exists(modules + QLatin1Char('/') + path))
        return pass(QStringLiteral("overlayfs: module %1/%2; the kernel loads it on first use").arg(modules, path));
    return fail(QStringLiteral("overlayfs: not in /proc/filesystems and no module in %1; load it with: sudo modprobe overlay")
                    .arg(modules));
}

HostCheckResult HostChecks::userNamespaces()
{
    const QString maxPath = QStringLiteral("/proc/sys/user/max_user_namespaces");
    const auto maxText = readSmallFile(maxPath);
    if (!maxText)
        return fail(QStringLiteral("user namespaces: the kernel has none (no %1); use a kernel built with "
                                   "CONFIG_USER_NS, as Debian's are")
                        .arg(maxPath));
    bool numeric = false;
    const qint64 max = maxText->trimmed().toLongLong(&numeric);
    if (numeric && max <= 0)
        return fail(QStringLiteral("user namespaces: disabled (user.max_user_namespaces is %1); enable them: "
                                   "sudo sysctl -w user.max_user_namespaces=15000")
                        .arg(max));
    // Not a number: the probe below tells anyway.
    const QString limit = numeric ? QStringLiteral(" (limit %1)").arg(max) : QString();

    const bool root = ::geteuid() == 0;
    const QString noAnswer = QStringLiteral("user namespaces: the probe process did not answer within 5 s; run doctor again");
    UserNamespaceProbe probe;
    if (const int err = probe.start(); err != 0)
        return fail(QStringLiteral("user namespaces: cannot start a probe process: %1; free some memory or "
                                   "processes and run doctor again")
                        .arg(errnoText(err)));
    const auto unshareErrno = probe.unshareResult(5000);
    if (!unshareErrno)
        return fail(noAnswer);
    if (*unshareErrno != 0)
        return fail(QStringLiteral("user namespaces: unshare(CLONE_NEWUSER) failed: %1; %2")
                        .arg(errnoText(*unshareErrno),
                             root ? QStringLiteral("allow them on this host (a container must not forbid them), "
                                                   "since every sandbox runs in one")
                                  : QStringLiteral("run doctor as root, as the engine runs")));
    if (!root)
        return pass(QStringLiteral("user namespaces: a process can create one%1; mapping its root to host uids "
                                   "needs root: run doctor as root to check that too")
                        .arg(limit));

    // The mapping every sandbox gets: its root is the template's host uid.
    const TemplateInfo defaults;
    const QByteArray map = "0 " + QByteArray::number(defaults.uidBase) + ' ' + QByteArray::number(defaults.uidCount) + '\n';
    if (const QString error = probe.writeMaps(map); !error.isEmpty())
        return fail(QStringLiteral("user namespaces: created one but %1; every sandbox needs this mapping: run the "
                                   "engine and doctor as real root on the host")
                        .arg(error));
    const auto identity = probe.becomeRoot(5000);
    if (!identity)
        return fail(noAnswer);
    if (identity->error != 0 || identity->uid != 0 || identity->gid != 0)
        return fail(QStringLiteral("user namespaces: with its map written, the probe cannot become root in it "
                                   "(%1; uid %2, gid %3); sandboxes cannot start either: use a Debian 11+ kernel")
                        .arg(identity->error != 0 ? errnoText(identity->error) : QStringLiteral("no error"))
                        .arg(identity->uid)
                        .arg(identity->gid));
    return pass(QStringLiteral("user namespaces: created one and mapped its root to host uid %1%2")
                    .arg(defaults.uidBase)
                    .arg(limit));
}

HostCheckResult HostChecks::runtime(const QString &program)
{
    const QString install = QStringLiteral("sudo apt-get install runc");
    const QString path = findProgram(program);
    if (path.isEmpty()) {
        if (program == QLatin1String("runc"))
            return fail(QStringLiteral("runtime: runc not found; install it: %1").arg(install));
        return fail(QStringLiteral("runtime: %1 not found; install runc (%2) or give its path with --runtime")
                        .arg(program, install));
    }
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(path, {QStringLiteral("--version")});
    // doctor is a one-shot command line, not an event loop: waiting here
    // blocks nothing else.
    if (!p.waitForStarted(kRuntimeTimeoutMs))
        return fail(QStringLiteral("runtime: cannot run %1: %2; reinstall it: %3").arg(path, p.errorString(), install));
    if (!p.waitForFinished(kRuntimeTimeoutMs)) {
        p.kill();
        p.waitForFinished(1000);
        return fail(QStringLiteral("runtime: %1 --version did not finish within %2 s; check that it is runc")
                        .arg(path)
                        .arg(kRuntimeTimeoutMs / 1000));
    }
    const auto version = parseRuntimeVersion(p.readAll());
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0 || !version)
        return fail(QStringLiteral("runtime: %1 --version printed no version; check that it is runc, or reinstall it: %2")
                        .arg(path, install));
    return pass(QStringLiteral("runtime: %1 %2 (%3)").arg(version->name, version->version, path));
}

HostCheckResult HostChecks::disk(const QString &dataDir)
{
    // The data dir may not exist before the engine's first start; its
    // nearest existing ancestor is on the same file system.
    QString existing = QDir::cleanPath(QDir(dataDir).absolutePath());
    while (!QFileInfo(existing).isDir() && existing != QLatin1String("/"))
        existing = QFileInfo(existing).path();
    const QStorageInfo storage(existing);
    if (!storage.isValid() || !storage.isReady())
        return fail(QStringLiteral("disk: cannot read the free space where %1 is; check that its parent directory exists")
                        .arg(dataDir));
    const qint64 free = storage.bytesAvailable();
    if (free < kMinFreeBytes)
        return fail(QStringLiteral("disk: only %1 free on %2 for %3; free at least %4 there, as sandboxes keep the "
                                   "files they change in it")
                        .arg(formatGiB(free), storage.rootPath(), dataDir, formatGiB(kMinFreeBytes)));
    return pass(QStringLiteral("disk: %1 free on %2 for %3").arg(formatGiB(free), storage.rootPath(), dataDir));
}

HostCheckResult HostChecks::templateBuilt(const QString &templatesDir, const QString &name)
{
    const QString label = QStringLiteral("template %1").arg(name);
    if (!TemplateStore::isValidName(name))
        return fail(QStringLiteral("%1: not a template name (lower-case letters, digits, '.', '_' and '-'); "
                                   "give one with --template, e.g. --template base")
                        .arg(label));
    QString build = QStringLiteral("sudo ai2ind template build %1").arg(name);
    if (QDir::cleanPath(templatesDir) != TemplateStore::defaultDir())
        build += QStringLiteral(" --templates %1").arg(templatesDir);
    const TemplateStore store(templatesDir);
    QString error;
    const auto info = store.info(name, &error);
    if (!info && error.isEmpty())
        return fail(QStringLiteral("%1: not built in %2; build it with: %3").arg(label, templatesDir, build));
    if (!info) {
        // The store's sentence ends with a full stop; here it sits inside a line.
        while (error.endsWith(QLatin1Char('.')))
            error.chop(1);
        return fail(QStringLiteral("%1: broken (%2); rebuild it with: %3 --force").arg(label, error, build));
    }
    // Sandboxes of an out-of-date template miss what the recipe has since
    // gained (sudo, pip, node …); the build command replaces it.
    if (const auto recipe = TemplateRecipe::find(name); recipe && info->recipe != recipe->fingerprint())
        return fail(QStringLiteral("%1: built %2 from an older recipe, so it lacks what the recipe has since gained; "
                                   "rebuild it with: %3")
                        .arg(label, info->createdAt.toString(QStringLiteral("yyyy-MM-dd")), build));
    return pass(QStringLiteral("%1: built %2 in %3")
                    .arg(label, info->createdAt.toString(QStringLiteral("yyyy-MM-dd")), templatesDir));
}

HostCheckResult HostChecks::engine(const QString &dataDir)
{
    const QString path = QDir(dataDir).filePath(QStringLiteral("credentials.json"));
    const QString start = serveCommand(dataDir);
    struct stat st {};
    // A data dir others may not enter hides the file as well as its absence
    // would: EACCES is "cannot read", not "missing".
    if (::stat(QFile::encodeName(path).constData(), &st) != 0 && errno != EACCES)
        return fail(QStringLiteral("engine: no credentials.json in %1: the engine writes it on its first start; "
                                   "start it with %2")
                        .arg(dataDir, start));
    QString why;
    const auto bytes = readSmallFile(path, &why);
    if (!bytes)
        return fail(QStringLiteral("engine: cannot read %1 (%2); run doctor as root or as a member of the ai2in group")
                        .arg(path, why));
    const auto credentials = parseCredentials(*bytes, &why);
    if (!credentials)
        return fail(QStringLiteral("engine: %1 %2; restart the engine, which writes it again").arg(path, why));

    QString base = credentials->baseUrl.toString(QUrl::StripTrailingSlash);
    const QUrl url(base + QStringLiteral("/v1/sandboxes"));
    QNetworkAccessManager nam;
    // The engine is local; a proxy from the environment must not get the key.
    nam.setProxy(QNetworkProxy::NoProxy);
    QNetworkRequest request(url);
    request.setRawHeader("Authorization", "Bearer " + credentials->apiKey.toLatin1());
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setTransferTimeout(kEngineTimeoutMs);
    QNetworkReply *reply = nam.get(request);
    // A one-shot command line: a local loop for one request blocks nothing else.
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    reply->deleteLater();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status == 200) {
        const QJsonArray list =
            QJsonDocument::fromJson(reply->read(kMaxProcFile)).object().value(QStringLiteral("sandboxes")).toArray();
        return pass(QStringLiteral("engine: answers at %1 with the key in %2 (%3 sandbox%4)")
                        .arg(base, path)
                        .arg(list.size())
                        .arg(list.size() == 1 ? QString() : QStringLiteral("es")));
    }
    if (status == 401 || status == 403)
        return fail(QStringLiteral("engine: the engine at %1 rejects the key in %2; check that it runs with "
                                   "--data-dir %3, and restart it: it writes a valid key on start")
                        .arg(base, path, dataDir));
    if (status != 0)
        return fail(QStringLiteral("engine: %1 answers HTTP %2 to GET /v1/sandboxes; check that ai2ind listens "
                                   "there and read its log")
                        .arg(base)
                        .arg(status));
    // The transfer timeout aborts the request, which Qt calls "canceled".
    const bool timedOut = reply->error() == QNetworkReply::OperationCanceledError ||
                          reply->error() == QNetworkReply::TimeoutError;
    const QString reason = timedOut ? QStringLiteral("within %1 s").arg(kEngineTimeoutMs / 1000)
                                    : QStringLiteral("(%1)").arg(reply->errorString());
    return fail(QStringLiteral("engine: no engine answers at %1 %2; start it with %3").arg(base, reason, start));
}

HostCheckResult HostChecks::network()
{
    // A dry run: nftables and the kernel check a table without it being made.
    NftTable nft(true);
    if (auto s = nft.run(QStringLiteral("add table inet ai2indoctor\n"), QStringLiteral("check nftables")); !s)
        return fail(QStringLiteral("sandbox networks: nftables does not work here (%1); load it with: sudo modprobe "
                                   "nf_tables (or start the engine with --network none: loopback only)")
                        .arg(s.error().message));
    const auto servers =
        DnsForwarder::parseResolvConf(readSmallFile(QStringLiteral("/etc/resolv.conf")).value_or(QByteArray()));
    if (servers.isEmpty())
        return fail(QStringLiteral("sandbox networks: /etc/resolv.conf names no DNS server, so sandboxes could not "
                                   "resolve names; fix it, or start the engine with --network-dns IP"));
    QStringList names;
    for (const QHostAddress &a : servers)
        names << a.toString();
    return pass(QStringLiteral("sandbox networks: nftables works; sandboxes resolve through the engine and %1")
                    .arg(names.join(QStringLiteral(", "))));
}

HostCheckResult HostChecks::previewNames()
{
    const QString name = QString::fromLatin1(kPreviewProbeName);
    const QString install = QStringLiteral("install libnss-myhostname (sudo apt-get install libnss-myhostname)");
    addrinfo hints {};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo *found = nullptr;
    // getaddrinfo as Python and Node call it: the answer they get (curl
    // resolves *.localhost itself, browsers too).
    const int rc = ::getaddrinfo(kPreviewProbeName, nullptr, &hints, &found);
    QStringList addresses;
    bool loopbackOnly = true;
    for (addrinfo *a = found; rc == 0 && a; a = a->ai_next) {
        const QHostAddress address(a->ai_addr);
        if (address.isNull())
            continue;
        loopbackOnly = loopbackOnly && address.isLoopback();
        if (!addresses.contains(address.toString()))
            addresses << address.toString();
    }
    if (found)
        ::freeaddrinfo(found);
    if (addresses.isEmpty())
        return fail(QStringLiteral("preview names: 3000-<id>.localhost does not resolve, so curl, Python and Node "
                                   "cannot open preview URLs; %1")
                        .arg(install));
    if (!loopbackOnly)
        return fail(QStringLiteral("preview names: %1 resolves to %2, not only to this machine, so preview URLs may "
                                   "reach another host; %3")
                        .arg(name, addresses.join(QStringLiteral(", ")), install));
    return pass(QStringLiteral("preview names: %1 resolves to %2").arg(name, addresses.join(QStringLiteral(", "))));
}
