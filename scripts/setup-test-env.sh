#!/usr/bin/env bash
# Installs what the test suite talks to, on Debian/Ubuntu as root: unixODBC with the SQLite and
# PostgreSQL ODBC drivers, a PostgreSQL server (started, with a 'trayapp' role and database),
# Xvfb + a tray host + xdotool + ImageMagick for the UI screenshots, gnome-keyring for a real
# Secret Service. Idempotent: safe to run again.
set -euo pipefail

packages=(unixodbc libsqliteodbc odbc-postgresql postgresql
          xvfb trayer xdotool imagemagick libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0
          libxkbcommon-x11-0 libegl1 libgl1 libfontconfig1 libdbus-1-3
          gnome-keyring dbus-daemon dbus-bin libsecret-tools desktop-file-utils)

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

# PostgreSQL: start the first cluster and make a superuser role for the tests.
if command -v pg_lsclusters >/dev/null; then
  read -r version cluster _ < <(pg_lsclusters -h | head -n 1) || true
  if [ -n "${version:-}" ]; then
    pg_ctlcluster "$version" "$cluster" start >/dev/null 2>&1 || true
    for _ in $(seq 1 30); do
      su postgres -c "psql -qtAc 'select 1'" >/dev/null 2>&1 && break
      sleep 1
    done
    su postgres -c "psql -qtAc \"select 1 from pg_roles where rolname='trayapp'\"" | grep -q 1 ||
      su postgres -c "psql -qc \"create role trayapp login superuser password 'trayapp'\""
  fi
fi

# Start at login, background service and packaging (tests/platform, packaging/build-bundle.sh):
# systemctl and systemd-analyze (the unit is enabled for real without a running systemd, and
# verified), appstreamcli (AppStream metainfo), binutils (PyInstaller's objdump/objcopy).
platform_packages=(systemd appstream binutils)
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  missing=()
  for p in "${platform_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi
