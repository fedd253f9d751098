"""Error types the core raises. Whole-run failures are exceptions; per-record failures are values.

Exit codes of the CLI follow these: ConfigError / ConnectionFailure -> 2.
"""

from __future__ import annotations


class TrayappError(Exception):
    """Base of all errors trayapp reports to a user."""


class ConfigError(TrayappError):
    """The configuration (or a profile) is invalid: names the file, the key/line and what is expected."""

    def __init__(self, message: str, *, path: str | None = None, key: str | None = None,
                 line: int | None = None) -> None:
        self.path = path
        self.key = key
        self.line = line
        self.detail = message
        where = []
        if path:
            where.append(str(path))
        if line is not None:
            where.append(f"line {line}")
        if key:
            where.append(f"key '{key}'")
        prefix = ", ".join(where)
        super().__init__(f"{prefix}: {message}" if prefix else message)


class ConnectionFailure(TrayappError):
    """A side cannot be reached or refuses us (network, authentication, driver missing).

    The whole run fails and its watermark stays where it was.
    """


class ShopError(ConnectionFailure):
    """The shop answered in a way that fails the whole request (after retries)."""

    def __init__(self, message: str, *, status: int | None = None, code: str = "") -> None:
        self.status = status
        self.code = code
        super().__init__(message)


class ErpError(ConnectionFailure):
    """The ERP database failed a statement in a way that fails the whole run."""


class RecordError(TrayappError):
    """One record cannot be processed (bad data, unknown SKU); the run goes on without it."""


class SecretError(TrayappError):
    """A secret cannot be read or stored (no keyring backend, missing entry)."""


class Cancelled(TrayappError):
    """The run was asked to stop; finished work is kept, the watermark is not moved."""
