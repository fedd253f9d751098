#!/usr/bin/env bash
# The test command (README, CI): installs what the tests talk to, installs trayapp with its test
# extras, checks style, runs the whole suite. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-test-env.sh
python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore -e ".[test]"
ruff check trayapp tests
python3 -m pytest -q "$@"
# Credentials through a real Secret Service (gnome-keyring in a private D-Bus session).
bash scripts/test-secret-service.sh

# The frozen build: the PyInstaller one-folder bundle, built and run for real (about a minute; see
# packaging/build-bundle.sh). Developers may skip it with TRAYAPP_SKIP_BUNDLE=1; CI always runs it.
if [ "${TRAYAPP_SKIP_BUNDLE:-0}" = 1 ] && [ "${CI:-}" != true ]; then
  echo "skipped: the frozen bundle (TRAYAPP_SKIP_BUNDLE=1)"
else
  bash packaging/build-bundle.sh
fi
