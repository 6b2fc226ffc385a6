#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# tests/desktop/with-keyring.sh PROGRAM…
# Runs PROGRAM in a private D-Bus session with a fresh, unlocked
# gnome-keyring, so the desktop's keychain code meets a real Secret Service.
set -euo pipefail
home=$(mktemp -d /tmp/ai2in-keyring-XXXXXX)
trap 'rm -rf "$home"' EXIT
export HOME=$home XDG_RUNTIME_DIR=$home/run XDG_DATA_HOME=$home/share
mkdir -p -m 0700 "$XDG_RUNTIME_DIR"
exec dbus-run-session -- bash -c '
    printf "test-password" | gnome-keyring-daemon --unlock --components=secrets >/dev/null || exit 1
    exec "$@"' keyring "$@"
