#!/usr/bin/env bash
# The desktop files of the app: the .desktop entry passes desktop-file-validate, the metainfo
# (as CMake configured it) passes `appstreamcli validate --pedantic --no-net`, and the icon exists
# as an SVG and as a PNG of each hicolor size, of that size.
#   check_desktop_files.sh <source dir> <configured metainfo.xml>
set -euo pipefail
source_dir="$1"
metainfo="$2"
app_id=im.selfhosted.messenger

for tool in desktop-file-validate appstreamcli; do
    if ! command -v "$tool" > /dev/null; then
        echo "SKIP: $tool is not installed (scripts/install-deps installs it)"
        exit 77
    fi
done

desktop="$source_dir/resources/$app_id.desktop"
desktop-file-validate "$desktop"
grep -qx "Icon=$app_id" "$desktop" || { echo "FAIL: $desktop does not name the icon $app_id"; exit 1; }
echo "ok: $desktop"

appstreamcli validate --pedantic --no-net "$metainfo"
grep -q "<launchable type=\"desktop-id\">$app_id.desktop</launchable>" "$metainfo" \
    || { echo "FAIL: the metainfo launches no $app_id.desktop"; exit 1; }
echo "ok: $metainfo"

icons="$source_dir/resources/icons/hicolor"
[ -s "$icons/scalable/apps/$app_id.svg" ] || { echo "FAIL: no scalable/apps/$app_id.svg"; exit 1; }
for size in 16 22 24 32 48 64 128 256 512; do
    png="$icons/${size}x${size}/apps/$app_id.png"
    [ -s "$png" ] || { echo "FAIL: no $png"; exit 1; }
    # Width and height: the IHDR chunk's first two big-endian 32-bit words, at bytes 16 and 20.
    read -r width height < <(od -An -tu1 -j16 -N8 "$png" \
        | awk '{ print $1*16777216 + $2*65536 + $3*256 + $4, $5*16777216 + $6*65536 + $7*256 + $8 }')
    if [ "$width" != "$size" ] || [ "$height" != "$size" ]; then
        echo "FAIL: $png is ${width}x${height}, not ${size}x${size}"
        exit 1
    fi
done
echo "ok: the icon as SVG and as PNG in 9 sizes"
