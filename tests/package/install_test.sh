#!/usr/bin/env bash
# Installs dist/messengerd_*.deb and dist/messenger_*.deb (scripts/package) on this machine, as a
# user would, and checks what they did: the messengerd user, folder owners and modes, conffiles;
# runs the installed messengerd as that user on its installed configuration, signs in over
# WebSocket; starts the installed app under Xvfb; removes and purges both and checks what is left.
# No systemd needed: the packages' scripts skip systemctl when systemd is not PID 1.
#   install_test.sh <source dir> <messenger-package-probe executable>
# Needs root. Leaves the machine as it found it (both packages purged; the messengerd user stays,
# as Debian policy wants).
set -euo pipefail
source_dir="$1"
probe="$2"
dist="$source_dir/dist"
marker=/var/lib/messengerd/.installed-by-package-test

if [ "$(id -u)" -ne 0 ]; then
    echo "SKIP: installing packages needs root (CI runs the suite as root)"
    exit 77
fi
shopt -s nullglob
server_debs=("$dist"/messengerd_*.deb)
app_debs=("$dist"/messenger_*.deb)
shopt -u nullglob
if [ ${#server_debs[@]} -ne 1 ] || [ ${#app_debs[@]} -ne 1 ]; then
    echo "SKIP: no dist/messengerd_*.deb and dist/messenger_*.deb (one of each): run scripts/package"
    exit 77
fi
for tool in xvfb-run apt-get setpriv; do
    command -v "$tool" > /dev/null || { echo "SKIP: $tool is not installed"; exit 77; }
done

installed() { [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = installed ]; }
# A messengerd this test did not install is someone's server: never purge it.
if installed messengerd && [ ! -e "$marker" ]; then
    echo "SKIP: messengerd is installed on this machine; this test installs and purges it, so it"
    echo "      runs only where it is not (CI), or where a previous run of it left it"
    exit 77
fi

fail() {
    echo "FAIL: $*"
    exit 1
}
ok() { echo "ok: $*"; }

work="$(mktemp -d)"
chmod 755 "$work"
server_pid=""
cleanup() {
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    dpkg --purge messenger messengerd > /dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

# A leftover of an interrupted run first, so this one starts from nothing.
dpkg --purge messenger messengerd > /dev/null 2>&1 || true

echo "== installing ${server_debs[0]##*/} and ${app_debs[0]##*/}"
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    "${server_debs[0]}" "${app_debs[0]}"
installed messengerd || fail "messengerd is not installed"
installed messenger || fail "messenger is not installed"
touch "$marker"

echo "== what the packages made"
entry="$(getent passwd messengerd)" || fail "no messengerd user"
IFS=: read -r _ _ uid _ _ home shell <<< "$entry"
[ "$uid" -lt 1000 ] || fail "messengerd is not a system user (uid $uid)"
[ "$home" = /var/lib/messengerd ] || fail "messengerd's home is $home"
[ "$shell" = /usr/sbin/nologin ] || fail "messengerd's shell is $shell"
getent group messengerd > /dev/null || fail "no messengerd group"
ok "system user messengerd (uid $uid, home $home, shell $shell)"

expect_stat() { # path, "owner:group mode"
    local got
    got="$(stat -c '%U:%G %a' "$1")"
    [ "$got" = "$2" ] || fail "$1 is $got, not $2"
    ok "$1 $got"
}
expect_stat /var/lib/messengerd "messengerd:messengerd 750"
expect_stat /etc/messengerd "root:messengerd 750"
expect_stat /etc/messengerd/messengerd.conf "root:messengerd 640"
expect_stat /usr/bin/messengerd "root:root 755"
expect_stat /usr/bin/messenger "root:root 755"

conffiles="$(dpkg-query --control-show messengerd conffiles)"
grep -qx /etc/messengerd/messengerd.conf <<< "$conffiles" \
    || fail "messengerd's conffiles are: $conffiles"
ok "conffile /etc/messengerd/messengerd.conf"

[ -f /lib/systemd/system/messengerd.service ] || fail "no /lib/systemd/system/messengerd.service"
bash "$source_dir/tests/package/check_unit.sh" /lib/systemd/system/messengerd.service \
    /usr/bin/messengerd
desktop-file-validate /usr/share/applications/im.selfhosted.messenger.desktop
appstreamcli validate --pedantic --no-net /usr/share/metainfo/im.selfhosted.messenger.metainfo.xml
for size in 16x16 22x22 24x24 32x32 48x48 64x64 128x128 256x256 512x512 scalable; do
    ls /usr/share/icons/hicolor/$size/apps/im.selfhosted.messenger.* > /dev/null \
        || fail "no $size icon installed"
done
ok "desktop entry, metainfo and icons installed"

echo "== the installed server, as its user, on its installed configuration"
version="$(runuser -u messengerd -- messengerd --version)"
ok "runuser -u messengerd -- messengerd --version: $version"

config=(--config /etc/messengerd/messengerd.conf --data-dir /var/lib/messengerd)
# The configuration asks for invites; the first user comes from the admin command, as the
# operator makes it (installer/README.md).
(cd / && printf 'package-test-password\n' \
    | runuser -u messengerd -- messengerd "${config[@]}" user add alice) \
    || fail "messengerd user add alice"
[ "$(stat -c %U /var/lib/messengerd/messenger.db)" = messengerd ] \
    || fail "the database is not the messengerd user's"
ok "user add alice as messengerd"

# Port 0 (a free one, which the server prints) instead of the configured 7400, which a server of
# this machine may hold.
extra=()
# The admin listener (metrics, health) on a free port too, where this messengerd has one.
if messengerd --help 2>/dev/null | grep -q -- '--admin-listen'; then
    extra+=(--admin-listen 127.0.0.1:0)
fi
# setpriv execs (runuser would stay in between), so $! is the server and a signal reaches it.
(cd / && exec setpriv --reuid=messengerd --regid=messengerd --init-groups \
    messengerd "${config[@]}" --port 0 "${extra[@]}") > "$work/server.log" 2>&1 &
server_pid=$!
# Waits on the log itself: tail follows it until the server exits (--pid), grep stops at the line
# (a failed start ends tail, so grep sees the end of the log at once).
if ! timeout 30 grep -q -m1 "listening on" <(tail --pid="$server_pid" -n +1 -f "$work/server.log"); then
    cat "$work/server.log"
    fail "messengerd exited or did not listen within 30 s"
fi
port="$(sed -n 's|.*listening on ws://127\.0\.0\.1:\([0-9]*\).*|\1|p' "$work/server.log" | head -1)"
[ -n "$port" ] || { cat "$work/server.log"; fail "messengerd does not listen on 127.0.0.1"; }
ok "messengerd (pid $server_pid) listens on 127.0.0.1:$port as $(ps -o user= -p "$server_pid")"

"$probe" --server "ws://127.0.0.1:$port" --username alice --password package-test-password \
    || { cat "$work/server.log"; fail "alice could not sign in over WebSocket"; }
ok "alice signed in over WebSocket"

echo "== the installed app under Xvfb"
mkdir -p "$work/home" "$work/runtime"
chmod 700 "$work/runtime"
app_status=0
HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_DATA_HOME="$work/home/.local/share" \
    XDG_CACHE_HOME="$work/home/.cache" XDG_RUNTIME_DIR="$work/runtime" QT_QPA_PLATFORM=xcb \
    timeout 120 xvfb-run -a -s "-screen 0 1280x800x24" /usr/bin/messenger --no-keychain \
    --data-dir "$work/home/data" --screenshot "$work/app.png" --screenshot-delay 3000 \
    > "$work/app.log" 2>&1 || app_status=$?
if [ "$app_status" -ne 0 ] || [ ! -s "$work/app.png" ]; then
    cat "$work/app.log"
    fail "/usr/bin/messenger did not start (exit $app_status)"
fi
if grep -E "is not installed|module .* not found|Cannot load library|could not load the Qt platform" \
    "$work/app.log"; then
    fail "the app misses a runtime module"
fi
ok "/usr/bin/messenger started and drew its window ($(stat -c %s "$work/app.png") bytes of PNG)"

# "Host a server on this computer" (what messenger's Recommends: messengerd is for): the app runs
# the installed /usr/bin/messengerd beside it, and stops it when it quits.
app_status=0
HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_DATA_HOME="$work/home/.local/share" \
    XDG_CACHE_HOME="$work/home/.cache" XDG_RUNTIME_DIR="$work/runtime" QT_QPA_PLATFORM=xcb \
    timeout 120 xvfb-run -a -s "-screen 0 1280x800x24" /usr/bin/messenger --no-keychain \
    --host-server --data-dir "$work/home/hosting" --screenshot "$work/hosting.png" \
    --screenshot-delay 4000 > "$work/hosting.log" 2>&1 || app_status=$?
if [ "$app_status" -ne 0 ] || [ ! -s "$work/hosting.png" ] \
    || ! grep -q 'starting "/usr/bin/messengerd"' "$work/hosting.log"; then
    cat "$work/hosting.log"
    fail "/usr/bin/messenger --host-server did not run /usr/bin/messengerd (exit $app_status)"
fi
if pgrep -f "$work/home/hosting" > /dev/null; then
    fail "the server the app hosted outlived it"
fi
ok "/usr/bin/messenger --host-server ran /usr/bin/messengerd and stopped it on quitting"

kill "$server_pid"
wait "$server_pid" || true
server_pid=""

echo "== removing"
dpkg --remove messenger messengerd
[ ! -e /usr/bin/messengerd ] || fail "/usr/bin/messengerd is still there after dpkg -r"
[ ! -e /usr/bin/messenger ] || fail "/usr/bin/messenger is still there after dpkg -r"
[ -f /etc/messengerd/messengerd.conf ] || fail "dpkg -r removed the conffile"
[ -f /var/lib/messengerd/messenger.db ] || fail "dpkg -r removed the data"
ok "dpkg -r: programs gone, configuration and data kept"

echo "== purging"
dpkg --purge messengerd # messenger has no conffiles: dpkg -r left nothing of it
[ ! -e /var/lib/messengerd ] || fail "/var/lib/messengerd is left after purge: $(ls -A /var/lib/messengerd)"
[ ! -e /etc/messengerd ] || fail "/etc/messengerd is left after purge: $(ls -A /etc/messengerd)"
getent passwd messengerd > /dev/null || fail "purge removed the messengerd user (policy keeps it)"
ok "dpkg -P: data and configuration gone, the messengerd user kept"
echo "PASS"
