// SPDX-License-Identifier: GPL-3.0-or-later
// A command's output as the desktop's command log and code cells show it:
// SGR spans, stripped text and the HTML a rich-text viewer gets.
#include "AnsiText.h"
#include "FuzzCheck.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    const QList<AnsiText::Span> spans = AnsiText::parse(text);
    const QString plain = AnsiText::strip(text);
    QString joined;
    for (const AnsiText::Span &s : spans) {
        FUZZ_CHECK(!s.text.isEmpty());
        joined += s.text;
    }
    // The styled and the plain reading agree on the text.
    FUZZ_CHECK(joined == plain);
    // No escape or stray control character survives (newline and tab do).
    for (QChar ch : plain)
        FUZZ_CHECK(ch == u'\n' || ch == u'\t' || (ch.unicode() >= 0x20 && ch.unicode() != 0x7f));
    FUZZ_CHECK(plain.size() <= text.size());
    const QString html = AnsiText::toHtml(spans, 0xdddddd, 0x101010);
    FUZZ_CHECK(!html.contains(QLatin1String("<script")));
    return 0;
}
