"""A real Secret Service round trip (gnome-keyring under dbus-run-session): a key typed in the Settings
dialog is stored through keyring's SecretService backend off the GUI thread, read back by trayapp and
by libsecret's secret-tool, and the dialog then shows it as stored.

Runs only with TRAYAPP_TEST_SECRET_SERVICE=1, i.e. under scripts/test-secret-service.sh, which starts
a private D-Bus session with an unlocked gnome-keyring in temporary folders.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from collections.abc import Iterator

import pytest

from trayapp.scheduler import SchedulerService
from trayapp.ui.credentials import SecretState

pytestmark = pytest.mark.skipif(os.environ.get("TRAYAPP_TEST_SECRET_SERVICE") != "1",
                                reason="needs a Secret Service: run scripts/test-secret-service.sh")

TASK_TIMEOUT = 60_000


@pytest.fixture
def secret_service() -> Iterator[object]:
    import keyring
    from keyring.backends import SecretService

    backend = SecretService.Keyring()
    assert backend.priority > 0, "no Secret Service on the session bus"
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def on_worker(fn):
    """Keyring calls from the test itself, off the GUI thread as well."""
    out: list[object] = []
    thread = threading.Thread(target=lambda: out.append(fn()))
    thread.start()
    thread.join(30)
    return out[0]


def test_secret_service_round_trip(qtbot, ui_service: SchedulerService, secret_service) -> None:
    from PySide6.QtCore import Qt

    from trayapp.secrets import delete_secret, get_secret
    from trayapp.ui.settings.dialog import SettingsDialog

    dialog = SettingsDialog(ui_service)
    try:
        with qtbot.waitSignal(dialog.secrets_checked, timeout=TASK_TIMEOUT):
            dialog.show()
        assert not dialog.keyring_label.isVisible()
        shop = dialog.show_page("shop")
        shop.key_field.edit.setFocus()
        qtbot.keyClicks(shop.key_field.edit, "ck_real_secret_service")
        qtbot.keyClick(shop.key_field.edit, Qt.Key.Key_Tab)
        with qtbot.waitSignal(dialog.saved, timeout=TASK_TIMEOUT):
            assert dialog.save() is True
        assert on_worker(lambda: get_secret("t", "wc-key")) == "ck_real_secret_service"
        if shutil.which("secret-tool"):  # libsecret's own view of the same item
            found = subprocess.run(["secret-tool", "lookup", "service", "trayapp", "username", "t/wc-key"],
                                   capture_output=True, text=True, timeout=30)
            assert found.stdout.strip() == "ck_real_secret_service", found.stderr
        qtbot.waitUntil(lambda: shop.key_field.state is SecretState.STORED, timeout=TASK_TIMEOUT)
        assert "ck_real" not in ui_service.config_path.read_text(encoding="utf-8")
    finally:
        qtbot.waitUntil(lambda: not dialog.tasks.busy and not dialog.credentials.tasks.busy, timeout=TASK_TIMEOUT)
        dialog.discard_and_close()
        on_worker(lambda: delete_secret("t", "wc-key"))
