// SPDX-License-Identifier: GPL-3.0-or-later
#include "SandboxInfo.h"

#include "Timestamps.h"

#include <QJsonArray>

namespace SandboxStates {

QString apiName(SandboxState s)
{
    switch (s) {
    case SandboxState::Paused:
    case SandboxState::Resuming:
        return QStringLiteral("paused");
    case SandboxState::Error:
        return QStringLiteral("error");
    default:
        return QStringLiteral("running");
    }
}

QString storageName(SandboxState s)
{
    switch (s) {
    case SandboxState::Creating: return QStringLiteral("creating");
    case SandboxState::Running: return QStringLiteral("running");
    case SandboxState::Pausing: return QStringLiteral("pausing");
    case SandboxState::Paused: return QStringLiteral("paused");
    case SandboxState::Resuming: return QStringLiteral("resuming");
    case SandboxState::Killing: return QStringLiteral("killing");
    case SandboxState::Error: return QStringLiteral("error");
    }
    return {};
}

std::optional<SandboxState> fromStorageName(const QString &name)
{
    for (SandboxState s : {SandboxState::Creating, SandboxState::Running, SandboxState::Pausing,
                           SandboxState::Paused, SandboxState::Resuming, SandboxState::Killing,
                           SandboxState::Error}) {
        if (storageName(s) == name)
            return s;
    }
    return std::nullopt;
}

} // namespace SandboxStates

QJsonObject stringMapToJson(const StringMap &m)
{
    QJsonObject o;
    for (auto it = m.cbegin(); it != m.cend(); ++it)
        o.insert(it.key(), it.value());
    return o;
}

QJsonObject SandboxInfo::toJson() const
{
    QJsonArray portList;
    for (const SandboxPort &p : ports)
        portList.append(QJsonObject{{QStringLiteral("port"), p.port}, {QStringLiteral("url"), p.url}});
    return QJsonObject{
        {QStringLiteral("sandbox_id"), id},
        {QStringLiteral("template"), templateName},
        {QStringLiteral("status"), SandboxStates::apiName(state)},
        {QStringLiteral("created_at"), Timestamps::toJson(createdAt)},
        {QStringLiteral("started_at"), Timestamps::toJson(startedAt)},
        {QStringLiteral("end_at"), Timestamps::toJson(endAt)},
        {QStringLiteral("paused_at"), Timestamps::toJson(pausedAt)},
        {QStringLiteral("node_id"), nodeId},
        {QStringLiteral("metadata"), stringMapToJson(metadata)},
        {QStringLiteral("cpu_count"), cpuCount},
        {QStringLiteral("memory_mb"), memoryMb},
        {QStringLiteral("disk_mb"), diskMb > 0 ? QJsonValue(diskMb) : QJsonValue(QJsonValue::Null)},
        // Only a paused sandbox has a kind of pause; while one is being
        // paused the engine already records the kind it will have.
        {QStringLiteral("pause_kind"), pauseKind.isEmpty() || SandboxStates::apiName(state) != QLatin1String("paused")
                                            ? QJsonValue(QJsonValue::Null)
                                            : QJsonValue(pauseKind)},
        {QStringLiteral("ports"), portList},
        {QStringLiteral("preview_auth"), !previewToken.isEmpty()},
        {QStringLiteral("preview_token"), previewToken.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(previewToken)},
        {QStringLiteral("error_reason"),
         errorReason.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(errorReason)},
        {QStringLiteral("network"), networkJson()},
    };
}

QJsonObject SandboxInfo::networkJson() const
{
    QJsonObject n = network.toJson();
    n.insert(QStringLiteral("address"), netAddress.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(netAddress));
    return n;
}

std::optional<SandboxInfo> SandboxInfo::fromJson(const QJsonObject &o)
{
    SandboxInfo info;
    info.id = o.value(QStringLiteral("sandbox_id")).toString();
    if (info.id.isEmpty())
        return std::nullopt;
    info.templateName = o.value(QStringLiteral("template")).toString();
    const QString status = o.value(QStringLiteral("status")).toString();
    info.state = status == QLatin1String("paused") ? SandboxState::Paused
                 : status == QLatin1String("error") ? SandboxState::Error
                                                    : SandboxState::Running;
    info.errorReason = o.value(QStringLiteral("error_reason")).toString();
    info.createdAt = Timestamps::fromJson(o.value(QStringLiteral("created_at")));
    info.startedAt = Timestamps::fromJson(o.value(QStringLiteral("started_at")));
    info.endAt = Timestamps::fromJson(o.value(QStringLiteral("end_at")));
    info.pausedAt = Timestamps::fromJson(o.value(QStringLiteral("paused_at")));
    info.nodeId = o.value(QStringLiteral("node_id")).toString();
    const QJsonObject md = o.value(QStringLiteral("metadata")).toObject();
    for (auto it = md.begin(); it != md.end(); ++it)
        info.metadata.insert(it.key(), it.value().toString());
    info.cpuCount = o.value(QStringLiteral("cpu_count")).toInt();
    info.memoryMb = o.value(QStringLiteral("memory_mb")).toInt();
    info.diskMb = o.value(QStringLiteral("disk_mb")).toInt();
    info.pauseKind = o.value(QStringLiteral("pause_kind")).toString();
    info.previewToken = o.value(QStringLiteral("preview_token")).toString();
    const QJsonObject net = o.value(QStringLiteral("network")).toObject();
    info.network = NetworkPolicy::fromJson(net);
    info.netAddress = net.value(QStringLiteral("address")).toString();
    for (const QJsonValue &v : o.value(QStringLiteral("ports")).toArray()) {
        const QJsonObject p = v.toObject();
        info.ports.append({p.value(QStringLiteral("port")).toInt(), p.value(QStringLiteral("url")).toString()});
    }
    return info;
}
