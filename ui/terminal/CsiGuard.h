// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>

// A byte filter in front of libvterm. libvterm 0.3 (Debian 12) writes past
// its 16-entry argument array when a control sequence (ESC [ …) has more
// arguments, so any program in a sandbox could crash the app with
// `printf '\e[;;;;;;;;;;;;;;;;m'`. The guard keeps the first 16 arguments of
// every such sequence and drops the rest; everything else passes untouched.
// It is stateful because a PTY may cut a sequence anywhere.
class CsiGuard
{
public:
    static constexpr int kMaxSeparators = 15; // 16 arguments

    // The bytes to give libvterm; `in` itself when nothing had to go.
    QByteArray filter(const QByteArray &in);

private:
    enum class State : quint8 { Ground, Escape, Csi };
    State m_state = State::Ground;
    int m_separators = 0;
    bool m_dropping = false;
};
