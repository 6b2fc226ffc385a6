// SPDX-License-Identifier: GPL-3.0-or-later
#include "ResponseMeter.h"

#include "proxy/ResponseHead.h"

void ResponseMeter::expect(const QByteArray &method)
{
    if (m_state != State::Stopped)
        m_methods.push_back(method);
}

int ResponseMeter::feed(QByteArrayView bytes)
{
    int ended = 0;
    while (!bytes.isEmpty() && m_state != State::Stopped) {
        if (m_state == State::Body) {
            const qsizetype n = m_body.feed(bytes);
            if (n < 0) {
                m_state = State::Stopped;
                break;
            }
            bytes = bytes.sliced(n);
            if (m_body.finished()) {
                m_methods.pop_front();
                m_state = State::Head;
                ++ended;
            }
            continue;
        }
        if (m_methods.empty()) {
            m_state = State::Stopped; // an answer to nothing asked
            break;
        }
        // A head is small; only its bytes are kept, the body never is.
        const qsizetype before = m_head.size();
        m_head += bytes.first(std::min(bytes.size(), ResponseHead::kMaxBytes - before + 1));
        const ResponseHead head = ResponseHead::parse(m_head, m_methods.front());
        if (head.outcome == ResponseHead::Outcome::Incomplete) {
            bytes = bytes.sliced(m_head.size() - before);
            continue;
        }
        if (head.outcome != ResponseHead::Outcome::Ok || head.status == 101 ||
            head.body.kind() == BodyFraming::Kind::UntilClose) {
            m_state = State::Stopped;
            break;
        }
        bytes = bytes.sliced(head.size - before);
        m_head.clear();
        if (head.informational())
            continue; // the final answer follows
        m_body = head.body;
        if (m_body.finished()) {
            m_methods.pop_front();
            ++ended;
        } else {
            m_state = State::Body;
        }
    }
    return ended;
}
