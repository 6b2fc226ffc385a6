#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# packaging/test-pristine.sh SOURCE_DIR BUILD_DIR VERSION
#
# Proves that the set-up is complete on a machine that has nothing but
# Debian 12: in a pristine minbase root, an ordinary user with sudo rights
# runs ./dev.sh deps from a folder whose path has a space in it, then the
# CMake configure of the whole project and a build of the engine, the agent
# and the desktop app. Then the .deb built from BUILD_DIR goes into a second
# pristine root with `apt-get install ./ai2in_*.deb`, so only its Depends
# bring libraries, and its programs must start there.
#
# It also shows that it would catch a gap: before the real set-up, the same
# root runs `deps` with libqt6opengl6-dev left out, and the configure must
# then fail, naming Qt6OpenGL.
#
# A failure is one sentence naming the missing package or library. Needs
# root and Debian's mirror; see pristine-root.sh for what is cached.
set -euo pipefail

SOURCE_DIR=$(realpath "${1:?usage: test-pristine.sh SOURCE_DIR BUILD_DIR VERSION}")
BUILD_DIR=$(realpath "${2:?usage: test-pristine.sh SOURCE_DIR BUILD_DIR VERSION}")
VERSION=${3:?usage: test-pristine.sh SOURCE_DIR BUILD_DIR VERSION}
. "$(dirname "$0")/pristine-root.sh"

[ "$(id -u)" -eq 0 ] || { echo "test-pristine.sh: needs root (debootstrap, chroot, mount)" >&2; exit 1; }

failures=0
fail() { printf 'FAIL: %s\n' "$*" >&2; failures=$((failures + 1)); }
pass() { printf 'PASS: %s\n' "$*"; }
started=$SECONDS
step() { printf '==> [%4ds] %s\n' $((SECONDS - started)) "$*"; }

BUILD_ROOT=$(mktemp -d /tmp/ai2in-pristine-build-XXXXXX)
INSTALL_ROOT=$(mktemp -d /tmp/ai2in-pristine-install-XXXXXX)
LOGS=$(mktemp -d /tmp/ai2in-pristine-logs-XXXXXX)
cleanup() {
    pristine_root_leave "$BUILD_ROOT" || true
    pristine_root_leave "$INSTALL_ROOT" || true
    rm -rf "$LOGS"
}
trap cleanup EXIT

# One sentence saying what is missing, read from a failed step's log.
explain() {
    local log=$1 what
    if what=$(grep -oE '[A-Za-z0-9_]+ could not be found because dependency [A-Za-z0-9_]+' "$log" | head -1) &&
        [ -n "$what" ]; then
        printf 'CMake cannot find %s because the package it depends on, %s, is not installed' \
            "$(awk '{print $1}' <<<"$what")" "$(awk '{print $NF}' <<<"$what")"
    elif what=$(grep -oE 'Failed to find required Qt component "[^"]+"' "$log" | head -1) && [ -n "$what" ]; then
        printf 'CMake cannot find the Qt component %s' "$(cut -d'"' -f2 <<<"$what")"
    elif what=$(grep -oE 'Could not find a package configuration file provided by "[^"]+"' "$log" | head -1) && [ -n "$what" ]; then
        printf 'CMake cannot find the package %s' "$(cut -d'"' -f2 <<<"$what")"
    elif what=$(grep -oE "Could NOT find [A-Za-z0-9_]+|No package '[^']+' found" "$log" | head -1) && [ -n "$what" ]; then
        printf 'CMake cannot find %s' "$(sed -E "s/Could NOT find //; s/No package '([^']+)' found/\\1/" <<<"$what")"
    elif what=$(grep -oE 'fatal error: [^:]+: No such file or directory' "$log" | head -1) && [ -n "$what" ]; then
        printf 'the compiler cannot find the header %s' "$(sed -E 's/fatal error: ([^:]+):.*/\1/' <<<"$what")"
    elif what=$(grep -oE 'cannot find -l[A-Za-z0-9_.+-]+' "$log" | head -1) && [ -n "$what" ]; then
        printf 'the linker cannot find the library %s' "${what#cannot find -l}"
    elif what=$(grep -oE 'error while loading shared libraries: [^:]+' "$log" | head -1) && [ -n "$what" ]; then
        printf 'the shared library %s is not there' "${what##*: }"
    elif what=$(grep -oE 'Could not (find|load) the Qt platform plugin "[^"]+"' "$log" | head -1) && [ -n "$what" ]; then
        printf 'the Qt platform plugin %s is not there' "$(cut -d'"' -f2 <<<"$what")"
    elif what=$(grep -oE 'E: Unable to locate package [^ ]+|E: Package .[^ ]+. has no installation candidate' "$log" | head -1) && [ -n "$what" ]; then
        printf 'apt has no package %s' "$(awk '{print $NF}' <<<"${what% has no installation candidate}" | tr -d "'")"
    elif what=$(grep -oE "Depends: [^ ]+[^\n]*but it is not installable" "$log" | head -1) && [ -n "$what" ]; then
        printf 'apt cannot install %s' "$(awk '{print $2}' <<<"$what")"
    else
        printf 'see the end of its output above'
    fi
}

# Runs a step, its output in a log; on failure shows the log's tail and
# says in one sentence what is missing.
run_step() {
    local name=$1 log=$LOGS/$2
    shift 2
    if "$@" >"$log" 2>&1; then
        return 0
    fi
    tail -25 "$log" >&2
    fail "$name failed in a pristine Debian 12 root: $(explain "$log")."
    return 1
}

as_dev() {
    in_root "$BUILD_ROOT" runuser -u dev -- env HOME=/home/dev USER=dev bash -c "cd \"\$1\" && shift && \"\$@\"" _ \
        "$SRC_IN_ROOT" "$@"
}

# ---------------------------------------------------------------------------
step "A pristine Debian 12 root for the build"
pristine_root_make "$BUILD_ROOT"
pristine_root_enter "$BUILD_ROOT"
run_step "apt-get update" update.log apt_in_root "$BUILD_ROOT" update
# The user: an ordinary account with sudo rights, as on a developer's machine.
run_step "installing sudo" sudo.log apt_in_root "$BUILD_ROOT" install --no-install-recommends sudo
in_root "$BUILD_ROOT" useradd --create-home --shell /bin/bash dev
echo 'dev ALL=(ALL:ALL) NOPASSWD: ALL' >"$BUILD_ROOT/etc/sudoers.d/dev"
chmod 0440 "$BUILD_ROOT/etc/sudoers.d/dev"

# The source as a clone has it: tracked and new files, nothing ignored (no
# build directory), in a folder whose name has a space.
SRC_IN_ROOT="/home/dev/ai2in source"
mkdir -p "$BUILD_ROOT$SRC_IN_ROOT"
# The checkout may belong to the user who ran ./dev.sh test through sudo.
git_src() { git -c safe.directory="$SOURCE_DIR" -C "$SOURCE_DIR" "$@"; }
if git_src rev-parse --git-dir >/dev/null 2>&1; then
    (cd "$SOURCE_DIR" && git_src ls-files -z --cached --others --exclude-standard |
        while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
        tar --null -T - -cf -) | tar -C "$BUILD_ROOT$SRC_IN_ROOT" -xf -
else
    tar -C "$SOURCE_DIR" --exclude='./build*' -cf - . | tar -C "$BUILD_ROOT$SRC_IN_ROOT" -xf -
fi
in_root "$BUILD_ROOT" chown -R dev:dev /home/dev
pass "source copied to '$SRC_IN_ROOT' for user dev ($(du -sh "$BUILD_ROOT$SRC_IN_ROOT" | cut -f1))"

configure() { as_dev cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo; }

step "Does the check catch a gap? deps with libqt6opengl6-dev left out, then the configure"
run_step "./dev.sh deps (libqt6opengl6-dev left out)" deps-gap.log as_dev env AI2IN_DEPS_LEAVE_OUT=libqt6opengl6-dev ./dev.sh deps ||
    exit 1
if configure >"$LOGS/configure-gap.log" 2>&1; then
    fail "the configure passed without libqt6opengl6-dev, so this test could not catch the fault it exists for (has another package on dev.sh's list come to pull it in?)."
else
    sentence=$(explain "$LOGS/configure-gap.log")
    if [[ $sentence == *Qt6OpenGL* ]]; then
        pass "without libqt6opengl6-dev the configure fails and the test says so: $sentence."
    else
        tail -25 "$LOGS/configure-gap.log" >&2
        fail "without libqt6opengl6-dev the configure failed, but the test's sentence does not name Qt6OpenGL: $sentence."
    fi
fi
as_dev rm -rf build

step "./dev.sh deps, as user dev through sudo"
run_step "./dev.sh deps" deps.log as_dev ./dev.sh deps || exit 1
# apt says "Need to get 12.3 MB/329 MB of archives" when some are cached.
archives=$(grep -hoE 'Need to get ([0-9.,]+ [kMG]?B/)?[0-9.,]+ [kMG]?B' "$LOGS/deps-gap.log" | sed -E 's|.*[ /]([0-9.,]+ [kMG]?B)$|\1|')
disk=$(grep -hoE '[0-9.,]+ [kMG]?B of additional disk space' "$LOGS/deps-gap.log" | awk '{print $1, $2}')
pass "./dev.sh deps: ${archives:-?} of packages, ${disk:-?} on disk"
[ -n "$(in_root "$BUILD_ROOT" find /home/dev -xdev -user root -print -quit)" ] &&
    fail "something under /home/dev belongs to root after dev.sh deps ran as user dev: $(in_root "$BUILD_ROOT" find /home/dev -xdev -user root | head -3 | tr '\n' ' ')"

step "The CMake configure of the whole project"
run_step "the CMake configure" configure.log configure || exit 1
pass "configure"

step "Building ai2ind, ai2in-agent and ai2in-desktop"
run_step "the build" build.log as_dev cmake --build build -j2 --target ai2ind ai2in-agent ai2in-desktop || exit 1
for program in build/engine/ai2ind build/agent/ai2in-agent build/app/ai2in-desktop; do
    [ -x "$BUILD_ROOT$SRC_IN_ROOT/$program" ] && pass "built $program" || fail "$program was not built"
done
out=$(as_dev build/engine/ai2ind --version 2>&1) && [[ $out == *"$VERSION"* ]] &&
    pass "the built ai2ind runs: $out" || fail "the built ai2ind --version printed '$out'"
pristine_root_leave "$BUILD_ROOT"

# ---------------------------------------------------------------------------
step "The .deb of $BUILD_DIR"
rm -f "$BUILD_DIR"/ai2in_*.deb
run_step "building the .deb" cpack.log cmake --build "$BUILD_DIR" --target package || exit 1
DEB=$(ls "$BUILD_DIR"/ai2in_*.deb)
pass "built $(basename "$DEB") ($(du -h "$DEB" | cut -f1)); Depends: $(dpkg-deb -f "$DEB" Depends)"

step "A second pristine root: apt-get install ./$(basename "$DEB")"
pristine_root_make "$INSTALL_ROOT"
pristine_root_enter "$INSTALL_ROOT"
cp "$DEB" "$INSTALL_ROOT/root/"
run_step "apt-get update" update2.log apt_in_root "$INSTALL_ROOT" update
in_root_cd() { in_root "$INSTALL_ROOT" sh -c 'cd /root && "$@"' _ "$@"; }
run_step "apt-get install ./$(basename "$DEB")" install.log in_root_cd env DEBIAN_FRONTEND=noninteractive \
    apt-get -q -y -o APT::Sandbox::User=root --no-install-recommends install "./$(basename "$DEB")" || exit 1
pass "installed with its Depends alone"

check_version() {
    local what=$1 log=$LOGS/version-$1.log
    shift
    if in_root "$INSTALL_ROOT" "$@" >"$log" 2>&1 && grep -q "$VERSION" "$log"; then
        pass "$what --version: $(head -1 "$log")"
    else
        cat "$log" >&2
        fail "$what --version does not run in a root with only the package's Depends: $(explain "$log")."
    fi
}
check_version ai2ind ai2ind --version
check_version ai2in-desktop env QT_QPA_PLATFORM=offscreen ai2in-desktop --version
# The package brings the name service that makes preview URLs resolve.
addresses=$(in_root "$INSTALL_ROOT" getent ahosts 3000-sbx_pristine.localhost | awk '{print $1}' | sort -u) || true
if [ -n "$addresses" ] && ! grep -qvxE '127\.[0-9.]+|::1' <<<"$addresses"; then
    pass "3000-<id>.localhost resolves to loopback: $(echo $addresses)"
else
    fail "3000-<id>.localhost does not resolve to loopback in a root with only the package ('$(echo $addresses)'): is libnss-myhostname in its Depends?"
fi

if [ "$failures" -gt 0 ]; then
    echo "test-pristine.sh: $failures check(s) failed, after $((SECONDS - started)) s" >&2
    exit 1
fi
echo "test-pristine.sh: every check passed in $((SECONDS - started)) s"
