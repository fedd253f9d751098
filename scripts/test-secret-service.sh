#!/usr/bin/env bash
# The real Secret Service round trip of the credentials (tests/ui/test_credentials_secret_service.py):
# a private D-Bus session with gnome-keyring unlocked (password "pw"), its data in temporary folders,
# so nothing of the user's own keyring is touched.
#
#   bash scripts/test-secret-service.sh [PYTEST ARGS...]
#
# Needs gnome-keyring dbus-daemon dbus-bin libsecret-tools (scripts/setup-test-env.sh installs them).
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in dbus-run-session gnome-keyring-daemon; do
  command -v "$tool" >/dev/null || {
    echo "test-secret-service: $tool is missing (apt-get install gnome-keyring dbus-daemon dbus-bin libsecret-tools)" >&2
    exit 2
  }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/data" "$work/runtime"
chmod 700 "$work/runtime"
export XDG_DATA_HOME="$work/data" XDG_RUNTIME_DIR="$work/runtime" TRAYAPP_TEST_SECRET_SERVICE=1
export QT_QPA_PLATFORM=offscreen

dbus-run-session -- sh -c '
  echo -n pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  exec python3 -m pytest -q -p no:cacheprovider tests/ui/test_credentials_secret_service.py "$@"
' test-secret-service "$@"
