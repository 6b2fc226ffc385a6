#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# packaging/test-devsh-refusal.sh SOURCE_DIR
#
# dev.sh refuses a system other than Debian 12 at once, in one sentence,
# before it installs or builds anything.
set -uo pipefail
SOURCE_DIR=${1:?usage: test-devsh-refusal.sh SOURCE_DIR}
TESTDATA=$(dirname "$(realpath "$0")")/testdata
failures=0

expect_refusal() {
    local release=$1 expected=$2 out code
    out=$(AI2IN_OS_RELEASE=$release bash "$SOURCE_DIR/dev.sh" deps 2>&1 </dev/null)
    code=$?
    if [ "$code" -ne 0 ] && [ "$(wc -l <<<"$out")" -eq 1 ] && [[ $out == *"$expected"* ]] && [[ $out != *Installing* ]]; then
        echo "PASS: $(basename "$release"): $out"
    else
        echo "FAIL: $(basename "$release"): exit $code, expected one line with '$expected', got: $out" >&2
        failures=$((failures + 1))
    fi
}
expect_refusal "$TESTDATA/os-release-ubuntu" "this is Ubuntu 24.04.1 LTS, and dev.sh sets up Debian 12 (bookworm) only"
expect_refusal "$TESTDATA/os-release-debian11" "this is Debian GNU/Linux 11 (bullseye), and dev.sh sets up Debian 12"
expect_refusal "$TESTDATA/no-such-os-release" "cannot read"

# A wrong verb is told its usage.
out=$(bash "$SOURCE_DIR/dev.sh" frobnicate 2>&1 </dev/null)
if [ $? -eq 2 ] && [[ $out == usage:* ]]; then
    echo "PASS: an unknown verb gets the usage"
else
    echo "FAIL: an unknown verb: $out" >&2
    failures=$((failures + 1))
fi

[ "$failures" -eq 0 ] && echo "test-devsh-refusal.sh: every check passed" || exit 1
