// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

// The outcome of one check: the sentence after the ✓ or ✗ mark. A failed
// check's sentence ends with what to do about it.
struct HostCheckResult
{
    bool ok = false;
    QString line;

    // "✓ line" or "✗ line".
    QString text() const;
};

struct KernelVersion
{
    int major = 0;
    int minor = 0;
};

// The first line of `runc --version` (or crun's, runsc's): "runc version 1.1.5+ds1".
struct RuntimeVersion
{
    QString name;
    QString version; // without build metadata: "1.1.5"
};

struct CgroupLayout
{
    // As runc sees it: v2 when cgroup2 is mounted at /sys/fs/cgroup; hybrid
    // when v1 controllers are mounted and cgroup2 is too, elsewhere.
    enum class Version { None, V1, V2, Hybrid };
    Version version = Version::None;
    // The controllers runc can use: on v1 and hybrid those of the v1 mounts,
    // on v2 those the root's cgroup.controllers lists. Sorted, no repeats.
    QStringList controllers;
    QString unifiedMount; // where cgroup2 is mounted, if anywhere
};

// credentials.json as the engine writes it on its first start.
struct EngineCredentials
{
    QString apiKey;
    QUrl baseUrl;
};

// What `ai2ind doctor` checks on the host. The parsers are pure; each check
// reads the host and may block for a few seconds (doctor is a one-shot
// command line, never the engine's event loop).
namespace HostChecks {

std::optional<KernelVersion> parseKernelRelease(const QString &release); // "6.1.0-18-amd64"
bool kernelIsSupported(const KernelVersion &version); // 5.10 or newer
std::optional<RuntimeVersion> parseRuntimeVersion(const QByteArray &output);
// mountinfo: /proc/self/mountinfo; rootControllers: /sys/fs/cgroup/cgroup.controllers (used on v2 only).
CgroupLayout parseCgroups(const QByteArray &mountinfo, const QByteArray &rootControllers);
// Those the engine needs that the layout lacks, in the order of the need.
QStringList missingCgroupControllers(const CgroupLayout &layout);
QString cgroupVersionName(CgroupLayout::Version version);
bool filesystemsListOverlay(const QByteArray &procFilesystems);
// The module's path as modules.dep (or modules.builtin) lists it, or "".
QString moduleInModulesList(const QByteArray &modulesList, const QString &module);
// On failure *error says what is wrong with the file.
std::optional<EngineCredentials> parseCredentials(const QByteArray &json, QString *error);

// Debian 11's kernel: overlayfs and user namespaces as the engine uses them.
constexpr int kMinKernelMajor = 5;
constexpr int kMinKernelMinor = 10;
constexpr qint64 kMinFreeBytes = qint64(2) * 1024 * 1024 * 1024;
constexpr int kRuntimeTimeoutMs = 5000;
constexpr int kEngineTimeoutMs = 3000;
// A name under .localhost, as in a preview URL.
inline constexpr char kPreviewProbeName[] = "3000-doctor.localhost";

// The checks, in the order doctor runs them.
HostCheckResult kernel();
HostCheckResult cgroups();
HostCheckResult overlayfs();
HostCheckResult userNamespaces();
HostCheckResult runtime(const QString &program);
HostCheckResult disk(const QString &dataDir);
HostCheckResult templateBuilt(const QString &templatesDir, const QString &name);
HostCheckResult engine(const QString &dataDir);
// nftables usable (a dry run) and a resolver for the sandboxes' DNS.
HostCheckResult network();
HostCheckResult previewNames();

} // namespace HostChecks
