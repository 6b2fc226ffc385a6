// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

// Cuts a byte stream that arrives in arbitrary chunks into whole lines. A
// line longer than the limit (a hostile or broken peer) is dropped as it
// grows rather than kept in memory; overflowed() says it happened.
class NdjsonSplitter
{
public:
    // Far more than a cell's largest image, base64 encoded.
    static constexpr qsizetype kDefaultMaxLine = 64 * 1024 * 1024;

    explicit NdjsonSplitter(qsizetype maxLine = kDefaultMaxLine) : m_maxLine(maxLine) {}

    // The lines completed by `chunk`, without their '\n' (a trailing '\r'
    // stays: the JSON parser ignores it).
    QList<QByteArray> feed(QByteArrayView chunk);
    // What is left when the stream ends: the last line if it had no '\n'.
    QByteArray finish();
    bool overflowed() const { return m_overflowed; }
    qsizetype pending() const { return m_partial.size(); }

private:
    QByteArray m_partial;
    qsizetype m_maxLine;
    bool m_skipping = false; // inside an overlong line: drop up to its '\n'
    bool m_overflowed = false;
};
