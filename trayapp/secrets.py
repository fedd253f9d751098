"""Secrets (API keys, database passwords) live only in the OS keyring.

The configuration holds entry *names*; the values are read here, in one place. Keyring calls can
block (a Secret Service unlock prompt): never call these on a GUI thread.

For machines where no keyring can run (a background service with nobody logged in), a secret may
instead come from the environment variable TRAYAPP_SECRET_<INTEGRATION>_<NAME> (upper-case,
non-alphanumerics as '_'), set by the administrator in the service definition. That is an explicit
choice; trayapp never falls back to storing secrets in plain text by itself.
"""

from __future__ import annotations

import logging
import os
import re
import threading

from trayapp.errors import SecretError

SERVICE = "trayapp"
NO_BACKEND_HELP = (
    "No keyring is available to store secrets. On Linux install and start a Secret Service "
    "(GNOME Keyring: 'apt-get install gnome-keyring', or KWallet), or set the secret in the environment "
    "variable {env} for background use. Windows and macOS have a keyring built in.")


def keyring_user(integration: str, name: str) -> str:
    return f"{integration}/{name}"


def env_name(integration: str, name: str) -> str:
    return "TRAYAPP_SECRET_" + re.sub(r"[^A-Za-z0-9]", "_", f"{integration}_{name}").upper()


def get_secret(integration: str, name: str) -> str:
    """The secret's value; SecretError with what to do when it is missing or unreadable."""
    from_env = os.environ.get(env_name(integration, name))
    if from_env:
        redactor.add(from_env)
        return from_env
    import keyring
    from keyring.errors import KeyringError, NoKeyringError

    try:
        value = keyring.get_password(SERVICE, keyring_user(integration, name))
    except NoKeyringError:
        raise SecretError(NO_BACKEND_HELP.format(env=env_name(integration, name))) from None
    except KeyringError as exc:
        raise SecretError(f"the keyring could not be read ({type(exc).__name__}); is it unlocked?") from None
    if value is None:
        raise SecretError(f"no secret '{name}' for integration '{integration}' in the keyring; store it with: "
                          f"trayapp secret set {_quote(integration)} {_quote(name)}")
    redactor.add(value)
    return value


def set_secret(integration: str, name: str, value: str) -> None:
    import keyring
    from keyring.errors import KeyringError, NoKeyringError

    if not value:
        raise SecretError("refusing to store an empty secret")
    try:
        keyring.set_password(SERVICE, keyring_user(integration, name), value)
    except NoKeyringError:
        raise SecretError(NO_BACKEND_HELP.format(env=env_name(integration, name))) from None
    except KeyringError as exc:
        raise SecretError(f"the keyring refused to store the secret ({type(exc).__name__})") from None
    redactor.add(value)


def delete_secret(integration: str, name: str) -> bool:
    import keyring
    from keyring.errors import KeyringError, PasswordDeleteError

    try:
        keyring.delete_password(SERVICE, keyring_user(integration, name))
    except PasswordDeleteError:
        return False
    except KeyringError as exc:
        raise SecretError(f"the keyring refused to delete the secret ({type(exc).__name__})") from None
    return True


def backend_description() -> str:
    import keyring

    backend = keyring.get_keyring()
    return f"{type(backend).__module__}.{type(backend).__name__}"


def _quote(text: str) -> str:
    return f"'{text}'" if re.search(r"\s", text) else text


class SecretRedactor(logging.Filter):
    """Masks every secret trayapp has read from any log record, as a last line of defence."""

    def __init__(self) -> None:
        super().__init__()
        self._values: set[str] = set()
        self._lock = threading.Lock()

    def add(self, value: str) -> None:
        if len(value) >= 4:
            with self._lock:
                self._values.add(value)

    def redact(self, text: str) -> str:
        for value in self._values:
            if value in text:
                text = text.replace(value, "***")
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if self._values:
            message = record.getMessage()
            redacted = self.redact(message)
            if redacted != message:
                record.msg, record.args = redacted, None
            if record.exc_info and not record.exc_text:
                record.exc_text = self.redact(logging.Formatter().formatException(record.exc_info))
                record.exc_info = None
        return True


redactor = SecretRedactor()
