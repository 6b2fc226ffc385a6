// SPDX-License-Identifier: GPL-3.0-or-later
#include "CgroupLimits.h"

#include <QFile>
#include <QFileInfo>

namespace {

constexpr qint64 kPeriodUs = 100000;

} // namespace

CgroupLimits::CgroupLimits(QString cgroupRoot)
    : m_root(std::move(cgroupRoot))
{
    m_unified = QFileInfo::exists(m_root + QStringLiteral("/cgroup.controllers"));
}

QByteArray CgroupLimits::cpuMax(int cpus)
{
    return cfsQuota(cpus) + ' ' + QByteArray::number(kPeriodUs);
}

QByteArray CgroupLimits::cfsQuota(int cpus)
{
    return QByteArray::number(qint64(cpus) * kPeriodUs);
}

Status CgroupLimits::write(const QString &file, const QByteArray &value) const
{
    QFile f(file);
    // Unbuffered: the kernel answers the write itself, and a limit it refuses
    // (memory below what cannot be reclaimed, say) fails this call.
    if (!f.open(QIODevice::WriteOnly | QIODevice::Unbuffered) || f.write(value) != value.size())
        return ApiError::internal(QStringLiteral("Cannot set %1 to %2: %3.")
                                      .arg(file, QString::fromLatin1(value), f.errorString()));
    return Done{};
}

Status CgroupLimits::apply(const QString &cgroupsPath, int cpus, qint64 memoryBytes) const
{
    if (m_unified) {
        const QString dir = m_root + cgroupsPath;
        if (auto s = write(dir + QStringLiteral("/memory.max"), QByteArray::number(memoryBytes)); !s)
            return s;
        return write(dir + QStringLiteral("/cpu.max"), cpuMax(cpus));
    }
    if (auto s = write(m_root + QStringLiteral("/memory") + cgroupsPath + QStringLiteral("/memory.limit_in_bytes"),
                       QByteArray::number(memoryBytes));
        !s)
        return s;
    return write(m_root + QStringLiteral("/cpu") + cgroupsPath + QStringLiteral("/cpu.cfs_quota_us"),
                 cfsQuota(cpus));
}
