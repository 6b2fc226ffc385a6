#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# ./dev.sh deps  — install every Debian package that the build, the tests,
#                  the template build and the app need (Debian 12 only),
#                  and the JS SDK's build tools from npm (npm ci).
# ./dev.sh run   — deps, build, build the base template if it is not cached,
#                  start the engine and the desktop app (the engine alone
#                  when there is no display).
# ./dev.sh test  — the same set-up, then every test.
#
# Run as root or as a user with sudo rights. Environment:
#   AI2IN_BUILD_DIR, AI2IN_TEMPLATES, AI2IN_DATA_DIR  where things go
#   AI2IN_OS_RELEASE    the os-release file to judge the system by
#                       (default /etc/os-release)
#   AI2IN_DEPS_LEAVE_OUT  packages `deps` must not install (space separated),
#                       for the pristine-root test to show it catches a gap
set -euo pipefail
cd "$(dirname "$0")"

BUILD_DIR=${AI2IN_BUILD_DIR:-build}
TEMPLATES=${AI2IN_TEMPLATES:-/var/lib/ai2in/templates}
DATA_DIR=${AI2IN_DATA_DIR:-/var/lib/ai2in}

# What building and testing need; what the installed programs need at run
# time is in packaging/depends.txt (the .deb's Depends), added below.
PACKAGES=(
  # build
  cmake ninja-build g++ pkg-config git
  # sandbox networks: nftables and netlink libraries (engine/net)
  libnftables-dev libmnl-dev
  # sandbox changes: the diff template library (header-only; engine/changes)
  libdtl-dev
  # sandbox changes as a tar: libarchive writes it (engine/changes)
  libarchive-dev
  qt6-base-dev qt6-httpserver-dev qt6-websockets-dev
  nlohmann-json3-dev
  # translations: lupdate and lrelease, and Qt's CMake functions for them
  qt6-l10n-tools qt6-tools-dev
  # desktop app; Qt Charts' CMake package needs Qt OpenGL's, which it does
  # not depend on. A font for the offscreen tests and --screenshot.
  qtkeychain-qt6-dev qt6-charts-dev libqt6opengl6-dev qt6-svg-dev libvterm-dev fonts-dejavu-core
  # a real Secret Service for the keychain test, an X server for the real-window one
  gnome-keyring dbus-daemon xvfb xauth
  # the install and pristine-root tests of the .deb
  dpkg-dev desktop-file-utils
  # tests and tools
  python3-venv python3-pip python3-setuptools python3-wheel curl procps
  # the network tests look at the engine's table and make test hosts in namespaces
  nftables iproute2
  python3-ipykernel python3-jupyter-client python3-matplotlib
  # the JS SDK (sdk/js): Node.js runs its build (tsc) and its node --test suite
  nodejs
  # the fuzz targets (fuzz/, the fuzz_smoke test): clang and libFuzzer's runtime
  clang libclang-rt-14-dev
  # a browser for the tests only: tst_desktop_ui::exportReport opens the
  # app's HTML report in headless chromium, with no network
  chromium
)
while read -r line; do
  case $line in '' | '#'*) continue ;; esac
  PACKAGES+=("${line%% *}")
done <packaging/depends.txt
# npm comes with Node.js from NodeSource (whose nodejs conflicts with
# Debian's npm) and separately with Debian's own nodejs.
command -v npm >/dev/null || PACKAGES+=(npm)

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'dev.sh: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Refuses early, before anything is installed, on a system this script does
# not know how to set up.
check_system() {
  local release=${AI2IN_OS_RELEASE:-/etc/os-release} id="" version="" name=""
  [ -r "$release" ] || die "cannot read $release, so this is not a system dev.sh knows; it sets up Debian 12 (bookworm) only."
  id=$(sed -n 's/^ID=//p' "$release" | tr -d '"')
  version=$(sed -n 's/^VERSION_ID=//p' "$release" | tr -d '"')
  name=$(sed -n 's/^PRETTY_NAME=//p' "$release" | tr -d '"')
  if [ "$id" != debian ] || [ "$version" != 12 ]; then
    die "this is ${name:-an unknown system ($release)}, and dev.sh sets up Debian 12 (bookworm) only; elsewhere install the packages named in dev.sh and packaging/depends.txt by hand, then build with CMake."
  fi
  if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null; then
    die "dev.sh needs root: run it as root, or install sudo and give this user sudo rights."
  fi
}

install_packages() {
  local missing=() leave_out=" ${AI2IN_DEPS_LEAVE_OUT:-} "
  for p in "${PACKAGES[@]}"; do
    [[ $leave_out == *" $p "* ]] && continue
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    say "Installing ${missing[*]}"
    as_root apt-get -o DPkg::Lock::Timeout=600 update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends "${missing[@]}"
  fi
}

build() {
  say "Building into $BUILD_DIR/"
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$BUILD_DIR" -j2
}

build_template() {
  # A no-op when the template is already built.
  as_root "$BUILD_DIR/engine/ai2ind" template build base --templates "$TEMPLATES"
}

# The JS SDK's build and test tools (TypeScript, Node's type declarations)
# from npm's registry, exactly as sdk/js/package-lock.json pins them.
js_deps() {
  local js=sdk/js
  if [ ! -e "$js/node_modules/typescript/bin/tsc" ] || [ "$js/package-lock.json" -nt "$js/node_modules/.package-lock.json" ]; then
    say "Installing the JS SDK's build tools (npm ci in $js)"
    (cd "$js" && npm ci --no-audit --no-fund)
  fi
}

deps() {
  check_system
  install_packages
  js_deps
}

setup() {
  deps
  build
  build_template
}

# What is wrong with this host, when the engine would not start.
doctor() {
  say "Checking this machine (ai2ind doctor)"
  as_root "$BUILD_DIR/engine/ai2ind" doctor --data-dir "$DATA_DIR" --templates "$TEMPLATES" >&2 || true
}

case "${1:-}" in
  deps)
    deps
    ;;
  run)
    setup
    engine=("$BUILD_DIR/engine/ai2ind" serve --data-dir "$DATA_DIR" --templates "$TEMPLATES")
    if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
      say "No display (neither DISPLAY nor WAYLAND_DISPLAY is set), so no desktop app: starting only the engine (data in $DATA_DIR; stop it with Ctrl+C)"
      code=0
      as_root "${engine[@]}" || code=$?
      # 130 and 143: stopped by Ctrl+C or a TERM, which is no failure.
      if [ "$code" -ne 0 ] && [ "$code" -ne 130 ] && [ "$code" -ne 143 ]; then
        doctor
        die "the engine stopped with exit code $code; what ai2ind doctor finds is above."
      fi
      exit 0
    fi
    # The engine runs as root in the background; the app runs as the user
    # who called this script, and the engine stops when the app exits.
    engine_log="$BUILD_DIR/ai2ind.log"
    say "Starting the engine (data in $DATA_DIR, log in $engine_log)"
    if [ "$(id -u)" -eq 0 ]; then
      "${engine[@]}" >"$engine_log" 2>&1 &
    else
      sudo -v
      # sudo passes the TERM of the trap below on to the engine.
      sudo "${engine[@]}" >"$engine_log" 2>&1 &
    fi
    engine_pid=$!
    # Only the engine this script started, and only while it still runs: a
    # pid that died long ago may since name someone else's process, which
    # would not be this script's child.
    stop_engine() {
      if [ "$(ps -o ppid= -p "$engine_pid" 2>/dev/null | tr -d ' ')" = "$$" ]; then
        say "Stopping the engine"
        as_root kill -TERM "$engine_pid" 2>/dev/null || true
        wait "$engine_pid" 2>/dev/null || true
      fi
    }
    trap stop_engine EXIT
    for _ in $(seq 1 120); do
      curl -fsS -o /dev/null http://127.0.0.1:7300/v1/health 2>/dev/null && as_root test -r "$DATA_DIR/credentials.json" && break
      kill -0 "$engine_pid" 2>/dev/null || { doctor; die "the engine stopped while starting; see $engine_log"; }
      sleep 0.5
    done
    curl -fsS -o /dev/null http://127.0.0.1:7300/v1/health || { doctor; die "the engine did not answer within a minute; see $engine_log"; }
    api_key=$(as_root cat "$DATA_DIR/credentials.json" | python3 -c 'import json, sys; print(json.load(sys.stdin)["api_key"])')
    say "Starting the desktop app (close it to stop the engine)"
    app=(env AI2IN_BASE_URL=http://127.0.0.1:7300 AI2IN_API_KEY="$api_key" "$BUILD_DIR/app/ai2in-desktop")
    if [ "$(id -u)" -eq 0 ] && [ -n "${SUDO_USER:-}" ] && [ "$SUDO_USER" != root ]; then
      # Called through sudo: the app belongs on the user's display, as the user.
      sudo -u "$SUDO_USER" --preserve-env=DISPLAY,WAYLAND_DISPLAY,XDG_RUNTIME_DIR,XAUTHORITY "${app[@]}" || true
    else
      "${app[@]}" || true
    fi
    ;;
  test)
    setup
    say "Running the tests"
    # sudo passes no environment on: name the templates on the line.
    as_root env AI2IN_TEMPLATES="$TEMPLATES" ctest --test-dir "$BUILD_DIR" --output-on-failure --timeout 900
    ;;
  *)
    echo "usage: ./dev.sh deps | ./dev.sh run | ./dev.sh test" >&2
    exit 2
    ;;
esac
