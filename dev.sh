#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# ./dev.sh run   — set up this Debian 12 machine, build, build the base
#                  template if it is not cached, start the engine.
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
  qtkeychain-qt6-dev qt6-charts-dev libvterm-dev qt6-qpa-plugins fonts-dejavu-core
  # sandboxes
  runc debootstrap
  # the install test of the .deb
  dpkg-dev desktop-file-utils
  # tests and tools
  python3 python3-venv python3-pip curl procps
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
    say "Starting the engine (data in $DATA_DIR; stop it with Ctrl+C)"
    if [ "$(id -u)" -eq 0 ]; then
      exec "$BUILD_DIR/engine/ai2ind" serve --data-dir "$DATA_DIR" --templates "$TEMPLATES"
    else
      exec sudo "$BUILD_DIR/engine/ai2ind" serve --data-dir "$DATA_DIR" --templates "$TEMPLATES"
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
