#!/usr/bin/env bash
# Builds the PyInstaller one-folder bundle dist/trayapp/ and checks the frozen app for real:
#  1. `trayapp --version`;
#  2. the Qt plugins (platforms xcb/offscreen/wayland, iconengines svg, imageformats svg) and our
#     package data (ERP profiles, demo schema, status icons, app icon, translations) are in it;
#  3. keyring finds its backends in the bundle: a secret stored and deleted through a real Secret
#     Service (gnome-keyring in a private D-Bus session), where gnome-keyring is installed;
#  4. a headless demo sync: `trayapp demo --no-gui --duration 20`, then `trayapp --json status` and
#     `history` show every operation ran ok;
#  5. the tray app starts from the bundle on a real X server (Xvfb, xcb plugin) with --autostart and
#     quits on SIGTERM with exit code 0, where Xvfb is installed;
#  6. the Linux desktop files: desktop-file-validate, appstreamcli validate (where installed), and an
#     install into a staging folder (packaging/linux/install.sh).
# Usage: bash packaging/build-bundle.sh [--no-check]      (Linux; Windows/macOS: see packaging/README.md)
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS
py=python3
$py -m pip install -q --disable-pip-version-check --root-user-action=ignore "pyinstaller>=6.10,<7"
$py packaging/make_icons.py >/dev/null
$py -m PyInstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller \
  packaging/pyinstaller/trayapp.spec
echo "bundle: dist/trayapp ($(du -sh dist/trayapp | cut -f1)) built in $((SECONDS - started))s"
[ "${1:-}" = "--no-check" ] && exit 0

app=dist/trayapp/trayapp
internal=dist/trayapp/_internal
work=$(mktemp -d)
cleanup() {
  [ -n "${tray_pid:-}" ] && kill "$tray_pid" 2>/dev/null || true
  [ -n "${xvfb_pid:-}" ] && kill "$xvfb_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "bundle check FAILED: $*" >&2; exit 1; }

# 1. version
version=$($py -c 'import trayapp; print(trayapp.__version__)')
[ "$($app --version)" = "trayapp $version" ] || fail "--version printed '$($app --version)'"
echo "ok: $app --version = trayapp $version"

# 2. Qt plugins and package data
for f in PySide6/Qt/plugins/platforms/libqxcb.so PySide6/Qt/plugins/platforms/libqoffscreen.so \
         PySide6/Qt/plugins/platforms/libqwayland.so PySide6/Qt/plugins/iconengines/libqsvgicon.so \
         PySide6/Qt/plugins/imageformats/libqsvg.so trayapp/erp/profiles/demo.toml \
         trayapp/erp/profiles/staging.toml trayapp/erp/profiles/staging.sqlserver.sql trayapp/demo/erp_schema.sql \
         trayapp/ui/status_icons/running.svg trayapp/ui/status_icons/stopped.svg resources/trayapp.svg; do
  [ -f "$internal/$f" ] || fail "missing $f"
done
ls "$internal"/keyring-*.dist-info/entry_points.txt >/dev/null || fail "keyring's entry points are missing"
for qm in resources/translations/*.qm; do
  [ -e "$qm" ] || continue
  [ -f "$internal/trayapp/ui/translations/$(basename "$qm")" ] || fail "missing translation $(basename "$qm")"
done
echo "ok: Qt plugins, package data and keyring metadata are in the bundle"

# 3. keyring backends, through a real Secret Service
if command -v gnome-keyring-daemon >/dev/null && command -v dbus-run-session >/dev/null; then
  mkdir -p "$work/run" "$work/share" && chmod 700 "$work/run"
  out=$(TRAYAPP_HOME="$work/keyring" XDG_RUNTIME_DIR="$work/run" XDG_DATA_HOME="$work/share" \
    dbus-run-session -- sh -c "echo -n pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null &&
      echo -n bundle-check-value | $app secret set bundle-check probe && $app secret delete bundle-check probe" \
    2>"$work/keyring.err") || fail "keyring in the bundle: $out $(cat "$work/keyring.err")"
  case "$out" in *"Stored secret 'probe'"*Deleted.*) ;; *) fail "keyring in the bundle said: $out" ;; esac
  echo "ok: the bundle stored and deleted a secret through the Secret Service"
else
  echo "skipped: keyring check (no gnome-keyring-daemon / dbus-run-session)"
fi

# 4. a headless demo sync from the bundle
export TRAYAPP_HOME="$work/demo"
$app demo --no-gui --duration 20 --order-every 3 >"$work/demo.log" 2>&1 || { cat "$work/demo.log"; fail "demo"; }
$app --json status >"$work/status.json"
$app --json history --limit 200 >"$work/history.json"
$py - "$work/status.json" "$work/history.json" <<'PY' || fail "the demo did not sync"
import json, sys
status = json.load(open(sys.argv[1]))
runs = json.load(open(sys.argv[2]))["runs"]
demo = next(i for i in status["integrations"] if i["name"] == "demo")
enabled = [op["operation"] for op in demo["operations"] if op["enabled"]]
ok = {r["operation"] for r in runs if r["status"] == "ok"}
bad = [r for r in runs if r["status"] in ("failed", "partial")]
print(f"demo: operations {enabled}; ran ok: {sorted(ok)}; failed runs: {len(bad)}")
created = sum(r["created"] for r in runs if r["operation"] == "export-products")
assert set(enabled) <= ok and not bad and created > 0, (enabled, ok, bad, created)
PY
unset TRAYAPP_HOME
echo "ok: headless demo sync from the bundle"

# 5. the tray app from the bundle on a real X server
if command -v Xvfb >/dev/null; then
  display=":$((90 + RANDOM % 500))"
  Xvfb "$display" -screen 0 1024x768x24 -nolisten tcp >/dev/null 2>&1 &
  xvfb_pid=$!
  sleep 1
  DISPLAY="$display" TRAYAPP_HOME="$work/tray" $app --autostart >"$work/tray.out" 2>&1 &
  tray_pid=$!
  for _ in $(seq 1 60); do
    grep -q "tray app .* started" "$work/tray/logs/trayapp.log" 2>/dev/null && break
    kill -0 "$tray_pid" 2>/dev/null || break
    sleep 0.5
  done
  grep -q "tray app .* started" "$work/tray/logs/trayapp.log" 2>/dev/null ||
    { cat "$work/tray.out" "$work/tray/logs/trayapp.log" 2>/dev/null; fail "the tray app did not start"; }
  kill -TERM "$tray_pid"
  code=0
  wait "$tray_pid" || code=$?
  tray_pid=
  [ "$code" = 0 ] || fail "the tray app exited with $code on SIGTERM"
  echo "ok: the tray app started from the bundle (xcb) and quit on SIGTERM"
else
  echo "skipped: tray start (no Xvfb)"
fi

# 6. Linux desktop integration
if command -v desktop-file-validate >/dev/null; then
  desktop-file-validate packaging/linux/com.trayapp.trayapp.desktop || fail "desktop-file-validate"
fi
if command -v appstreamcli >/dev/null; then
  appstreamcli validate --no-net packaging/linux/com.trayapp.trayapp.metainfo.xml >/dev/null ||
    fail "appstreamcli validate packaging/linux/com.trayapp.trayapp.metainfo.xml"
fi
PREFIX=/opt/trayapp DESTDIR="$work/stage" bash packaging/linux/install.sh >/dev/null
[ "$("$work/stage/opt/trayapp/lib/trayapp/trayapp" --version)" = "trayapp $version" ] || fail "staged install"
[ -f "$work/stage/opt/trayapp/share/icons/hicolor/48x48/apps/com.trayapp.trayapp.png" ] || fail "icons"
echo "ok: desktop file, AppStream metainfo and a staged install"
echo "bundle built and checked in $((SECONDS - started))s"
