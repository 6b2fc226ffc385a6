// SPDX-License-Identifier: GPL-3.0-or-later
#include "TemplateRecipe.h"

#include <QCryptographicHash>

namespace {

const QString kBase = QStringLiteral("base");

// Raise when the builder's own steps change what a template holds (the
// ownership shift, what it writes outside the recipe): the fingerprint then
// marks every older build as out of date.
constexpr int kBuilderRevision = 1;

// apt inside a sandbox: package lists kept compressed (about a third of the size,
// in the template and in every sandbox that runs "apt-get update"), no
// translated descriptions. pip may install next to Debian's packages: as the
// sandbox user into ~/.local, as root into /usr/local; never over files dpkg
// owns. Without it, the first thing people type ("pip install requests")
// stops at Debian's externally-managed marker.
const char kAptIndexes[] = "Acquire::GzipIndexes \"true\";\n"
                           "Acquire::CompressionTypes::Order:: \"gz\";\n"
                           "Acquire::Languages \"none\";\n";
const char kPipConf[] = "[global]\n"
                        "break-system-packages = true\n";

QString quoted(const QByteArray &text)
{
    // For printf '%s' in sh: single quotes, with ' itself as '\''.
    QString q = QString::fromUtf8(text);
    q.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    return QLatin1Char('\'') + q + QLatin1Char('\'');
}

} // namespace

QStringList TemplateRecipe::names()
{
    return {kBase};
}

std::optional<TemplateRecipe> TemplateRecipe::find(const QString &name)
{
    if (name != kBase)
        return std::nullopt;
    TemplateRecipe r;
    r.name = name;
    r.suite = QStringLiteral("bookworm");
    r.packages = {QStringLiteral("python3"), QStringLiteral("python3-ipykernel"),
                  QStringLiteral("python3-jupyter-client"), QStringLiteral("python3-matplotlib"),
                  QStringLiteral("git"), QStringLiteral("curl"), QStringLiteral("ca-certificates"),
                  QStringLiteral("procps"),
                  // What agents install with and build with.
                  QStringLiteral("python3-pip"), QStringLiteral("python3-venv"), QStringLiteral("nodejs"),
                  QStringLiteral("npm"), QStringLiteral("build-essential"), QStringLiteral("sudo"),
                  QStringLiteral("iproute2"),
                  // What people type in the desktop's terminal.
                  QStringLiteral("less"), QStringLiteral("vim-tiny"), QStringLiteral("htop")};
    // python3-fonttools (via matplotlib) depends on "python3-scipy |
    // python3-munkres"; apt takes the first, and scipy drags in pythran, the
    // boost headers and BLAS headers: hundreds of MB for nothing asked for.
    r.resolverHints = {QStringLiteral("python3-munkres")};
    return r;
}

QString TemplateRecipe::installScript() const
{
    // policy-rc.d keeps maintainer scripts from starting daemons in the chroot.
    QString script = QStringLiteral("printf '#!/bin/sh\\nexit 101\\n' > /usr/sbin/policy-rc.d\n"
                                    "chmod 0755 /usr/sbin/policy-rc.d\n"
                                    "printf '%s' %1 > /etc/apt/apt.conf.d/50ai2in-indexes\n"
                                    // debootstrap leaves its own, uncompressed copy of the
                                    // lists, which "update" would keep as they are.
                                    "rm -rf /var/lib/apt/lists/*\n"
                                    "apt-get -q update\n"
                                    "apt-get -q -y -o Dpkg::Use-Pty=0 --no-install-recommends install %2\n")
                         .arg(quoted(kAptIndexes), (packages + resolverHints).join(QLatin1Char(' ')));
    if (!resolverHints.isEmpty())
        script += QStringLiteral("apt-mark auto %1\n").arg(resolverHints.join(QLatin1Char(' ')));
    // The package lists stay: "apt-get install" as root in a sandbox solves
    // dependencies (and "apt-get -s" simulates) before any "apt-get update".
    script += QStringLiteral("apt-get clean\n"
                             "rm -f /usr/sbin/policy-rc.d\n"
                             "printf '%s' %1 > /etc/pip.conf\n")
                  .arg(quoted(kPipConf));
    return script;
}

QString TemplateRecipe::userScript() const
{
    // sudo without a password, as in E2B's template: the sandbox's root is
    // the API's to hand out anyway (user "root"). visudo refuses a broken
    // drop-in, which would otherwise break every sudo call.
    return QStringLiteral("groupadd --gid %1 sandbox\n"
                          "useradd --uid %1 --gid %1 --create-home --home-dir /home/sandbox --shell /bin/bash sandbox\n"
                          "printf 'sandbox ALL=(ALL:ALL) NOPASSWD: ALL\\n' > /etc/sudoers.d/sandbox\n"
                          "chmod 0440 /etc/sudoers.d/sandbox\n"
                          "visudo -c -q -f /etc/sudoers.d/sandbox\n")
        .arg(sandboxUid);
}

QList<TemplateRecipe::File> TemplateRecipe::files() const
{
    return {{QStringLiteral("/etc/hostname"), "sandbox\n"},
            {QStringLiteral("/etc/hosts"), "127.0.0.1\tlocalhost\n"
                                           "127.0.1.1\tsandbox\n"
                                           "::1\t\tlocalhost ip6-localhost ip6-loopback\n"}};
}

QString TemplateRecipe::fingerprint() const
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    auto add = [&hash](const QByteArray &part) {
        // Length-prefixed, so no two different recipes hash the same text.
        hash.addData(QByteArray::number(part.size()) + ':' + part);
    };
    add(QByteArray::number(kBuilderRevision));
    add(name.toUtf8());
    add(suite.toUtf8());
    add(packages.join(QLatin1Char(' ')).toUtf8());
    add(resolverHints.join(QLatin1Char(' ')).toUtf8());
    add(QByteArray::number(sandboxUid));
    add(installScript().toUtf8());
    add(userScript().toUtf8());
    for (const File &f : files()) {
        add(f.path.toUtf8());
        add(f.content);
    }
    return QStringLiteral("sha256:") + QString::fromLatin1(hash.result().toHex());
}
