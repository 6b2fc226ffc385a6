// SPDX-License-Identifier: GPL-3.0-or-later
#include "SeccompProfile.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>

#include <cmath>
#include <limits>

namespace {

// What runc 1.1 (libseccomp 2.5) understands; the rest of the OCI vocabulary
// (notify, listener paths) has no use here and is refused.
const QSet<QString> kActions = {
    QStringLiteral("SCMP_ACT_ALLOW"),        QStringLiteral("SCMP_ACT_ERRNO"),       QStringLiteral("SCMP_ACT_KILL"),
    QStringLiteral("SCMP_ACT_KILL_PROCESS"), QStringLiteral("SCMP_ACT_KILL_THREAD"), QStringLiteral("SCMP_ACT_TRAP"),
    QStringLiteral("SCMP_ACT_LOG"),
};
// Default actions that refuse: anything else would make the list a deny-list.
const QSet<QString> kRefusingActions = {
    QStringLiteral("SCMP_ACT_ERRNO"),        QStringLiteral("SCMP_ACT_KILL"), QStringLiteral("SCMP_ACT_KILL_PROCESS"),
    QStringLiteral("SCMP_ACT_KILL_THREAD"), QStringLiteral("SCMP_ACT_TRAP"),
};
const QSet<QString> kArchitectures = {
    QStringLiteral("SCMP_ARCH_X86"),     QStringLiteral("SCMP_ARCH_X86_64"),    QStringLiteral("SCMP_ARCH_X32"),
    QStringLiteral("SCMP_ARCH_ARM"),     QStringLiteral("SCMP_ARCH_AARCH64"),   QStringLiteral("SCMP_ARCH_MIPS"),
    QStringLiteral("SCMP_ARCH_MIPS64"),  QStringLiteral("SCMP_ARCH_MIPS64N32"), QStringLiteral("SCMP_ARCH_MIPSEL"),
    QStringLiteral("SCMP_ARCH_MIPSEL64"), QStringLiteral("SCMP_ARCH_MIPSEL64N32"), QStringLiteral("SCMP_ARCH_PPC"),
    QStringLiteral("SCMP_ARCH_PPC64"),   QStringLiteral("SCMP_ARCH_PPC64LE"),   QStringLiteral("SCMP_ARCH_S390"),
    QStringLiteral("SCMP_ARCH_S390X"),   QStringLiteral("SCMP_ARCH_RISCV64"),
};
const QSet<QString> kFlags = {
    QStringLiteral("SECCOMP_FILTER_FLAG_TSYNC"),
    QStringLiteral("SECCOMP_FILTER_FLAG_LOG"),
    QStringLiteral("SECCOMP_FILTER_FLAG_SPEC_ALLOW"),
};
const QSet<QString> kOperators = {
    QStringLiteral("SCMP_CMP_NE"), QStringLiteral("SCMP_CMP_LT"), QStringLiteral("SCMP_CMP_LE"),
    QStringLiteral("SCMP_CMP_EQ"), QStringLiteral("SCMP_CMP_GE"), QStringLiteral("SCMP_CMP_GT"),
    QStringLiteral("SCMP_CMP_MASKED_EQ"),
};
constexpr int kMaxErrno = 4095;
// A system call takes at most six arguments.
constexpr int kMaxArgs = 6;
const QString kComment = QStringLiteral("comment");

// A parse error: where, then what.
ApiError fault(const QString &where, const QString &what)
{
    return ApiError::internal(where.isEmpty() ? what : where + QStringLiteral(": ") + what);
}

// The first key of `o` outside `allowed` (comments are always allowed), or "".
QString unknownKey(const QJsonObject &o, const QStringList &allowed)
{
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (it.key() != kComment && !allowed.contains(it.key()))
            return it.key();
    }
    return {};
}

bool isComment(const QJsonValue &v)
{
    if (v.isString())
        return true;
    if (!v.isArray())
        return false;
    for (const QJsonValue &line : v.toArray()) {
        if (!line.isString())
            return false;
    }
    return true;
}

// A whole number from `min` to `max` written as JSON; Qt keeps integers
// written without a fraction exactly (up to 2^63), so no precision is lost.
bool wholeNumber(const QJsonValue &v, qint64 min, qint64 max, qint64 *out)
{
    if (!v.isDouble())
        return false;
    const double d = v.toDouble();
    if (std::floor(d) != d)
        return false;
    const qint64 n = v.toInteger(min - 1);
    if (n < min || n > max)
        return false;
    *out = n;
    return true;
}

Result<QJsonArray> stringSet(const QJsonValue &v, const QString &where, const QSet<QString> &known, bool mayBeEmpty)
{
    if (!v.isArray())
        return fault(where, QStringLiteral("must be a list of names."));
    const QJsonArray a = v.toArray();
    if (a.isEmpty() && !mayBeEmpty)
        return fault(where, QStringLiteral("must name at least one entry."));
    for (int i = 0; i < a.size(); ++i) {
        if (!known.contains(a.at(i).toString()))
            return fault(QStringLiteral("%1[%2]").arg(where).arg(i),
                         QStringLiteral("'%1' is not one of %2.")
                             .arg(a.at(i).toVariant().toString(), QStringList(known.begin(), known.end()).join(QStringLiteral(", "))));
    }
    return a;
}

Result<QJsonObject> parseArg(const QJsonValue &v, const QString &where)
{
    if (!v.isObject())
        return fault(where, QStringLiteral("must be an object with index, value and op."));
    const QJsonObject in = v.toObject();
    if (const QString k = unknownKey(in, {QStringLiteral("index"), QStringLiteral("value"), QStringLiteral("valueTwo"),
                                          QStringLiteral("op")});
        !k.isEmpty())
        return fault(where, QStringLiteral("unknown key '%1'.").arg(k));
    QJsonObject out;
    qint64 index = 0;
    if (!wholeNumber(in.value(QStringLiteral("index")), 0, kMaxArgs - 1, &index))
        return fault(where + QStringLiteral(".index"), QStringLiteral("must be a whole number from 0 to 5."));
    out.insert(QStringLiteral("index"), index);
    for (const QString &key : {QStringLiteral("value"), QStringLiteral("valueTwo")}) {
        if (!in.contains(key)) {
            if (key == QLatin1String("value"))
                return fault(where, QStringLiteral("has no value."));
            continue;
        }
        qint64 n = 0;
        // Arguments are compared as 64-bit words; these profiles need no
        // value above 2^63, and JSON numbers beyond it would not be exact.
        if (!wholeNumber(in.value(key), 0, std::numeric_limits<qint64>::max(), &n))
            return fault(where + QLatin1Char('.') + key, QStringLiteral("must be a whole number, 0 or more."));
        out.insert(key, n);
    }
    const QString op = in.value(QStringLiteral("op")).toString();
    if (!kOperators.contains(op))
        return fault(where + QStringLiteral(".op"),
                     QStringLiteral("'%1' is not a comparison (SCMP_CMP_EQ, SCMP_CMP_MASKED_EQ, …).")
                         .arg(in.value(QStringLiteral("op")).toVariant().toString()));
    if (op == QLatin1String("SCMP_CMP_MASKED_EQ") && !out.contains(QStringLiteral("valueTwo")))
        return fault(where, QStringLiteral("SCMP_CMP_MASKED_EQ needs valueTwo, the value the masked argument must equal."));
    out.insert(QStringLiteral("op"), op);
    return out;
}

Result<QJsonObject> parseRule(const QJsonValue &v, const QString &where)
{
    static const QRegularExpression name(QStringLiteral("^[a-z_][a-z0-9_]{0,63}$"));
    if (!v.isObject())
        return fault(where, QStringLiteral("must be an object with names and action."));
    const QJsonObject in = v.toObject();
    if (const QString k = unknownKey(in, {QStringLiteral("names"), QStringLiteral("action"), QStringLiteral("errnoRet"),
                                          QStringLiteral("args")});
        !k.isEmpty())
        return fault(where, QStringLiteral("unknown key '%1'.").arg(k));
    if (in.contains(kComment) && !isComment(in.value(kComment)))
        return fault(where + QStringLiteral(".comment"), QStringLiteral("must be a string or a list of strings."));
    QJsonObject out;
    const QJsonValue names = in.value(QStringLiteral("names"));
    if (!names.isArray() || names.toArray().isEmpty())
        return fault(where + QStringLiteral(".names"), QStringLiteral("must be a list of at least one system call name."));
    for (int i = 0; i < names.toArray().size(); ++i) {
        const QJsonValue n = names.toArray().at(i);
        if (!n.isString() || !name.match(n.toString()).hasMatch())
            return fault(QStringLiteral("%1.names[%2]").arg(where).arg(i),
                         QStringLiteral("'%1' is not a system call name.").arg(n.toVariant().toString()));
    }
    out.insert(QStringLiteral("names"), names);
    const QString action = in.value(QStringLiteral("action")).toString();
    if (!kActions.contains(action))
        return fault(where + QStringLiteral(".action"),
                     QStringLiteral("'%1' is not a seccomp action (SCMP_ACT_ALLOW, SCMP_ACT_ERRNO, …).")
                         .arg(in.value(QStringLiteral("action")).toVariant().toString()));
    out.insert(QStringLiteral("action"), action);
    if (in.contains(QStringLiteral("errnoRet"))) {
        qint64 e = 0;
        if (action != QLatin1String("SCMP_ACT_ERRNO"))
            return fault(where + QStringLiteral(".errnoRet"), QStringLiteral("only SCMP_ACT_ERRNO returns an errno."));
        if (!wholeNumber(in.value(QStringLiteral("errnoRet")), 1, kMaxErrno, &e))
            return fault(where + QStringLiteral(".errnoRet"), QStringLiteral("must be an errno from 1 to 4095."));
        out.insert(QStringLiteral("errnoRet"), e);
    }
    if (in.contains(QStringLiteral("args"))) {
        const QJsonValue args = in.value(QStringLiteral("args"));
        if (!args.isArray() || args.toArray().size() > kMaxArgs)
            return fault(where + QStringLiteral(".args"), QStringLiteral("must be a list of at most 6 comparisons."));
        QJsonArray checked;
        for (int i = 0; i < args.toArray().size(); ++i) {
            auto a = parseArg(args.toArray().at(i), QStringLiteral("%1.args[%2]").arg(where).arg(i));
            if (!a)
                return a.error();
            checked.append(*a);
        }
        out.insert(QStringLiteral("args"), checked);
    }
    return out;
}

} // namespace

namespace SeccompProfile {

Result<QJsonObject> parse(const QByteArray &text)
{
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(text, &err);
    if (err.error != QJsonParseError::NoError)
        return fault({}, QStringLiteral("not JSON (%1 at byte %2).").arg(err.errorString()).arg(err.offset));
    if (!doc.isObject())
        return fault({}, QStringLiteral("must be a JSON object with a \"seccomp\" object."));
    const QJsonObject top = doc.object();
    if (const QString k = unknownKey(top, {QStringLiteral("seccomp")}); !k.isEmpty())
        return fault({}, QStringLiteral("unknown key '%1'; the profile goes under \"seccomp\".").arg(k));
    if (top.contains(kComment) && !isComment(top.value(kComment)))
        return fault(QStringLiteral("comment"), QStringLiteral("must be a string or a list of strings."));
    if (!top.value(QStringLiteral("seccomp")).isObject())
        return fault({}, QStringLiteral("has no \"seccomp\" object."));
    const QJsonObject in = top.value(QStringLiteral("seccomp")).toObject();
    if (const QString k = unknownKey(in, {QStringLiteral("defaultAction"), QStringLiteral("defaultErrnoRet"),
                                          QStringLiteral("architectures"), QStringLiteral("flags"),
                                          QStringLiteral("syscalls")});
        !k.isEmpty())
        return fault(QStringLiteral("seccomp"), QStringLiteral("unknown key '%1'.").arg(k));

    QJsonObject out;
    const QString defaultAction = in.value(QStringLiteral("defaultAction")).toString();
    if (!kRefusingActions.contains(defaultAction))
        return fault(QStringLiteral("seccomp.defaultAction"),
                     QStringLiteral("'%1' does not refuse; a profile is an allow-list, so the default must be "
                                    "SCMP_ACT_ERRNO or a kill.")
                         .arg(in.value(QStringLiteral("defaultAction")).toVariant().toString()));
    out.insert(QStringLiteral("defaultAction"), defaultAction);
    if (in.contains(QStringLiteral("defaultErrnoRet"))) {
        qint64 e = 0;
        if (defaultAction != QLatin1String("SCMP_ACT_ERRNO")
            || !wholeNumber(in.value(QStringLiteral("defaultErrnoRet")), 1, kMaxErrno, &e))
            return fault(QStringLiteral("seccomp.defaultErrnoRet"),
                         QStringLiteral("must be an errno from 1 to 4095, with SCMP_ACT_ERRNO."));
        out.insert(QStringLiteral("defaultErrnoRet"), e);
    }
    auto arches = stringSet(in.value(QStringLiteral("architectures")), QStringLiteral("seccomp.architectures"),
                            kArchitectures, false);
    if (!arches)
        return arches.error();
    out.insert(QStringLiteral("architectures"), *arches);
    if (in.contains(QStringLiteral("flags"))) {
        auto flags = stringSet(in.value(QStringLiteral("flags")), QStringLiteral("seccomp.flags"), kFlags, true);
        if (!flags)
            return flags.error();
        out.insert(QStringLiteral("flags"), *flags);
    }
    const QJsonValue syscalls = in.value(QStringLiteral("syscalls"));
    if (!syscalls.isArray() || syscalls.toArray().isEmpty())
        return fault(QStringLiteral("seccomp.syscalls"), QStringLiteral("must be a list of at least one rule."));
    QJsonArray rules;
    for (int i = 0; i < syscalls.toArray().size(); ++i) {
        auto r = parseRule(syscalls.toArray().at(i), QStringLiteral("seccomp.syscalls[%1]").arg(i));
        if (!r)
            return r.error();
        rules.append(*r);
    }
    out.insert(QStringLiteral("syscalls"), rules);
    return out;
}

QString resourcePathFor(const QString &runtimePath)
{
    return QStringLiteral(":/profiles/seccomp-%1.json").arg(QFileInfo(runtimePath).fileName());
}

Result<QJsonObject> forRuntime(const QString &runtimePath)
{
    const QString path = resourcePathFor(runtimePath);
    const QString runtime = QFileInfo(runtimePath).fileName();
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return ApiError::internal(
            QStringLiteral("There is no seccomp profile for the runtime '%1' (%2): sandboxes are only started under a "
                           "runtime whose profile ships with ai2ind (runc).")
                .arg(runtime, runtimePath));
    auto profile = parse(f.readAll());
    if (!profile)
        return ApiError::internal(QStringLiteral("The seccomp profile for runtime '%1' (%2) is malformed: %3")
                                      .arg(runtime, path, profile.error().message));
    return profile;
}

} // namespace SeccompProfile
