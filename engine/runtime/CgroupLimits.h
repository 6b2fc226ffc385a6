// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Result.h"

#include <QByteArray>
#include <QString>

// Changes a running sandbox's CPU and memory limits in place, in the same
// files runc wrote them to at its start (cgroup v2's cpu.max and memory.max,
// or v1's cpu.cfs_quota_us and memory.limit_in_bytes). Writing the files is
// what `runc update` would do, without a process per change.
class CgroupLimits
{
public:
    explicit CgroupLimits(QString cgroupRoot = QStringLiteral("/sys/fs/cgroup"));

    // `cgroupsPath` as in the container's spec (OciSpec::cgroupsPathFor).
    Status apply(const QString &cgroupsPath, int cpus, qint64 memoryBytes) const;

    // Pure, for tests: the contents of each file, as the spec's quota of
    // `cpus` × 100 ms per 100 ms period gives them.
    static QByteArray cpuMax(int cpus);
    static QByteArray cfsQuota(int cpus);

private:
    Status write(const QString &file, const QByteArray &value) const;

    QString m_root;
    bool m_unified = false;
};
