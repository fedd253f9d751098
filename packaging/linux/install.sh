#!/usr/bin/env bash
# Installs the PyInstaller bundle (dist/trayapp, from packaging/build-bundle.sh) with its desktop
# integration: the launcher, AppStream metainfo and icons. DESTDIR for staging a package.
#   sudo bash packaging/linux/install.sh                 # into /usr/local
#   PREFIX=/opt/trayapp DESTDIR=/tmp/stage bash packaging/linux/install.sh
# Start at login and the background service are not installed here: they are per user / per
# machine choices (`trayapp autostart enable`, `sudo trayapp service install`).
set -euo pipefail
cd "$(dirname "$0")/../.."
PREFIX="${PREFIX:-/usr/local}"
DESTDIR="${DESTDIR:-}"
BUNDLE="${BUNDLE:-dist/trayapp}"
[ -x "$BUNDLE/trayapp" ] || { echo "no bundle at $BUNDLE: run packaging/build-bundle.sh first" >&2; exit 2; }
[ -d packaging/build/icons/hicolor ] || python3 packaging/make_icons.py >/dev/null

root="$DESTDIR$PREFIX"
rm -rf "$root/lib/trayapp"
install -d "$root/lib/trayapp" "$root/bin"
cp -a "$BUNDLE/." "$root/lib/trayapp/"
ln -sfn "$PREFIX/lib/trayapp/trayapp" "$root/bin/trayapp"
install -Dm644 packaging/linux/com.trayapp.trayapp.desktop "$root/share/applications/com.trayapp.trayapp.desktop"
install -Dm644 packaging/linux/com.trayapp.trayapp.metainfo.xml "$root/share/metainfo/com.trayapp.trayapp.metainfo.xml"
(cd packaging/build/icons && find hicolor -type f) | while read -r icon; do
  install -Dm644 "packaging/build/icons/$icon" "$root/share/icons/$icon"
done
if [ -z "$DESTDIR" ]; then
  command -v update-desktop-database >/dev/null && update-desktop-database -q "$PREFIX/share/applications" || true
  command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$PREFIX/share/icons/hicolor" || true
fi
echo "installed trayapp in $root (command: $PREFIX/bin/trayapp)"
