#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# packaging/test-install.sh BUILD_DIR VERSION
#
# Builds the .deb, installs it into a fresh Debian 12 root (debootstrap,
# chroot), checks that every program starts and that the service, the menu
# entry and the icons are where systems look for them, then purges it and
# checks that nothing but the data dir is left behind. Needs root and
# Debian's package mirror; pristine-root.sh says what is cached between runs.
set -euo pipefail

BUILD_DIR=$(realpath "${1:?usage: test-install.sh BUILD_DIR VERSION}")
VERSION=${2:?usage: test-install.sh BUILD_DIR VERSION}
. "$(dirname "$0")/pristine-root.sh"

failures=0
fail() { printf 'FAIL: %s\n' "$*" >&2; failures=$((failures + 1)); }
pass() { printf 'PASS: %s\n' "$*"; }
step() { printf '==> %s\n' "$*"; }

[ "$(id -u)" -eq 0 ] || { echo "test-install.sh: needs root (debootstrap, chroot)" >&2; exit 1; }

ROOT=$(mktemp -d /tmp/ai2in-install-XXXXXX)
trap 'pristine_root_leave "$ROOT"' EXIT

step "Building the package"
rm -f "$BUILD_DIR"/ai2in_*.deb
cmake --build "$BUILD_DIR" --target package >"$ROOT.cpack.log" 2>&1 || { cat "$ROOT.cpack.log" >&2; exit 1; }
rm -f "$ROOT.cpack.log"
DEB=$(ls "$BUILD_DIR"/ai2in_*.deb)
pass "built $(basename "$DEB") ($(du -h "$DEB" | cut -f1))"

step "A fresh Debian 12 root"
pristine_root_make "$ROOT"
pristine_root_enter "$ROOT"
cp "$DEB" "$ROOT/tmp/ai2in.deb"

step "Installing what the package depends on"
apt_in_root "$ROOT" update >/dev/null
apt_in_root "$ROOT" --no-install-recommends satisfy "$(dpkg-deb -f "$DEB" Depends)" >/dev/null 2>&1 ||
    { apt_in_root "$ROOT" --no-install-recommends satisfy "$(dpkg-deb -f "$DEB" Depends)"; exit 1; }

# Every file but the ones apt, dpkg and the system keep for themselves.
file_list() {
    (cd "$ROOT" && find . -xdev \
        \( -path ./proc -o -path ./dev -o -path ./tmp -o -path ./run -o -path ./var/lib/dpkg \
           -o -path ./var/lib/apt -o -path ./var/cache -o -path ./var/log -o -path ./var/lib/ai2in \) -prune \
        -o -print | grep -v -E '^\./etc/(group|gshadow|passwd|shadow|subuid|subgid)-$' | sort)
}
file_list >"$ROOT/tmp/before"

step "Installing the package"
apt_in_root "$ROOT" --no-install-recommends install /tmp/ai2in.deb >/dev/null 2>&1 ||
    { apt_in_root "$ROOT" --no-install-recommends install /tmp/ai2in.deb; exit 1; }
pass "installed"

check_version() {
    local what=$1
    shift
    local out
    if out=$(in_root "$ROOT" "$@" 2>&1) && [[ $out == *"$VERSION"* ]]; then
        pass "$what --version: $out"
    else
        fail "$what --version printed '$out', expected $VERSION"
    fi
}
check_version ai2ind ai2ind --version
check_version ai2in-desktop env QT_QPA_PLATFORM=offscreen ai2in-desktop --version
check_version ai2in ai2in --version
sdk=$(in_root "$ROOT" python3 -c 'import ai2in; print(ai2in.__version__)' 2>&1) || true
[ "$sdk" = "$VERSION" ] && pass "python3 imports the SDK ($sdk)" || fail "python3 -c 'import ai2in' said '$sdk'"

for f in /usr/lib/ai2in/ai2in-agent /usr/lib/ai2in/kernel_driver.py; do
    [ -f "$ROOT$f" ] && pass "$f" || fail "$f is missing"
done
if file_type=$(in_root "$ROOT" sh -c 'head -c 4 /usr/lib/ai2in/ai2in-agent | od -An -c | tr -d " "') && [ "$file_type" = "177ELF" ]; then
    pass "the agent is an ELF program"
else
    fail "the agent is not an ELF program"
fi
unit=/usr/lib/systemd/system/ai2ind.service
if [ -f "$ROOT$unit" ] && grep -q '^ExecStart=/usr/bin/ai2ind serve' "$ROOT$unit"; then
    pass "systemd unit $unit"
else
    fail "no systemd unit at $unit"
fi
if command -v systemd-analyze >/dev/null; then
    # The programs it names are in the chroot, not here: only those lines are expected.
    complaints=$(systemd-analyze verify "$ROOT$unit" 2>&1 | grep -v 'is not executable' || true)
    [ -z "$complaints" ] && pass "systemd-analyze verify" || fail "systemd-analyze verify: $complaints"
fi
entry=/usr/share/applications/ai2in-desktop.desktop
if [ -f "$ROOT$entry" ] && grep -q '^Exec=ai2in-desktop' "$ROOT$entry" && grep -q '^Icon=ai2in$' "$ROOT$entry"; then
    pass "desktop entry $entry"
else
    fail "no desktop entry at $entry"
fi
if command -v desktop-file-validate >/dev/null; then
    desktop-file-validate "$ROOT$entry" && pass "desktop-file-validate" || fail "desktop-file-validate rejects $entry"
fi
for icon in scalable/apps/ai2in.svg 16x16/apps/ai2in.png 48x48/apps/ai2in.png 256x256/apps/ai2in.png; do
    [ -s "$ROOT/usr/share/icons/hicolor/$icon" ] && pass "icon hicolor/$icon" || fail "icon hicolor/$icon is missing"
done
in_root "$ROOT" getent group ai2in >/dev/null && pass "group ai2in" || fail "no group ai2in after install"
[ "$(stat -c %a "$ROOT/var/lib/ai2in")" = 711 ] && pass "/var/lib/ai2in is 0711" || fail "/var/lib/ai2in is not 0711"
# Use the SDK and the CLI once, as a user would, so caches they write count.
in_root "$ROOT" ai2in --help >/dev/null 2>&1 || fail "ai2in --help failed"

step "Purging the package"
# The package's removal takes the engine's nftables table and links down
# (ai2ind network down): here, in a network namespace of its own, never the
# host's, where an engine may be running.
IN_ROOT_NETNS=own apt_in_root "$ROOT" purge ai2in >/dev/null 2>&1 ||
    { IN_ROOT_NETNS=own apt_in_root "$ROOT" purge ai2in; exit 1; }
file_list >"$ROOT/tmp/after"
stray=$(comm -13 "$ROOT/tmp/before" "$ROOT/tmp/after")
if [ -z "$stray" ]; then
    pass "purge leaves nothing but /var/lib/ai2in"
else
    fail "purge left files behind:"$'\n'"$stray"
fi
in_root "$ROOT" getent group ai2in >/dev/null && fail "the group ai2in outlived purge" || pass "purge removed the group"

if [ "$failures" -gt 0 ]; then
    echo "test-install.sh: $failures check(s) failed" >&2
    exit 1
fi
echo "test-install.sh: every check passed"
