// SPDX-License-Identifier: GPL-3.0-or-later
#include "UnifiedDiff.h"

#include <QStringDecoder>

#include <dtl/dtl.hpp>

#include <string>
#include <vector>

namespace UnifiedDiff {
namespace {

enum class Op { Keep, Remove, Add };

struct Line
{
    Op op;
    std::string text; // with its line end, if it had one
};

std::vector<std::string> linesOf(const QByteArray &text)
{
    std::vector<std::string> out;
    qsizetype at = 0;
    while (at < text.size()) {
        const qsizetype end = text.indexOf('\n', at);
        const qsizetype next = end < 0 ? text.size() : end + 1;
        out.emplace_back(text.constData() + at, size_t(next - at));
        at = next;
    }
    return out;
}

// The edit from a to b, line by line, in order.
std::vector<Line> edit(const std::vector<std::string> &a, const std::vector<std::string> &b)
{
    size_t head = 0;
    while (head < a.size() && head < b.size() && a[head] == b[head])
        ++head;
    size_t tail = 0;
    while (tail < a.size() - head && tail < b.size() - head && a[a.size() - 1 - tail] == b[b.size() - 1 - tail])
        ++tail;
    std::vector<Line> out;
    for (size_t i = 0; i < head; ++i)
        out.push_back({Op::Keep, a[i]});
    const std::vector<std::string> midA(a.begin() + head, a.end() - tail);
    const std::vector<std::string> midB(b.begin() + head, b.end() - tail);
    if (midA.size() > size_t(kMaxEditLines) || midB.size() > size_t(kMaxEditLines)) {
        for (const std::string &l : midA)
            out.push_back({Op::Remove, l});
        for (const std::string &l : midB)
            out.push_back({Op::Add, l});
    } else if (!midA.empty() || !midB.empty()) {
        dtl::Diff<std::string> d(midA, midB);
        d.onHuge();
        d.compose();
        for (const auto &[text, info] : d.getSes().getSequence()) {
            const Op op = info.type == dtl::SES_ADD ? Op::Add : info.type == dtl::SES_DELETE ? Op::Remove : Op::Keep;
            out.push_back({op, text});
        }
    }
    for (size_t i = a.size() - tail; i < a.size(); ++i)
        out.push_back({Op::Keep, a[i]});
    return out;
}

void writeLine(QByteArray &out, char mark, const std::string &text)
{
    out += mark;
    out.append(text.data(), qsizetype(text.size()));
    if (text.empty() || text.back() != '\n')
        out += "\n\\ No newline at end of file\n";
}

QByteArray range(qsizetype before, qsizetype count)
{
    // A side with no lines names the line before the hunk.
    return QByteArray::number(count == 0 ? before : before + 1) + ',' + QByteArray::number(count);
}

} // namespace

bool isBinary(const QByteArray &bytes)
{
    if (bytes.left(8192).contains('\0'))
        return true;
    QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString decoded = utf8.decode(bytes); // decoding happens on conversion
    Q_UNUSED(decoded);
    return utf8.hasError();
}

QByteArray hunks(const QByteArray &before, const QByteArray &after, int context)
{
    if (before == after)
        return {};
    const std::vector<Line> lines = edit(linesOf(before), linesOf(after));
    const qsizetype n = qsizetype(lines.size());
    QByteArray out;
    // Old and new line numbers before lines[i], kept as i moves.
    qsizetype oldAt = 0, newAt = 0, i = 0;
    auto step = [&](qsizetype to) {
        for (; i < to; ++i) {
            if (lines[size_t(i)].op != Op::Add)
                ++oldAt;
            if (lines[size_t(i)].op != Op::Remove)
                ++newAt;
        }
    };
    qsizetype next = 0;
    while (true) {
        while (next < n && lines[size_t(next)].op == Op::Keep)
            ++next;
        if (next == n)
            break;
        // A hunk: from `context` lines before this change to `context`
        // after the last change that is no more than 2 × context away.
        const qsizetype start = std::max(i, next - context);
        qsizetype last = next;
        for (qsizetype j = next; j < n; ++j) {
            if (lines[size_t(j)].op == Op::Keep)
                continue;
            if (j - last > 2 * qsizetype(context) + 1)
                break;
            last = j;
        }
        const qsizetype end = std::min(n, last + context + 1);
        step(start);
        qsizetype oldCount = 0, newCount = 0;
        for (qsizetype j = start; j < end; ++j) {
            oldCount += lines[size_t(j)].op != Op::Add;
            newCount += lines[size_t(j)].op != Op::Remove;
        }
        out += "@@ -" + range(oldAt, oldCount) + " +" + range(newAt, newCount) + " @@\n";
        for (qsizetype j = start; j < end; ++j) {
            const Line &l = lines[size_t(j)];
            writeLine(out, l.op == Op::Keep ? ' ' : l.op == Op::Remove ? '-' : '+', l.text);
        }
        step(end);
        next = end;
    }
    return out;
}

QByteArray file(const QByteArray &path, const QByteArray *before, const QByteArray *after, int context)
{
    const QByteArray body = hunks(before ? *before : QByteArray(), after ? *after : QByteArray(), context);
    if (body.isEmpty())
        return {};
    const QByteArray rel = path.startsWith('/') ? path.mid(1) : path;
    return "--- " + (before ? "a/" + rel : QByteArray("/dev/null")) + "\n+++ " +
           (after ? "b/" + rel : QByteArray("/dev/null")) + "\n" + body;
}

} // namespace UnifiedDiff
