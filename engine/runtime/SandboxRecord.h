// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "SandboxInfo.h"

// Everything the engine keeps about one sandbox; the part clients see is `info`.
struct SandboxRecord
{
    SandboxInfo info;
    QString team;
    StringMap envs;
    qint64 lastActivityMs = 0;
    uint uidBase = 100000;
    uint uidCount = 65536;
};
