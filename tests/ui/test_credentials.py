"""Credentials typed in the Settings dialog: stored only through trayapp.secrets in the keyring, every
keyring call on a worker thread, the configuration holding only entry names; renamed, duplicated and
removed integrations take their keyring entries along; no keyring backend -> a clear message and
nothing saved (never a plaintext fallback)."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from trayapp.config import load_config
from trayapp.scheduler import SchedulerService
from trayapp.secrets import NO_BACKEND_HELP, SERVICE
from trayapp.ui.credentials import SecretPlan, SecretState, apply_plan, read_secret, secret_states
from trayapp.ui.settings.dialog import SettingsDialog

TASK_TIMEOUT = 30_000


class RecordingKeyring(KeyringBackend):
    """In memory; remembers on which thread every call was made."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}
        self.threads: list[threading.Thread] = []

    def get_password(self, service: str, username: str) -> str | None:
        self.threads.append(threading.current_thread())
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.threads.append(threading.current_thread())
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        from keyring.errors import PasswordDeleteError

        self.threads.append(threading.current_thread())
        if self.store.pop((service, username), None) is None:
            raise PasswordDeleteError("no such password")

    def entries(self) -> dict[str, str]:
        return {user: value for (service, user), value in self.store.items() if service == SERVICE}


@pytest.fixture
def backend() -> Iterator[RecordingKeyring]:
    previous = keyring.get_keyring()
    recording = RecordingKeyring()
    keyring.set_keyring(recording)
    yield recording
    keyring.set_keyring(previous)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def open_dialog(qtbot):
    made: list[SettingsDialog] = []

    def make(service: SchedulerService) -> SettingsDialog:
        dialog = SettingsDialog(service)
        made.append(dialog)
        with qtbot.waitSignal(dialog.secrets_checked, timeout=TASK_TIMEOUT):
            dialog.show()
        return dialog

    yield make
    for dialog in made:
        qtbot.waitUntil(lambda d=dialog: not d.tasks.busy and not d.credentials.tasks.busy, timeout=TASK_TIMEOUT)
        dialog.discard_and_close()
        dialog.deleteLater()


def type_text(qtbot, edit: QLineEdit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    qtbot.keyClicks(edit, text)


def save(qtbot, dialog: SettingsDialog):
    with qtbot.waitSignal(dialog.saved, timeout=TASK_TIMEOUT) as saved:
        assert dialog.save() is True
    return saved.args[0]


def test_typed_credentials_go_to_the_keyring_off_the_gui_thread(qtbot, open_dialog, ui_service, backend) -> None:
    dialog = open_dialog(ui_service)
    shop = dialog.show_page("shop")
    assert shop.key_entry.text() == ""  # the test shop needs no key: no entry yet
    type_text(qtbot, shop.key_field.edit, "ck_typed_key_123")
    type_text(qtbot, shop.secret_field.edit, "cs_typed_secret_456")
    assert shop.key_entry.text() == "wc-key" and shop.secret_entry.text() == "wc-secret"  # default names
    assert dialog.is_dirty() and dialog.save_button.isEnabled()

    save(qtbot, dialog)
    assert backend.entries() == {"t/wc-key": "ck_typed_key_123", "t/wc-secret": "cs_typed_secret_456"}
    gui = threading.main_thread()
    assert backend.threads and all(thread is not gui for thread in backend.threads)  # never on the GUI thread
    # the configuration names the entries; the values are nowhere in it
    text = ui_service.config_path.read_text(encoding="utf-8")
    assert 'key_secret = "wc-key"' in text and 'secret_secret = "wc-secret"' in text
    assert "ck_typed" not in text and "cs_typed" not in text
    assert "ck_typed" not in ui_service.config_path.with_suffix(".toml.bak").read_text(encoding="utf-8")
    shop_config = load_config(ui_service.config_path).integrations[0].shop
    assert (shop_config.key_secret, shop_config.secret_secret) == ("wc-key", "wc-secret")
    # the fields are emptied and now say the values are stored
    qtbot.waitUntil(lambda: shop.key_field.state is SecretState.STORED, timeout=TASK_TIMEOUT)
    assert shop.key_field.value() == "" and "stored in the keyring" in shop.key_field.edit.placeholderText()
    assert not dialog.is_dirty()


def test_the_fields_say_whether_a_value_is_stored(qtbot, open_dialog, ui_service: SchedulerService,
                                                  backend) -> None:
    integration = ui_service.config.integrations[0]
    from dataclasses import replace

    from trayapp.config import Config, save_config

    shop = replace(integration.shop, key_secret="wc-key", secret_secret="wc-secret")
    save_config(Config((replace(integration, shop=shop),)), ui_service.config_path)
    ui_service.reload(force=True)
    backend.store[(SERVICE, "t/wc-key")] = "ck_1"
    dialog = open_dialog(ui_service)
    page = dialog.show_page("shop")
    assert page.key_field.state is SecretState.STORED and page.key_field.state_label.text() == "stored"
    assert page.secret_field.state is SecretState.MISSING and "not stored" in page.secret_field.edit.placeholderText()
    assert page.key_field.value() == ""  # a stored value is never shown
    assert all(thread is not threading.main_thread() for thread in backend.threads)


def test_renaming_moves_and_duplicating_copies_the_credentials(qtbot, open_dialog, ui_service, backend) -> None:
    dialog = open_dialog(ui_service)
    type_text(qtbot, dialog.show_page("shop").key_field.edit, "ck_A")
    type_text(qtbot, dialog.page("shop").secret_field.edit, "cs_A")
    save(qtbot, dialog)
    assert backend.entries() == {"t/wc-key": "ck_A", "t/wc-secret": "cs_A"}

    type_text(qtbot, dialog.show_page("general").name_edit, "main")
    copy = dialog.duplicate_integration()
    type_text(qtbot, dialog.show_page("erp").prefix_edit, "B-")
    assert copy.name == "main-copy" and dialog.problems == [], dialog.problems
    save(qtbot, dialog)
    assert backend.entries() == {"main/wc-key": "ck_A", "main/wc-secret": "cs_A",
                                 "main-copy/wc-key": "ck_A", "main-copy/wc-secret": "cs_A"}

    # a key typed for the copy replaces only the copy's
    dialog.list.setCurrentRow(1)
    type_text(qtbot, dialog.show_page("shop").key_field.edit, "ck_B")
    save(qtbot, dialog)
    assert backend.entries()["main-copy/wc-key"] == "ck_B" and backend.entries()["main/wc-key"] == "ck_A"

    # removing an integration removes its entries
    dialog.remove_integration()
    save(qtbot, dialog)
    assert backend.entries() == {"main/wc-key": "ck_A", "main/wc-secret": "cs_A"}
    assert all(thread is not threading.main_thread() for thread in backend.threads)


def test_the_erp_password_is_stored_under_its_entry(qtbot, open_dialog, ui_service, backend) -> None:
    dialog = open_dialog(ui_service)
    erp = dialog.show_page("erp")
    erp.mode_combo.setCurrentIndex(erp.mode_combo.findData("raw"))
    erp.raw_edit.setPlainText("DRIVER={PostgreSQL Unicode};Server=db;Database=erp;UID=sync;PWD={password}")
    assert erp.password.isVisible() and erp.password_entry.text() == "erp-password"
    type_text(qtbot, erp.password.edit, "s3cret;}x")
    save(qtbot, dialog)
    assert backend.entries() == {"t/erp-password": "s3cret;}x"}
    text = ui_service.config_path.read_text(encoding="utf-8")
    assert "s3cret" not in text and 'password_secret = "erp-password"' in text


def test_without_a_keyring_the_user_is_told_what_to_install_and_nothing_is_saved(
        qtbot, open_dialog, ui_service, no_keyring) -> None:
    before = ui_service.config_path.read_bytes()
    dialog = open_dialog(ui_service)
    # said when the dialog opens, before anything is typed
    assert dialog.keyring_label.isVisible()
    assert "gnome-keyring" in dialog.keyring_label.text() and "No keyring is available" in dialog.keyring_label.text()
    shop = dialog.show_page("shop")
    assert shop.key_field.state is SecretState.UNAVAILABLE
    type_text(qtbot, shop.key_field.edit, "ck_nowhere_to_go")
    with qtbot.waitSignal(dialog.save_failed, timeout=TASK_TIMEOUT) as failed:
        assert dialog.save() is True
    message = failed.args[0]
    assert "Nothing was saved" in message and "keyring" in message and "clear the password and key fields" in message
    assert "gnome-keyring" in dialog.keyring_label.text()
    assert ui_service.config_path.read_bytes() == before  # no plaintext fallback, no half-saved settings
    assert "ck_nowhere" not in "".join(p.read_text(errors="replace") for p in ui_service.config_path.parent.rglob("*")
                                       if p.is_file())
    assert dialog.is_dirty() and dialog.save_button.isEnabled()  # the user can still clear the field and save

    # with the credential fields cleared, the other settings save fine
    type_text(qtbot, shop.key_field.edit, "")
    dialog.page("general").active_box.setChecked(False)
    save(qtbot, dialog)
    assert not load_config(ui_service.config_path).integrations[0].active


def test_the_blocking_calls_refuse_the_gui_thread(qtbot, backend) -> None:
    with pytest.raises(RuntimeError, match="never on the GUI thread"):
        apply_plan(SecretPlan(writes=(("t", "wc-key", "x"),)))
    with pytest.raises(RuntimeError, match="never on the GUI thread"):
        secret_states([("t", "wc-key")])
    with pytest.raises(RuntimeError, match="never on the GUI thread"):
        read_secret("t", "wc-key")
    assert backend.store == {}


def test_no_backend_message_is_the_core_one(no_keyring) -> None:
    result: list[BaseException] = []

    def work() -> None:
        try:
            secret_states([("t", "wc-key")])
        except BaseException as exc:
            result.append(exc)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert str(result[0]) == NO_BACKEND_HELP.format(env="TRAYAPP_SECRET_T_WC_KEY")


def test_a_key_typed_and_cleared_again_leaves_no_entry_name(qtbot, open_dialog, ui_service, backend) -> None:
    dialog = open_dialog(ui_service)
    shop = dialog.show_page("shop")
    type_text(qtbot, shop.key_field.edit, "ck_x")
    assert dialog.current.raw["shop"]["key_secret"] == "wc-key"
    type_text(qtbot, shop.key_field.edit, "")
    assert dialog.current.raw["shop"]["key_secret"] == "" and not dialog.is_dirty()
