#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# packaging/check-portable-sources.sh DIR…
#
# The desktop app (app/ ui/ model/ protocol/) must build on macOS and
# Windows too. Fails, naming file and line, when a source there includes a
# header that only POSIX systems or only Linux have.
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: check-portable-sources.sh DIR…" >&2; exit 2; }

# <signal.h>/<csignal> are standard C and C++, so they are not listed.
posix='unistd|fcntl|termios|pty|dlfcn|pthread|poll|grp|pwd|dirent|netdb|syslog|spawn|sched|semaphore|utmp|utmpx'
posix+='|libgen|glob|fnmatch|wordexp|regex|strings|mntent|endian|byteswap|execinfo|malloc|alloca|err|sysexits'
posix+='|ifaddrs|paths|ucontext|mqueue|aio|langinfo|nl_types|ftw|search|utime|wait|sgtty|util|libutil'
pattern="^[[:space:]]*#[[:space:]]*include[[:space:]]*[<\"](($posix)\\.h|(sys|linux|asm|netinet|arpa|net|bits|scsi|mtd)/[^>\"]+)[>\"]"

found=0
for dir in "$@"; do
    [ -d "$dir" ] || { echo "check-portable-sources.sh: no directory $dir" >&2; exit 2; }
    while IFS= read -r hit; do
        echo "$hit: a POSIX- or Linux-only header in code that must also build on macOS and Windows"
        found=1
    done < <(grep -rnE "$pattern" --include='*.h' --include='*.hpp' --include='*.cpp' --include='*.cc' --include='*.mm' "$dir" || true)
done
if [ "$found" -ne 0 ]; then
    exit 1
fi
echo "check-portable-sources.sh: $* include only portable headers"
