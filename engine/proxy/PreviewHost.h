// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

// Which sandbox port a preview request means, read off its Host header:
// `<port>-<sandbox-id>.<domain>[:<listen-port>]`. Pure: no I/O, no state.
struct PreviewHost
{
    enum class Outcome {
        Ok,
        NotOurs, // another domain, no `<port>-` part, an id of the wrong shape: 404
        BadPort, // the port part is not a number from 1 to 65535: 400
    };

    Outcome outcome = Outcome::NotOurs;
    quint16 port = 0;
    QString sandboxId;

    bool ok() const { return outcome == Outcome::Ok; }

    // `domain` is the configured preview domain, e.g. "localhost" or
    // "up.ai2in.dev" (case and a trailing dot do not matter).
    static PreviewHost parse(const QByteArray &hostHeader, const QString &domain);
    // True for `sbx_` + 16 lowercase letters or digits.
    static bool isSandboxId(QStringView id);
};
