// SPDX-License-Identifier: GPL-3.0-or-later
// A source the portability check must reject (see packaging/Packaging.cmake).
#include <QString>
#include <sys/stat.h>
#include <unistd.h>
