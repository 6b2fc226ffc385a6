// SPDX-License-Identifier: GPL-3.0-or-later
#include "UploadBody.h"

UploadBody::UploadBody(qint64 length, QObject *parent)
    : QObject(parent)
    , m_length(length)
{
}

QByteArray UploadBody::take(qint64 max)
{
    QByteArray out;
    while (!m_pieces.empty() && out.size() < max) {
        QByteArray &front = m_pieces.front();
        const qint64 room = max - out.size();
        if (out.isEmpty() && front.size() <= room) {
            out.swap(front); // the common case: no copy
        } else if (front.size() <= room) {
            out.append(front);
        } else {
            out.append(front.first(room));
            front.remove(0, room);
            break;
        }
        m_pieces.pop_front();
    }
    m_queued -= out.size();
    if (!out.isEmpty())
        Q_EMIT drained();
    return out;
}

void UploadBody::discard()
{
    m_discarding = true;
    m_pieces.clear();
    m_queued = 0;
    Q_EMIT drained();
}

void UploadBody::append(QByteArrayView bytes)
{
    append(bytes.toByteArray());
}

void UploadBody::append(const QByteArray &bytes)
{
    m_arrived += bytes.size();
    if (m_discarding)
        return;
    if (!bytes.isEmpty()) {
        m_pieces.push_back(bytes);
        m_queued += bytes.size();
    }
    Q_EMIT readyRead();
}

void UploadBody::breakOff()
{
    if (m_broken || arrived())
        return;
    m_broken = true;
    m_pieces.clear();
    m_queued = 0;
    Q_EMIT broke();
}
