// SPDX-License-Identifier: GPL-3.0-or-later
// The desktop's terminal fed what a program in a sandbox writes to its PTY:
// CsiGuard, libvterm, our scrollback and jump scroll. libvterm itself is
// Debian's library, not instrumented: its crashes show, its overflows into
// its own memory may not.
// Input: rows, columns, piece size, then the PTY's bytes.
#include "FuzzCheck.h"
#include "TerminalScreen.h"

#include <QCoreApplication>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    static QCoreApplication app(*argc, *argv);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 3)
        return 0;
    const int rows = 1 + data[0] % 40;
    const int cols = 1 + data[1] % 120;
    const qsizetype piece = 1 + data[2] * 4;
    const QByteArray bytes(reinterpret_cast<const char *>(data + 3), qsizetype(size - 3));

    TerminalScreen screen(rows, cols);
    screen.setScrollbackLimit(64);
    for (qsizetype at = 0; at < bytes.size(); at += piece) {
        screen.write(bytes.mid(at, piece));
        if (at == 0 && bytes.size() > piece)
            screen.resize(cols % 40 + 1, rows * 3 % 120 + 1); // a window resize mid-stream
    }
    const QPoint c = screen.cursor();
    FUZZ_CHECK(c.y() >= 0 && c.y() < screen.rows() && c.x() >= 0 && c.x() <= screen.cols());
    FUZZ_CHECK(screen.scrollbackLines() <= screen.scrollbackLimit());
    for (int r = -screen.scrollbackLines(); r < screen.rows(); ++r) {
        const QString line = screen.lineText(r);
        FUZZ_CHECK(line.size() <= screen.cols() * TerminalCell::kMaxChars * 2);
        (void)screen.cell(r, screen.cols() - 1);
    }
    (void)screen.text(-screen.scrollbackLines(), 0, screen.rows() - 1, screen.cols() - 1);
    (void)screen.takeDamage();
    // Answers the program asked for (device status, …) and a paste of the
    // same bytes go the other way, through libvterm's encoder.
    screen.paste(QString::fromUtf8(bytes.left(256)));
    return 0;
}
