"""The Settings dialog's editing state, without widgets.

Each integration being edited is a `Draft`: the integration as the TOML-shaped dict that
`config.integration_to_dict` writes (so keys the dialog does not show - timeouts, overlap, settle
delay, ... - survive untouched), plus what was typed into credential fields and what the keyring
entries are named at the source. Validation runs the core's own parser (`config.parse_config`) on
the would-be configuration, once per integration (so each shows its own first problem) and once as
a whole (names used twice, two integrations importing into one ERP with one prefix), and maps each
ConfigError back to a key relative to the integration ("shop.url", "operations.update-stock.interval").
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication

from trayapp.config import (
    DEFAULT_INTERVAL,
    OPERATIONS,
    Config,
    ErpConfig,
    Integration,
    OperationConfig,
    ShopConfig,
    config_to_dict,
    integration_to_dict,
    parse_config,
)
from trayapp.erp.connection import PASSWORD_PLACEHOLDER
from trayapp.errors import ConfigError
from trayapp.ui.credentials import DEFAULT_KEY_SECRET, DEFAULT_PASSWORD_SECRET, DEFAULT_SECRET_SECRET, SecretPlan
from trayapp.ui.settings.odbc import is_sqlite, parse_odbc

# credential role -> (section, key) in the integration's dict
SECRET_KEYS: dict[str, tuple[str, str]] = {
    "password": ("erp", "password_secret"),
    "key": ("shop", "key_secret"),
    "secret": ("shop", "secret_secret"),
}
DEFAULT_SECRET_NAMES = {"password": DEFAULT_PASSWORD_SECRET, "key": DEFAULT_KEY_SECRET,
                        "secret": DEFAULT_SECRET_SECRET}
DISABLED_BY_DEFAULT = ("import-products",)  # writes into the ERP: switched on deliberately


@dataclass(frozen=True, slots=True)
class Problem:
    index: int | None  # the draft's position; None: application settings
    key: str  # relative to the integration ("shop.url"), or "settings.<key>"
    message: str


@dataclass
class Draft:
    raw: dict[str, Any]
    original: str | None = None  # its name in the saved configuration (None: not saved yet)
    secret_source: str | None = None  # whose keyring entries it starts from (itself, or what it duplicates)
    source_names: dict[str, str] = field(default_factory=dict)  # role -> entry name at the source
    typed: dict[str, str] = field(default_factory=dict)  # role -> typed value, stored on Save
    erp_mode: str = ""  # the ERP page's mode: "odbc", "sqlite", "raw" ("" until shown)
    page_problems: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # page -> (key, message)

    @property
    def name(self) -> str:
        return str(self.raw.get("name", ""))

    def secret_name(self, role: str) -> str:
        section, key = SECRET_KEYS[role]
        return str(self.raw.get(section, {}).get(key, ""))

    def set_secret_name(self, role: str, name: str) -> None:
        section, key = SECRET_KEYS[role]
        self.raw.setdefault(section, {})[key] = name

    def operation(self, op: str) -> dict[str, Any]:
        return self.raw.setdefault("operations", {}).setdefault(op, {"enabled": False, "interval": DEFAULT_INTERVAL})

    def secret_refs(self) -> dict[str, str]:
        return {role: self.secret_name(role) for role in SECRET_KEYS if self.secret_name(role)}


def normalized(integration: Integration) -> dict[str, Any]:
    """The integration's dict with every operation present (absent ones as disabled)."""
    operations = {op: integration.operations.get(op) or OperationConfig(op, enabled=False) for op in OPERATIONS}
    return integration_to_dict(replace(integration, operations=operations))


def draft_of(integration: Integration) -> Draft:
    raw = normalized(integration)
    draft = Draft(raw=raw, original=integration.name, secret_source=integration.name)
    draft.source_names = draft.secret_refs()
    return draft


def unique_name(base: str, taken: Sequence[str]) -> str:
    base = re.sub(r"[^A-Za-z0-9 _.-]", "-", base).strip(" -_.")[:56] or "integration"
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def new_draft(taken: Sequence[str]) -> Draft:
    """A fresh integration: WooCommerce, every operation but product import every 5 minutes,
    credentials under the default keyring entry names. ERP and shop are still to be filled in."""
    integration = Integration(
        name=unique_name("new-integration", taken),
        erp=ErpConfig(connection="", profile="staging", password_secret=DEFAULT_PASSWORD_SECRET),
        shop=ShopConfig(platform="woocommerce", url="", key_secret=DEFAULT_KEY_SECRET,
                        secret_secret=DEFAULT_SECRET_SECRET),
        operations={op: OperationConfig(op, enabled=op not in DISABLED_BY_DEFAULT) for op in OPERATIONS})
    return Draft(raw=normalized(integration), erp_mode="odbc")


def duplicate_draft(source: Draft, taken: Sequence[str]) -> Draft:
    """A copy under a new name; its credentials are copied in the keyring on Save."""
    raw = copy.deepcopy(source.raw)
    raw["name"] = unique_name(f"{source.name}-copy", taken)
    return Draft(raw=raw, original=None, secret_source=source.secret_source,
                 source_names=dict(source.source_names), typed=dict(source.typed), erp_mode=source.erp_mode)


# ---------------------------------------------------------------- validation

def relative_key(key: str | None) -> tuple[int | None, str]:
    """'integrations[2].shop.url' -> (2, 'shop.url'); 'settings.log_level' -> (None, 'settings.log_level')."""
    if not key:
        return None, ""
    match = re.match(r"^integrations\[(\d+)\]\.?(.*)$", key)
    if match:
        return int(match[1]), match[2]
    return None, key


def _ui_problems(draft: Draft) -> list[tuple[str, str]]:
    """What the core accepts but cannot work: checked here, on top of parse_config."""
    problems: list[tuple[str, str]] = []
    erp = draft.raw.get("erp", {})
    connection = str(erp.get("connection", ""))
    if draft.erp_mode == "odbc" and connection.strip():
        parts = parse_odbc(connection)
        if parts is not None:
            if not parts.driver.strip():
                problems.append(("erp.driver", QCoreApplication.translate("SettingsCheck", "choose an ODBC driver")))
            elif is_sqlite(parts.driver):
                if not parts.database.strip():
                    problems.append(("erp.database", QCoreApplication.translate(
                        "SettingsCheck", "choose the SQLite database file")))
            elif not parts.server.strip():
                problems.append(("erp.server", QCoreApplication.translate(
                    "SettingsCheck", "enter the database server, e.g. localhost\\SQLEXPRESS")))
    if PASSWORD_PLACEHOLDER in connection and not str(erp.get("password_secret", "")).strip():
        problems.append(("erp.password_secret", QCoreApplication.translate(
            "SettingsCheck", "the connection uses a password: give the keyring entry that holds it "
                             "(e.g. erp-password)")))
    if not str(erp.get("profile", "")).strip():
        problems.append(("erp.profile", QCoreApplication.translate(
            "SettingsCheck", "choose the ERP profile (demo, staging or your own)")))
    for page_problems in draft.page_problems.values():
        problems.extend(page_problems)
    return problems


def _skeleton(index: int) -> dict[str, Any]:
    """A minimal valid integration, unique per position (so placeholders never collide)."""
    return {"name": f"invalid-placeholder-{index}", "erp": {"connection": f"sqlite:///invalid-placeholder-{index}.db"},
            "shop": {"platform": "woocommerce", "url": "https://invalid.invalid"}}


def _draft_problems(index: int, raw: Mapping[str, Any]) -> tuple[list[tuple[str, str]], dict[str, Any]]:
    """The core's verdict on one integration, one problem per top-level key (name, erp, shop,
    operations, ...: parse_config stops at the first), and a copy with those keys replaced by valid
    placeholders, for the cross-integration checks."""
    try:
        parse_config({"version": 1, "integrations": [dict(raw)]})
        return [], dict(raw)
    except ConfigError as exc:
        first = exc
    problems: list[tuple[str, str]] = []
    sanitized = dict(raw)
    skeleton = _skeleton(index)
    for key in raw:
        trial = {**skeleton, key: raw[key]}
        try:
            parse_config({"version": 1, "integrations": [trial]})
        except ConfigError as exc:
            problems.append((relative_key(exc.key)[1], exc.detail))
            if key in skeleton:
                sanitized[key] = skeleton[key]
            else:
                sanitized.pop(key)
    if not problems:  # a problem only the combination shows
        problems.append((relative_key(first.key)[1], first.detail))
    return problems, sanitized


def validate(drafts: Sequence[Draft], settings: Mapping[str, Any]) -> list[Problem]:
    """Every problem the dialog shows inline; empty means Save may write the file."""
    problems: list[Problem] = []
    sanitized: list[dict[str, Any]] = []
    for index, draft in enumerate(drafts):
        for key, message in _ui_problems(draft):
            problems.append(Problem(index, key, message))
        found, clean = _draft_problems(index, draft.raw)
        problems.extend(Problem(index, key, message) for key, message in found)
        sanitized.append(clean)
    try:  # names used twice, one ERP with one prefix twice, the application settings
        parse_config({"version": 1, "settings": dict(settings), "integrations": sanitized})
    except ConfigError as exc:
        index, key = relative_key(exc.key)
        if not any(p.index == index and p.key == key for p in problems):
            problems.append(Problem(index, key, exc.detail))
    return problems


def whole(drafts: Sequence[Draft], settings: Mapping[str, Any]) -> dict[str, Any]:
    return {"version": 1, "settings": dict(settings), "integrations": [d.raw for d in drafts]}


def build_config(drafts: Sequence[Draft], settings: Mapping[str, Any], path: Path | None) -> Config:
    """The Config to save (raises ConfigError when validate() would have said so)."""
    return parse_config(whole(drafts, settings), path=path)


def settings_dict(config: Config) -> dict[str, Any]:
    return dict(config_to_dict(config)["settings"])


# ---------------------------------------------------------------- credentials on Save

def secret_plan(drafts: Sequence[Draft], saved: Sequence[Integration]) -> SecretPlan:
    """Typed values are written; a renamed or duplicated integration gets its source's entries
    copied (unless a value was typed); entries no integration uses any more are deleted."""
    writes: list[tuple[str, str, str]] = []
    copies: list[tuple[tuple[str, str], tuple[str, str]]] = []
    kept: set[tuple[str, str]] = set()
    for draft in drafts:
        for role, name in draft.secret_refs().items():
            kept.add((draft.name, name))
            value = draft.typed.get(role, "")
            if value:
                writes.append((draft.name, name, value))
                continue
            source_name = draft.source_names.get(role, "")
            if draft.secret_source and source_name and (draft.secret_source, source_name) != (draft.name, name):
                copies.append(((draft.secret_source, source_name), (draft.name, name)))
    deletes = []
    for integration in saved:
        for name in (integration.erp.password_secret, integration.shop.key_secret, integration.shop.secret_secret):
            if name and (integration.name, name) not in kept and (integration.name, name) not in deletes:
                deletes.append((integration.name, name))
    return SecretPlan(tuple(writes), tuple(copies), tuple(deletes))


def mark_saved(drafts: Sequence[Draft]) -> None:
    """After a successful Save: each draft is now what the file holds."""
    for draft in drafts:
        draft.original = draft.name
        draft.secret_source = draft.name
        draft.source_names = draft.secret_refs()
        draft.typed.clear()
