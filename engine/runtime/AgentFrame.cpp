// SPDX-License-Identifier: GPL-3.0-or-later
#include "AgentFrame.h"

#include <QJsonDocument>
#include <QJsonParseError>

AgentFrame AgentFrame::parse(const QByteArray &buffer, qint64 maxHeaderBytes)
{
    AgentFrame f;
    const qsizetype nl = buffer.indexOf('\n');
    if (nl < 0) {
        if (buffer.size() > maxHeaderBytes)
            f.outcome = Outcome::TooLong;
        return f;
    }
    QJsonParseError perr;
    const QJsonDocument doc = QJsonDocument::fromJson(buffer.left(nl), &perr);
    if (perr.error != QJsonParseError::NoError || !doc.isObject()) {
        f.outcome = Outcome::Unreadable;
        return f;
    }
    f.header = doc.object();
    f.bodyLen = f.header.value(QStringLiteral("body_len")).toInteger();
    if (f.bodyLen < 0 || f.bodyLen > kMaxBodyBytes) {
        f.outcome = Outcome::BadBodyLength;
        return f;
    }
    f.headerSize = nl + 1;
    f.outcome = Outcome::Ok;
    return f;
}
