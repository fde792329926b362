#!/usr/bin/env bash
# The systemd unit of messengerd: `systemd-analyze verify` says nothing, and
# `systemd-analyze security --offline=true` scores it 2.0 or less ("OK").
#   check_unit.sh <messengerd.service> <messengerd executable> [<messengerd.8>]
# The unit's ExecStart names /usr/bin/messengerd; verify needs an executable there, so a copy of
# the unit runs the given one (the built one, or the installed one in the package test). verify
# also opens the man page of Documentation=: the given file (the source's), else the installed
# one; without man-db that check is left out.
set -euo pipefail
unit="$1"
messengerd="$2"

if ! command -v systemd-analyze > /dev/null; then
    echo "SKIP: systemd-analyze is not installed (package systemd)"
    exit 77
fi
[ -x "$messengerd" ] || { echo "FAIL: $messengerd is not an executable"; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
sed "s|/usr/bin/messengerd|$messengerd|" "$unit" > "$work/messengerd.service"

man_check=--man=yes
if [ -n "${3:-}" ]; then
    mkdir -p "$work/man/man8"
    cp "$3" "$work/man/man8/"
    export MANPATH="$work/man:$(manpath 2>/dev/null || true)"
fi
command -v man > /dev/null || man_check=--man=no
if ! output="$(systemd-analyze verify "$man_check" "$work/messengerd.service" 2>&1)" \
    || [ -n "$output" ]; then
    echo "FAIL: systemd-analyze verify $unit:"
    echo "$output"
    exit 1
fi
echo "ok: systemd-analyze verify"

# --threshold=20: the exit code fails above 2.0 (the score is in tenths).
status=0
report="$(systemd-analyze security --offline=true --threshold=20 "$work/messengerd.service" 2>&1)" \
    || status=$?
score="$(sed -n 's/.*Overall exposure level for messengerd.service: \([0-9.]*\).*/\1/p' <<< "$report")"
if [ "$status" -ne 0 ] || [ -z "$score" ]; then
    echo "$report"
    echo "FAIL: systemd-analyze security scores the unit ${score:-?} (at most 2.0 wanted)"
    exit 1
fi
echo "ok: systemd-analyze security: $score (at most 2.0)"
