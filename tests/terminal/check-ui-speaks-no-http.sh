#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# tests/terminal/check-ui-speaks-no-http.sh DIR…
#
# The desktop app's widgets (ui/) never speak HTTP or WebSockets themselves:
# typed clients in model/ do (EngineClient, EngineSocket, FilesClient, …).
# Fails, naming file and line, when a source includes the classes that make
# requests, replies or sockets (QNetworkAccessManager, QNetworkRequest,
# QNetworkReply, QWebSocket) or
# the whole Qt Network or WebSockets module.
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: check-ui-speaks-no-http.sh DIR…" >&2; exit 2; }

pattern='^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]((QtNetwork|QtWebSockets)/)?(QNetworkAccessManager|QNetworkRequest|QNetworkReply|QWebSocket|QtNetwork|QtWebSockets)[>"]'

for dir in "$@"; do
    [ -d "$dir" ] || { echo "check-ui-speaks-no-http.sh: no directory $dir" >&2; exit 2; }
done
hits=$(grep -rnE "$pattern" --include='*.h' --include='*.cpp' "$@" || true)
if [ -n "$hits" ]; then
    sed 's/$/: a widget speaks HTTP itself; a client in model\/ should/' <<<"$hits"
    exit 1
fi
echo "check-ui-speaks-no-http.sh: $* make no requests or sockets of their own"
