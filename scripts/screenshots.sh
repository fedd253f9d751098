#!/usr/bin/env bash
# Screenshots of the tray app for the docs (docs/screenshots/*.png): runs the real app under Xvfb with
# the trayer tray host, drives it with xdotool like a user (click the icon, walk the menu with the
# keyboard) and captures the screen with ImageMagick's import.
#
#   bash scripts/screenshots.sh [OUTPUT_DIR]      # default docs/screenshots
#
# Needs: xvfb trayer xdotool imagemagick (scripts/setup-test-env.sh installs them) and trayapp
# importable (pip install -e . or run from the checkout). Nothing outside a temporary TRAYAPP_HOME
# is touched; the demo shop listens on 127.0.0.1 only.
#
# Scenes: 1) first start, nothing configured: the welcome dialog and the "stopped" icon;
# 2) the demo, its shop slowed down (0.4 s per request) so a run lasts long enough to be seen:
# "syncing", then "running" with the tooltip, the menu, Sync now ▸ and Background service ▸; a second integration whose
# shop is unreachable makes it "warning" (with the notification); Stop automatic sync -> "stopped";
# the windows of the menu: Settings…, Manual sync… (after a click on Preview) and Event history…
# (xvfb-*.png); Quit from the menu, which must end the process with exit code 0.
# 3) background mode: a headless scheduler drives the demo, the tray app shows its runs;
# 4) no tray host: the status window.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=$(realpath -m "${1:-docs/screenshots}")
mkdir -p "$out"

# A private D-Bus session with a gnome-keyring of its own (temporary, unlocked), so the app finds a
# keyring as on a desktop (Settings would say there is none) - and no notification daemon on that
# bus, so Qt draws its own balloons. Without these tools: no session bus at all.
if [ -z "${TRAYAPP_SHOTS_SESSION:-}" ] && command -v dbus-run-session >/dev/null \
   && command -v gnome-keyring-daemon >/dev/null; then
  session=$(mktemp -d)
  mkdir -p "$session/data" "$session/runtime"
  chmod 700 "$session/runtime"
  status=0
  XDG_DATA_HOME="$session/data" XDG_RUNTIME_DIR="$session/runtime" TRAYAPP_SHOTS_SESSION=1 \
    dbus-run-session -- sh -c 'echo -n pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null
                               exec bash "$0" "$1"' "$root/scripts/screenshots.sh" "$out" || status=$?
  rm -rf "$session"
  exit "$status"
fi
[ -n "${TRAYAPP_SHOTS_SESSION:-}" ] || unset DBUS_SESSION_BUS_ADDRESS

for tool in Xvfb trayer xdotool /usr/bin/import convert; do
  command -v "$tool" >/dev/null || { echo "screenshots: $tool is missing (apt-get install xvfb trayer xdotool imagemagick)" >&2; exit 2; }
done

SW=1280 SH=800  # screen size (Event history opens at 1280x720)
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

log() { echo "screenshots: $*" >&2; }

# -- the X server (a free display number, reported by Xvfb itself) and the tray host
exec 3>"$work/display"
Xvfb -displayfd 3 -screen 0 "${SW}x${SH}x24" -nolisten tcp -wr >"$work/xvfb.log" 2>&1 &
pids+=($!)
exec 3>&-
for _ in $(seq 50); do [ -s "$work/display" ] && break; sleep 0.1; done
export DISPLAY=":$(head -n1 "$work/display")"
unset WAYLAND_DISPLAY
export QT_QPA_PLATFORM=xcb
export XDG_CONFIG_HOME="$work/xdg"  # start at login, user services: this run's own, not the real user's

tray_pid=""
start_tray() {  # $1: panel colour
  if [ -n "$tray_pid" ]; then kill "$tray_pid" 2>/dev/null || true; wait "$tray_pid" 2>/dev/null || true; fi
  # at the top left, so menus and submenus open side by side (at the right edge they fold over each other)
  trayer --edge top --align left --widthtype request --heighttype pixel --height 32 \
         --transparent true --alpha 0 --tint "$1" --SetDockType true >>"$work/trayer.log" 2>&1 &
  tray_pid=$!
  pids+=("$tray_pid")
  sleep 1
}

# -- helpers
wait_for() {  # wait_for SECONDS COMMAND...: until the command succeeds
  local limit=$1; shift
  for _ in $(seq $((limit * 10))); do "$@" && return 0; sleep 0.1; done
  log "timed out waiting for: $*"; return 1
}
logged() { grep -qF -- "$1" "$TRAYAPP_HOME/logs/trayapp.log" 2>/dev/null; }
finished() {  # finished INTEGRATION OPERATION...: each has logged the end of a run
  local name=$1 op; shift
  for op in "$@"; do
    grep -qE -- "$name $op: (ok|partial|failed|cancelled) in" "$TRAYAPP_HOME/logs/trayapp.log" 2>/dev/null || return 1
  done
}
icon_center() {  # the tray icon: trayapp's small window docked inside trayer's panel at the top
  local w WINDOW SCREEN X Y WIDTH HEIGHT
  for w in $(xdotool search --classname '^trayapp$' 2>/dev/null); do
    X=0 Y=0 WIDTH=0 HEIGHT=0
    eval "$(xdotool getwindowgeometry --shell "$w" 2>/dev/null)"  # a window may vanish meanwhile
    if [ "$WIDTH" -gt 0 ] && [ "$WIDTH" -le 48 ] && [ "$HEIGHT" -le 48 ] && [ "$Y" -lt 40 ] && [ "$X" -gt 0 ]; then
      echo "$((X + WIDTH / 2)) $((Y + HEIGHT / 2))"; return 0
    fi
  done
  return 1
}
click_icon() { read -r x y < <(icon_center); xdotool mousemove "$x" "$y" click 1; sleep 0.7; }
hover_icon() { read -r x y < <(icon_center); xdotool mousemove "$x" "$y"; sleep 0.2; xdotool mousemove_relative 1 0; sleep 1.5; }
away() { xdotool mousemove 5 $((SH - 5)); sleep 0.3; }
keys() { xdotool key --delay 150 "$@"; sleep 0.6; }
shot() {  # shot NAME [CROP]: the whole screen, or a crop (WxH+X+Y)
  /usr/bin/import -window root "$work/screen.png"
  if [ -n "${2:-}" ]; then convert "$work/screen.png" -crop "$2" +repage "$out/$1.png"
  else cp "$work/screen.png" "$out/$1.png"; fi
  log "saved $out/$1.png"
}
window_shot() {  # window_shot NAME TITLE-REGEX: the top-level window whose title matches, alone
  local wid
  wid=$(xdotool search --sync --onlyvisible --name "$2" | head -n1)
  /usr/bin/import -window "$wid" "$out/$1.png"
  log "saved $out/$1.png"
}
open_from_menu() {  # open_from_menu DOWNS TITLE-REGEX: Down DOWNS times in the tray menu, Return, wait for the window
  click_icon
  local keys_=() i
  for i in $(seq "$1"); do keys_+=(Down); done
  keys "${keys_[@]}" Return
  xdotool search --sync --onlyvisible --name "$2" >/dev/null
  sleep 1.5
}
tray_shot() {  # tray_shot NAME: trayer's panel (with the icon), enlarged 3x without smoothing
  local WINDOW SCREEN X Y WIDTH HEIGHT
  eval "$(xdotool getwindowgeometry --shell "$(xdotool search --name '^panel$' | head -n1)")"
  /usr/bin/import -window root "$work/screen.png"
  convert "$work/screen.png" -crop "${WIDTH}x${HEIGHT}+${X}+${Y}" +repage -filter point -resize 300% "$out/$1.png"
  log "saved $out/$1.png"
}
app_pid=""
start_app() {  # start_app COMMAND...: in the background, logging to $work/app.log
  "$@" >>"$work/app.log" 2>&1 &
  app_pid=$!
  pids+=("$app_pid")
  wait_for 20 logged "tray icon shown"
  wait_for 10 icon_center >/dev/null
  sleep 0.5
}
quit_from_menu() {  # Quit is the last entry: open the menu, Up wraps to it
  click_icon
  keys Up Return
  local status=0
  wait "$app_pid" || status=$?
  [ "$status" = 0 ] || { log "the app exited with $status"; cat "$work/app.log" >&2; exit 1; }
  logged "scheduler stopped; quitting" || { log "no graceful stop in the log"; exit 1; }
}

# ---------------------------------------------------------------- 1. first start
start_tray 0x303030
export TRAYAPP_HOME="$work/first"
start_app python3 -m trayapp
wait_for 10 logged "tray app"
sleep 0.5
window_shot first-start "^Welcome to trayapp\$"
quit_from_menu

# ---------------------------------------------------------------- 2. the demo
export TRAYAPP_HOME="$work/demo"
# The demo integration with hour-long intervals: each operation runs once at start, then only when
# asked. (The demo keeps these settings and only points the integration at its shop.)
python3 - <<'PY'
from dataclasses import replace

from trayapp.config import Config, save_config
from trayapp.demo.runner import demo_integration
from trayapp.paths import app_paths

paths = app_paths().ensure()
demo = demo_integration(paths.demo_dir / "erp.sqlite3", "http://127.0.0.1:18080")
demo = replace(demo, operations={name: replace(op, interval=3600) for name, op in demo.operations.items()})
save_config(Config((demo,)), paths.config_file)
PY
# The real app (run_app) with the real demo, whose shop answers each request after 0.4 s.
cat >"$work/slow_demo.py" <<'PY'
import sys

from trayapp.demo.runner import DemoRunner
from trayapp.logs import setup_logging
from trayapp.paths import app_paths
from trayapp.ui.app import run_app


class SlowDemo(DemoRunner):
    def start(self) -> None:
        super().start()
        assert self.shop is not None
        self.shop.latency = 0.4


paths = app_paths().ensure()
setup_logging(paths.log_dir)
sys.exit(run_app(paths, demo=SlowDemo(paths, order_every=0, erp_every=0)))
PY
start_app python3 "$work/slow_demo.py"
wait_for 20 logged "demo export-products: started"
sleep 1
tray_shot tray-syncing
wait_for 180 finished demo import-orders update-order-statuses export-products update-stock
sleep 1
away
tray_shot tray-running
hover_icon
shot tooltip 640x120+0+0
away

click_icon
shot menu 300x290+0+0
keys Down Down Right Right  # Stop automatic sync, Sync now ▸, demo ▸, All
shot menu-sync-now 560x290+0+0
keys Escape Escape Escape
away
click_icon
keys Down Down Down Down Down Down Down Down Right  # Background service ▸ (its state is looked up as it opens)
sleep 1
shot menu-background-service 560x290+0+0
keys Escape Escape
away

# A second integration whose shop does not answer: its first run fails -> warning + notification.
python3 - <<'PY'
from dataclasses import replace

from trayapp.config import OperationConfig, load_config, save_config
from trayapp.paths import app_paths

paths = app_paths()
config = load_config(paths.config_file)
demo = config.integration("demo")
broken = replace(demo, name="webshop", order_ref_prefix="W-",
                 shop=replace(demo.shop, url="http://127.0.0.1:9", retries=0, timeout=3),
                 operations={"update-stock": OperationConfig("update-stock", interval=3600)})
save_config(config.with_integration(broken), paths.config_file)
PY
wait_for 30 finished webshop update-stock
sleep 1
shot warning-notification 420x160+0+0
start_tray 0xe8e8e8  # the same icon on a light panel (Qt docks into the new tray host)
wait_for 10 icon_center >/dev/null
sleep 1
tray_shot tray-warning-light-panel
start_tray 0x303030
wait_for 10 icon_center >/dev/null
sleep 1
tray_shot tray-warning
start_tray 0xe8e8e8
wait_for 10 icon_center >/dev/null
sleep 1

click_icon
keys Down Return  # the first enabled entry: Stop automatic sync
wait_for 10 logged "automatic sync stopped from the tray"
sleep 0.5
away
tray_shot tray-stopped-light-panel
start_tray 0x303030
wait_for 10 icon_center >/dev/null
sleep 1
tray_shot tray-stopped

# The windows of the menu. Menu entries, from the first enabled one: Start automatic sync, Sync now ▸,
# Manual sync…, Settings…, Event history…
open_from_menu 4 "^trayapp settings\$"
window_shot xvfb-settings "^trayapp settings\$"
keys Escape  # nothing changed: closes
# some ERP products changed, so that the preview has something to list
python3 - <<'PY'
import sqlite3

from trayapp.paths import app_paths

db = sqlite3.connect(app_paths().demo_dir / "erp.sqlite3")
with db:
    db.execute("UPDATE products SET name = name || ' (2026)', modified_at = datetime('now') WHERE id IN (3, 4, 5, 11)")
    db.execute("UPDATE products SET price_gross = price_gross + 10, modified_at = datetime('now') WHERE id IN (7, 19)")
db.close()
PY
open_from_menu 3 "^Manual sync - trayapp\$"
keys alt+p  # Preview
wait_for 120 logged "manual sync: preview of demo finished"
sleep 1
window_shot xvfb-manual-sync-preview "^Manual sync - trayapp\$"
keys Escape
open_from_menu 5 "^Event history - trayapp\$"
# a click on the newest run (the failed one): its error below the table
eval "$(xdotool getwindowgeometry --shell "$(xdotool search --onlyvisible --name '^Event history - trayapp$' | head -n1)")"
xdotool mousemove $((X + 80)) $((Y + 67)) click 1
sleep 1
away
window_shot xvfb-history "^Event history - trayapp\$"
keys ctrl+w
away
quit_from_menu

# ---------------------------------------------------------------- 3. background mode
# A headless scheduler (here the demo's, `trayapp demo --no-gui`; the background service runs the same
# `trayapp run --headless`) drives the integration: the tray app started next to it schedules nothing
# and shows that scheduler's runs.
export TRAYAPP_HOME="$work/background"
python3 -m trayapp demo --no-gui >"$work/headless.log" 2>&1 &
headless_pid=$!
pids+=("$headless_pid")
wait_for 30 grep -q "scheduler running for: demo" "$work/headless.log"
start_app python3 -m trayapp
wait_for 20 logged "integrations driven by another process: demo"
wait_for 60 grep -q "demo update-stock: ok" "$work/headless.log"
sleep 4  # the tray's next look at the journal
away
hover_icon
shot tray-background-tooltip 640x120+0+0
away
click_icon
shot menu-background 440x290+0+0
keys Escape
away
quit_from_menu
kill -TERM "$headless_pid"
status=0; wait "$headless_pid" || status=$?
[ "$status" = 0 ] || { log "the headless scheduler exited with $status"; cat "$work/headless.log" >&2; exit 1; }

# ---------------------------------------------------------------- 4. no system tray: the status window
kill "$tray_pid"; wait "$tray_pid" 2>/dev/null || true; tray_pid=""
export TRAYAPP_HOME="$work/window"
python3 -m trayapp demo >>"$work/app.log" 2>&1 &
app_pid=$!
pids+=("$app_pid")
wait_for 20 logged "no system tray yet"
# a second start hands over to the running one, which shows its window at once (rather than after
# waiting 30 s for a tray host to appear)
python3 -m trayapp >>"$work/app.log" 2>&1 || { log "the second start failed"; exit 1; }
wait_for 10 logged "asked this one to show itself"
wait_for 60 finished demo import-orders update-order-statuses export-products update-stock
sleep 1
keys Escape  # the settings window the second start brought forward
sleep 0.5
window_shot status-window "^trayapp - "
kill -TERM "$app_pid"  # SIGTERM quits like the menu's Quit: running operations finish first
status=0; wait "$app_pid" || status=$?
[ "$status" = 0 ] && logged "scheduler stopped; quitting" || { log "SIGTERM: exit $status"; cat "$work/app.log" >&2; exit 1; }
log "done: $(ls "$out" | tr '\n' ' ')"
