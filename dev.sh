#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# ./dev.sh run   — set up this Debian 12 machine, build, build the base
#                  template if it is not cached, start the engine and the
#                  desktop app (the engine alone when there is no display).
# ./dev.sh test  — the same set-up, then every test.
set -euo pipefail
cd "$(dirname "$0")"

BUILD_DIR=${AI2IN_BUILD_DIR:-build}
TEMPLATES=${AI2IN_TEMPLATES:-/var/lib/ai2in/templates}
DATA_DIR=${AI2IN_DATA_DIR:-/var/lib/ai2in}

PACKAGES=(
  # build
  cmake ninja-build g++ pkg-config git
  qt6-base-dev qt6-httpserver-dev qt6-websockets-dev libqt6sql6-sqlite
  nlohmann-json3-dev
  # desktop app (offscreen platform plugin and a font for tests and --screenshot)
  qtkeychain-qt6-dev qt6-charts-dev qt6-svg-dev libvterm-dev qt6-qpa-plugins fonts-dejavu-core
  # a real Secret Service for the keychain test, an X server for the real-window one
  gnome-keyring dbus-daemon xvfb xauth
  # sandboxes
  runc debootstrap
  # the install test of the .deb
  dpkg-dev desktop-file-utils
  # tests and tools
  python3 python3-venv python3-pip python3-setuptools python3-wheel curl procps
  python3-ipykernel python3-jupyter-client python3-matplotlib
)

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'dev.sh: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_packages() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
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

setup() {
  [ -r /etc/debian_version ] || die "this script sets up Debian 12; install the packages in dev.sh by hand elsewhere."
  install_packages
  build
  build_template
}

case "${1:-}" in
  run)
    setup
    engine=("$BUILD_DIR/engine/ai2ind" serve --data-dir "$DATA_DIR" --templates "$TEMPLATES")
    if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
      say "No display (neither DISPLAY nor WAYLAND_DISPLAY is set), so no desktop app: starting only the engine (data in $DATA_DIR; stop it with Ctrl+C)"
      if [ "$(id -u)" -eq 0 ]; then exec "${engine[@]}"; else exec sudo "${engine[@]}"; fi
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
    trap 'say "Stopping the engine"; as_root kill -TERM "$engine_pid" 2>/dev/null || true; wait "$engine_pid" 2>/dev/null || true' EXIT
    for _ in $(seq 1 120); do
      curl -fsS -o /dev/null http://127.0.0.1:7300/v1/health 2>/dev/null && as_root test -r "$DATA_DIR/credentials.json" && break
      kill -0 "$engine_pid" 2>/dev/null || die "the engine stopped while starting; see $engine_log"
      sleep 0.5
    done
    curl -fsS -o /dev/null http://127.0.0.1:7300/v1/health || die "the engine did not answer within a minute; see $engine_log"
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
    export AI2IN_TEMPLATES="$TEMPLATES"
    as_root ctest --test-dir "$BUILD_DIR" --output-on-failure --timeout 900
    ;;
  *)
    echo "usage: ./dev.sh run | ./dev.sh test" >&2
    exit 2
    ;;
esac
