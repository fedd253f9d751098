"""Credentials in the windows: typed into a SecretField, stored only in the OS keyring.

The configuration holds only the *names* of keyring entries (`erp.password_secret`,
`shop.key_secret`, `shop.secret_secret`); the values go through trayapp.secrets, and every keyring
call runs on a worker thread (a Secret Service unlock can block): `Credentials` runs them one at a
time off the GUI thread and hands results back on it. The blocking functions refuse to run on the
GUI thread. Without a keyring backend the user is told what to install (secrets.NO_BACKEND_HELP);
nothing is ever written anywhere else instead.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum

from PySide6.QtCore import QCoreApplication, QObject, QThread
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QWidget

from trayapp import secrets
from trayapp.errors import SecretError
from trayapp.ui.settings.tasks import Tasks

DEFAULT_PASSWORD_SECRET = "erp-password"
DEFAULT_KEY_SECRET = "wc-key"
DEFAULT_SECRET_SECRET = "wc-secret"

_keyring_lock = threading.Lock()  # one keyring conversation at a time

Ref = tuple[str, str]  # (integration, entry name)


class SecretState(Enum):
    UNKNOWN = "unknown"  # not looked at (no entry name, or not checked yet)
    CHECKING = "checking"
    STORED = "stored"  # in the keyring
    MISSING = "missing"  # the keyring has no such entry
    ENVIRONMENT = "environment"  # TRAYAPP_SECRET_... is set for this process
    UNAVAILABLE = "unavailable"  # no keyring backend, or the keyring could not be read


@dataclass(frozen=True, slots=True)
class SecretPlan:
    """What Save does in the keyring, in this order: writes, copies, deletes."""

    writes: tuple[tuple[str, str, str], ...] = ()  # (integration, name, value)
    copies: tuple[tuple[Ref, Ref], ...] = ()  # (from, to): a renamed or duplicated integration
    deletes: tuple[Ref, ...] = ()  # entries of removed integrations (or moved away by a rename)
    notes: list[str] = field(default_factory=list)  # filled while applying: copies that had nothing to copy

    def __bool__(self) -> bool:
        return bool(self.writes or self.copies or self.deletes)


def on_gui_thread() -> bool:
    app = QCoreApplication.instance()
    return app is not None and QThread.currentThread() is app.thread()


def _off_gui_thread() -> None:
    if on_gui_thread():
        raise RuntimeError("keyring calls can block (a Secret Service unlock): never on the GUI thread")


def _require_backend(integration: str, name: str) -> None:
    import keyring
    from keyring.backends import fail

    if isinstance(keyring.get_keyring(), fail.Keyring):
        env = secrets.env_name(integration, name) if not integration.startswith("<") \
            else "TRAYAPP_SECRET_<INTEGRATION>_<NAME>"
        raise SecretError(secrets.NO_BACKEND_HELP.format(env=env))


def secret_states(refs: Iterable[Ref]) -> dict[Ref, SecretState]:
    """Which entries exist. Blocks; raises SecretError (with what to install) without a keyring."""
    _off_gui_thread()
    out: dict[Ref, SecretState] = {}
    wanted = list(refs)
    with _keyring_lock:
        # said up front, even before any credential is configured
        _require_backend(*(next(((i, n) for i, n in wanted if n), ("<INTEGRATION>", "<NAME>"))))
        for integration, name in wanted:
            if not name:
                out[(integration, name)] = SecretState.UNKNOWN
                continue
            if os.environ.get(secrets.env_name(integration, name)):
                out[(integration, name)] = SecretState.ENVIRONMENT
                continue
            _require_backend(integration, name)
            try:
                secrets.get_secret(integration, name)
            except SecretError:
                out[(integration, name)] = SecretState.MISSING
            else:
                out[(integration, name)] = SecretState.STORED
    return out


def read_secret(integration: str, name: str, typed: str = "") -> str | None:
    """What a connection test uses: the typed value, else the stored one (None without an entry
    name). Blocks; SecretError when it is needed but cannot be read."""
    if typed:
        return typed
    if not name:
        return None
    _off_gui_thread()
    with _keyring_lock:
        return secrets.get_secret(integration, name)


def apply_plan(plan: SecretPlan) -> SecretPlan:
    """Store, copy and delete through trayapp.secrets. Blocks; SecretError stops at the first problem."""
    _off_gui_thread()
    with _keyring_lock:
        for integration, name, value in plan.writes:
            _require_backend(integration, name)
            secrets.set_secret(integration, name, value)
        for (src_integration, src_name), (integration, name) in plan.copies:
            _require_backend(integration, name)
            if os.environ.get(secrets.env_name(src_integration, src_name)):
                plan.notes.append(f"{src_integration}/{src_name}: set in the environment, not copied")
                continue
            try:
                value = secrets.get_secret(src_integration, src_name)
            except SecretError:
                plan.notes.append(f"{src_integration}/{src_name}: not in the keyring, nothing to copy")
                continue
            secrets.set_secret(integration, name, value)
        for integration, name in plan.deletes:
            secrets.delete_secret(integration, name)
    return plan


class Credentials(QObject):
    """The dialog's keyring worker: every call on a worker thread, callbacks on the GUI thread."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tasks = Tasks(self)

    def check(self, refs: Sequence[Ref], on_done: Callable[[dict[Ref, SecretState]], None],
              on_error: Callable[[BaseException], None]) -> int:
        wanted = tuple(refs)
        return self.tasks.run(lambda: secret_states(wanted), on_done, on_error, name="keyring-check")

    def store(self, plan: SecretPlan, on_done: Callable[[SecretPlan], None],
              on_error: Callable[[BaseException], None]) -> int:
        return self.tasks.run(lambda: apply_plan(plan), on_done, on_error, name="keyring-store")


class SecretField(QWidget):
    """A password box that never shows a stored value: its placeholder says whether one is stored,
    and what is typed is stored in the keyring on Save."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit()
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.edit.setClearButtonEnabled(True)
        self.state_label = QLabel()
        self.state_label.setEnabled(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.state_label)
        self.textChanged = self.edit.textChanged
        self.state = SecretState.UNKNOWN
        self.set_state(SecretState.UNKNOWN)

    def value(self) -> str:
        return self.edit.text()

    def set_value(self, text: str) -> None:
        self.edit.setText(text)

    def set_state(self, state: SecretState, detail: str = "") -> None:
        self.state = state
        placeholder, label = {
            SecretState.UNKNOWN: ("", ""),
            SecretState.CHECKING: (self.tr("checking the keyring…"), ""),
            SecretState.STORED: (self.tr("stored in the keyring - type to replace it"), self.tr("stored")),
            SecretState.MISSING: (self.tr("not stored yet - type it here"), self.tr("not stored")),
            SecretState.ENVIRONMENT: (self.tr("set in an environment variable"), self.tr("environment")),
            SecretState.UNAVAILABLE: (self.tr("no keyring available"), self.tr("no keyring")),
        }[state]
        self.edit.setPlaceholderText(placeholder)
        self.state_label.setText(label)
        self.edit.setToolTip(detail)
