#!/bin/sh
# Runs one test inside its own D-Bus session with an unlocked GNOME Keyring (the Secret Service
# that qtkeychain talks to on Linux), in a throw-away home, so the test uses a real keychain
# without touching anyone's own.
#
#   run-with-keyring.sh <test executable> [arguments...]
set -eu
home=$(mktemp -d)
cleanup() { rm -rf "$home"; }
trap cleanup EXIT
mkdir -p "$home/data" "$home/config" "$home/cache" "$home/run"
chmod 700 "$home/run"
export HOME="$home" XDG_DATA_HOME="$home/data" XDG_CONFIG_HOME="$home/config" \
       XDG_CACHE_HOME="$home/cache" XDG_RUNTIME_DIR="$home/run"
status=0
dbus-run-session -- sh -c 'printf test | gnome-keyring-daemon --unlock --components=secrets >/dev/null; exec "$@"' \
    keyring "$@" || status=$?
exit "$status"
