"""The configuration file: integrations, their operations, schedules, scope and mapping.

A human-editable TOML file (`config.toml` in the config dir; reference: docs/configuration.md).
Loading validates everything and reports the first problem with the file, the key and, where it
can be found, the line. Saving is atomic: a half-written file never replaces a good one.
Secrets are never stored here: only the *names* of keyring entries.
"""

from __future__ import annotations

import os
import re
import tempfile
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import tomli_w

from trayapp.errors import ConfigError
from trayapp.model import PRODUCT_FIELDS

OPERATIONS: tuple[str, ...] = (
    "import-orders",
    "update-order-statuses",
    "export-products",
    "import-products",
    "update-stock",
)
DEFAULT_INTERVAL = 300.0
MIN_INTERVAL = 1.0
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
PLATFORMS = ("woocommerce",)
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$")

DEFAULT_STATUS_TO_SHOP = {"paid": "processing", "on_hold": "on-hold", "shipped": "completed",
                          "cancelled": "cancelled", "refunded": "refunded"}
DEFAULT_STATUS_TO_ERP = {"processing": "new", "on-hold": "on_hold"}

# Operation-specific options: name -> (default, parser). Only these keys are accepted per operation.
_OPTION_KEYS: dict[str, tuple[str, ...]] = {
    "import-orders": ("statuses", "settle_delay"),
    "update-order-statuses": (),
    "export-products": ("labels", "full_scan_every"),
    "import-products": (),
    "update-stock": ("labels", "buffer", "recheck_missing_every"),
}


@dataclass(frozen=True, slots=True)
class TimeWindow:
    """Runs are allowed on these weekdays between start and end (local wall time; end < start spans
    midnight)."""

    days: tuple[str, ...]
    start: time
    end: time

    def contains(self, moment: datetime) -> bool:
        local = moment.astimezone()  # the workstation's local time, DST-aware
        now, day = local.time(), WEEKDAYS[local.weekday()]
        if self.start <= self.end:
            return day in self.days and self.start <= now < self.end
        # spans midnight: the part after midnight belongs to the previous day's window
        previous = WEEKDAYS[(local.weekday() - 1) % 7]
        return (day in self.days and now >= self.start) or (previous in self.days and now < self.end)


@dataclass(frozen=True, slots=True)
class OperationConfig:
    name: str
    enabled: bool = True
    interval: float = DEFAULT_INTERVAL  # seconds
    statuses: tuple[str, ...] = ("processing", "on-hold")  # import-orders
    settle_delay: float = 0.0  # import-orders: hold back orders younger than this (seconds)
    labels: tuple[str, ...] = ()  # export-products / update-stock: only records with one of these
    buffer: Decimal = Decimal(0)  # update-stock: kept back from the available quantity
    full_scan_every: float = 3600.0  # export-products: full comparison at least this often (s)
    recheck_missing_every: float = 3600.0  # update-stock: look again for SKUs the shop lacked (s)


@dataclass(frozen=True, slots=True)
class ErpConfig:
    connection: str  # "sqlite:///path" or an ODBC connection string; "{password}" is substituted
    profile: str = "demo"
    password_secret: str = ""  # keyring entry name holding the database password (optional)


@dataclass(frozen=True, slots=True)
class ShopConfig:
    platform: str
    url: str
    key_secret: str = ""  # keyring entry names; empty = no authentication (the embedded demo shop)
    secret_secret: str = ""
    timeout: float = 60.0
    requests_per_second: float = 10.0
    batch_size: int = 100
    retries: int = 5
    allow_insecure_http: bool = False


@dataclass(frozen=True, slots=True)
class Integration:
    name: str
    erp: ErpConfig
    shop: ShopConfig
    active: bool = True
    automatic_sync: bool = True
    operations: Mapping[str, OperationConfig] = field(default_factory=dict)
    windows: tuple[TimeWindow, ...] = ()  # empty: any time
    status_to_shop: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_STATUS_TO_SHOP))
    status_to_erp: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_STATUS_TO_ERP))
    erp_fields: tuple[str, ...] = PRODUCT_FIELDS  # product fields the ERP masters
    shop_fields: tuple[str, ...] = ()  # product fields the shop masters
    overlap: float = 30.0  # seconds re-read before each watermark
    order_ref_prefix: str = ""  # put before the shop order id in the ERP's external reference
    notifications: bool = True

    def operation(self, name: str) -> OperationConfig:
        return self.operations.get(name) or OperationConfig(name, enabled=False)

    def in_window(self, moment: datetime) -> bool:
        return not self.windows or any(w.contains(moment) for w in self.windows)


@dataclass(frozen=True, slots=True)
class Settings:
    event_history: bool = True
    log_level: str = "INFO"


@dataclass(frozen=True, slots=True)
class Config:
    integrations: tuple[Integration, ...] = ()
    settings: Settings = Settings()
    path: Path | None = None

    def integration(self, name: str) -> Integration:
        for integration in self.integrations:
            if integration.name == name:
                return integration
        known = ", ".join(i.name for i in self.integrations) or "none configured"
        raise ConfigError(f"no integration named '{name}' (known: {known})", path=_str(self.path))

    def with_integration(self, integration: Integration) -> Config:
        """A copy where the integration of that name is replaced (or appended)."""
        items = [i for i in self.integrations if i.name != integration.name]
        position = next((n for n, i in enumerate(self.integrations) if i.name == integration.name),
                        len(items))
        items.insert(position, integration)
        return replace(self, integrations=tuple(items))

    def without_integration(self, name: str) -> Config:
        self.integration(name)
        return replace(self, integrations=tuple(i for i in self.integrations if i.name != name))


# ---------------------------------------------------------------- loading and validation

def load_config(path: Path) -> Config:
    """Load and validate; a missing file is an empty configuration."""
    if not path.exists():
        return Config(path=path)
    text = path.read_text(encoding="utf-8")
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = _line_from_toml_error(str(exc))
        raise ConfigError(f"not valid TOML: {exc}", path=str(path), line=line) from None
    try:
        return parse_config(raw, path=path)
    except ConfigError as exc:
        if exc.line is None and exc.key:
            exc = ConfigError(exc.detail, path=str(path), key=exc.key, line=_line_of_key(text, exc.key))
        raise exc from None


def parse_config(raw: Mapping[str, Any], *, path: Path | None = None) -> Config:
    reader = _Reader(raw, "", _str(path))
    reader.only("version", "settings", "integrations")
    version = reader.get("version", int, 1)
    if version != 1:
        raise reader.error("version", "expected 1 (this trayapp reads configuration version 1)")
    settings_raw = reader.table("settings")
    settings_reader = _Reader(settings_raw, "settings", _str(path))
    settings_reader.only("event_history", "log_level")
    log_level = settings_reader.get("log_level", str, "INFO").upper()
    if log_level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        raise settings_reader.error("log_level", "expected one of DEBUG, INFO, WARNING, ERROR")
    settings = Settings(event_history=settings_reader.get("event_history", bool, True), log_level=log_level)

    integrations: list[Integration] = []
    items = reader.get("integrations", list, [])
    for index, item in enumerate(items):
        key = f"integrations[{index}]"
        if not isinstance(item, Mapping):
            raise ConfigError("expected a table ([[integrations]])", path=_str(path), key=key)
        integration = _parse_integration(_Reader(item, key, _str(path)))
        if any(i.name == integration.name for i in integrations):
            raise ConfigError(f"integration name '{integration.name}' is used twice; names must be unique",
                              path=_str(path), key=f"{key}.name")
        for other in integrations:
            if other.erp.connection == integration.erp.connection and \
                    other.order_ref_prefix == integration.order_ref_prefix:
                raise ConfigError(
                    f"integrations '{other.name}' and '{integration.name}' import orders into the same ERP database "
                    "with the same order_ref_prefix, so their shop order ids could collide; give each integration "
                    "its own prefix (e.g. \"A-\" and \"B-\")", path=_str(path), key=f"{key}.order_ref_prefix")
        integrations.append(integration)
    return Config(tuple(integrations), settings, path)


def _parse_integration(r: _Reader) -> Integration:
    r.only("name", "active", "automatic_sync", "erp", "shop", "operations", "windows", "status_map",
           "ownership", "overlap", "notifications", "order_ref_prefix")
    name = r.get("name", str)
    if not NAME_PATTERN.match(name):
        raise r.error("name", "expected 1-64 letters, digits, spaces, '.', '_' or '-', starting with a "
                              "letter or digit")
    erp_r = r.sub("erp")
    erp_r.only("connection", "profile", "password_secret")
    connection = erp_r.get("connection", str)
    if re.search(r"(?i)\b(pwd|password)\s*=\s*(?!\{password\})[^;]+", connection):
        raise erp_r.error("connection", "contains a password; put '{password}' there instead and store the "
                                        "password with: trayapp secret set <integration> <name>")
    erp = ErpConfig(connection=connection, profile=erp_r.get("profile", str, "demo"),
                    password_secret=erp_r.get("password_secret", str, ""))

    shop_r = r.sub("shop")
    shop_r.only("platform", "url", "key_secret", "secret_secret", "timeout", "requests_per_second",
                "batch_size", "retries", "allow_insecure_http")
    platform = shop_r.get("platform", str, "woocommerce")
    if platform not in PLATFORMS:
        raise shop_r.error("platform", f"expected one of: {', '.join(PLATFORMS)}")
    url = shop_r.get("url", str)
    if not re.match(r"^https?://[^\s/]+", url):
        raise shop_r.error("url", "expected an http:// or https:// address, e.g. https://shop.example.com")
    batch_size = shop_r.get("batch_size", int, 100)
    if not 1 <= batch_size <= 100:
        raise shop_r.error("batch_size", "expected a whole number from 1 to 100")
    shop = ShopConfig(
        platform=platform, url=url.rstrip("/"),
        key_secret=shop_r.get("key_secret", str, ""), secret_secret=shop_r.get("secret_secret", str, ""),
        timeout=shop_r.positive("timeout", 60.0), requests_per_second=shop_r.number("requests_per_second", 10.0),
        batch_size=batch_size, retries=shop_r.get("retries", int, 5),
        allow_insecure_http=shop_r.get("allow_insecure_http", bool, False))

    ops_r = r.sub("operations")
    ops_r.only(*OPERATIONS)
    operations = {}
    for op in OPERATIONS:
        if op in ops_r.raw:
            operations[op] = _parse_operation(op, ops_r.sub(op))

    windows = tuple(_parse_window(_Reader(w, f"{r.prefix}.windows[{n}]", r.path))
                    for n, w in enumerate(r.get("windows", list, [])))

    status_r = r.sub("status_map")
    status_r.only("to_shop", "to_erp")
    to_shop = _string_map(status_r, "to_shop", DEFAULT_STATUS_TO_SHOP)
    to_erp = _string_map(status_r, "to_erp", DEFAULT_STATUS_TO_ERP)

    own_r = r.sub("ownership")
    own_r.only("erp", "shop")
    erp_fields = _field_list(own_r, "erp", PRODUCT_FIELDS)
    shop_fields = _field_list(own_r, "shop", ())
    both = [f for f in erp_fields if f in shop_fields]
    if both:
        raise own_r.error("", f"product field(s) {', '.join(both)} would have two masters (listed under both "
                              "ownership.erp and ownership.shop); give each field to exactly one side")

    prefix = r.get("order_ref_prefix", str, "")
    if not re.fullmatch(r"[A-Za-z0-9_./:-]{0,16}", prefix) or prefix[-1:].isdigit():
        raise r.error("order_ref_prefix", "expected up to 16 letters, digits or _ . / : -, not ending with a digit, "
                                          "e.g. \"WEB-\"")
    return Integration(
        name=name, erp=erp, order_ref_prefix=prefix, shop=shop, active=r.get("active", bool, True),
        automatic_sync=r.get("automatic_sync", bool, True), operations=operations, windows=windows,
        status_to_shop=to_shop, status_to_erp=to_erp, erp_fields=erp_fields, shop_fields=shop_fields,
        overlap=r.number("overlap", 30.0), notifications=r.get("notifications", bool, True))


def _parse_operation(op: str, r: _Reader) -> OperationConfig:
    r.only("enabled", "interval", *_OPTION_KEYS[op])
    interval = parse_duration(r.raw.get("interval", DEFAULT_INTERVAL), r, "interval")
    if interval < MIN_INTERVAL:
        raise r.error("interval", f"expected at least {MIN_INTERVAL:g} second")
    values: dict[str, Any] = {"enabled": r.get("enabled", bool, True), "interval": interval}
    if "statuses" in r.raw:
        values["statuses"] = tuple(r.string_list("statuses"))
    if "settle_delay" in r.raw:
        values["settle_delay"] = parse_duration(r.raw["settle_delay"], r, "settle_delay")
    if "labels" in r.raw:
        values["labels"] = tuple(r.string_list("labels"))
    if "buffer" in r.raw:
        buffer = r.raw["buffer"]
        if isinstance(buffer, bool) or not isinstance(buffer, int | float) or buffer < 0:
            raise r.error("buffer", "expected a number of units, 0 or more")
        values["buffer"] = Decimal(str(buffer))
    for key in ("full_scan_every", "recheck_missing_every"):
        if key in r.raw:
            values[key] = parse_duration(r.raw[key], r, key)
    return OperationConfig(op, **values)


def _parse_window(r: _Reader) -> TimeWindow:
    r.only("days", "start", "end")
    days = _parse_days(r.raw.get("days", "mon-sun"), r)
    start, end = _parse_clock(r, "start"), _parse_clock(r, "end")
    if start == end:
        raise r.error("end", "expected a time different from start")
    return TimeWindow(days, start, end)


def _parse_days(value: Any, r: _Reader) -> tuple[str, ...]:
    parts = value if isinstance(value, list) else str(value).split(",")
    days: list[str] = []
    for part in parts:
        token = str(part).strip().lower()[:7]
        if "-" in token:
            first, _, last = token.partition("-")
            if first[:3] not in WEEKDAYS or last[:3] not in WEEKDAYS:
                raise r.error("days", "expected weekdays like \"mon-fri\" or [\"sat\", \"sun\"]")
            a, b = WEEKDAYS.index(first[:3]), WEEKDAYS.index(last[:3])
            span = range(a, b + 1) if a <= b else [*range(a, 7), *range(0, b + 1)]
            days.extend(WEEKDAYS[i] for i in span)
        elif token[:3] in WEEKDAYS:
            days.append(token[:3])
        else:
            raise r.error("days", "expected weekdays like \"mon-fri\" or [\"sat\", \"sun\"]")
    return tuple(dict.fromkeys(days))


def _parse_clock(r: _Reader, key: str) -> time:
    value = r.get(key, str)
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", value.strip())
    if not match or int(match[1]) > 24 or int(match[2]) > 59 or (int(match[1]) == 24 and int(match[2])):
        raise r.error(key, "expected a time of day as HH:MM, e.g. \"08:00\"")
    hour, minute = int(match[1]), int(match[2])
    return time.max if hour == 24 else time(hour, minute)


_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|sec|m|min|h)?\s*$")


def parse_duration(value: Any, r: _Reader | None = None, key: str = "") -> float:
    """Seconds from a number (seconds) or text like "90s", "5m", "1h", "250ms"."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        seconds = float(value)
    else:
        match = _DURATION.match(str(value))
        if not match:
            message = "expected a duration: seconds as a number, or text like \"30s\", \"5m\", \"1h\""
            if r is not None:
                raise r.error(key, message)
            raise ConfigError(message, key=key or None)
        unit = {"ms": 0.001, "m": 60, "min": 60, "h": 3600}.get(match[2] or "s", 1)
        seconds = float(match[1]) * unit
    if seconds < 0:
        if r is not None:
            raise r.error(key, "expected a duration of 0 or more")
        raise ConfigError("expected a duration of 0 or more", key=key or None)
    return seconds


def _string_map(r: _Reader, key: str, default: Mapping[str, str]) -> dict[str, str]:
    if key not in r.raw:
        return dict(default)
    table = r.raw[key]
    if not isinstance(table, Mapping) or not all(isinstance(v, str) for v in table.values()):
        raise r.error(key, "expected a table of status = \"status\" pairs")
    return dict(table)


def _field_list(r: _Reader, key: str, default: tuple[str, ...]) -> tuple[str, ...]:
    if key not in r.raw:
        return default
    names = r.string_list(key)
    unknown = [n for n in names if n not in PRODUCT_FIELDS]
    if unknown:
        raise r.error(key, f"unknown product field(s) {', '.join(unknown)}; expected some of: "
                           f"{', '.join(PRODUCT_FIELDS)}")
    return tuple(dict.fromkeys(names))


class _Reader:
    """Typed access to one TOML table, producing ConfigErrors that name the full key."""

    def __init__(self, raw: Any, prefix: str, path: str | None) -> None:
        if not isinstance(raw, Mapping):
            raise ConfigError("expected a table", path=path, key=prefix or None)
        self.raw, self.prefix, self.path = raw, prefix, path

    def key(self, name: str) -> str:
        return f"{self.prefix}.{name}" if self.prefix and name else (self.prefix or name)

    def error(self, name: str, message: str) -> ConfigError:
        return ConfigError(message, path=self.path, key=self.key(name))

    def only(self, *allowed: str) -> None:
        for name in self.raw:
            if name not in allowed:
                raise self.error(name, f"unknown setting; expected one of: {', '.join(allowed)}")

    _MISSING = object()

    def get(self, name: str, kind: type, default: Any = _MISSING) -> Any:
        if name not in self.raw:
            if default is self._MISSING:
                raise self.error(name, f"missing; expected {_kind_name(kind)}")
            return default
        value = self.raw[name]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise self.error(name, f"expected {_kind_name(kind)}, got {value!r}")
        if kind is str and not value.strip() and default is self._MISSING:
            raise self.error(name, "must not be empty")
        return value

    def number(self, name: str, default: float) -> float:
        value = self.raw.get(name, default)
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise self.error(name, f"expected a number of 0 or more, got {value!r}")
        return float(value)

    def positive(self, name: str, default: float) -> float:
        value = self.number(name, default)
        if value <= 0:
            raise self.error(name, "expected a number greater than 0")
        return value

    def string_list(self, name: str) -> list[str]:
        value = self.raw.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.error(name, "expected a list of texts, e.g. [\"a\", \"b\"]")
        return value

    def table(self, name: str) -> Mapping[str, Any]:
        value = self.raw.get(name, {})
        if not isinstance(value, Mapping):
            raise self.error(name, "expected a table")
        return value

    def sub(self, name: str) -> _Reader:
        return _Reader(self.table(name), self.key(name), self.path)


def _kind_name(kind: type) -> str:
    return {str: "a text in quotes", bool: "true or false", int: "a whole number", list: "a list",
            float: "a number"}.get(kind, kind.__name__)


def _str(path: Path | None) -> str | None:
    return str(path) if path else None


def _line_from_toml_error(message: str) -> int | None:
    match = re.search(r"line (\d+)", message)
    return int(match[1]) if match else None


def _line_of_key(text: str, dotted: str) -> int | None:
    """Best-effort line of a key like "integrations[1].shop.url" in the TOML text."""
    parts = re.findall(r"[^.\[\]]+|\[\d+\]", dotted)
    table: list[str] = []
    index: int | None = None
    for part in parts[:-1]:
        if part.startswith("["):
            index = int(part[1:-1])
        else:
            table.append(part)
    leaf = parts[-1] if parts and not parts[-1].startswith("[") else None
    if leaf is None:
        return None
    array_seen = -1
    current: list[str] = []
    array_root = table[0] if table else ""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        header = re.match(r"^\[\[\s*([^\]]+?)\s*\]\]", stripped) or re.match(r"^\[\s*([^\]]+?)\s*\]", stripped)
        if header:
            current = [p.strip().strip('"') for p in header[1].split(".")]
            if stripped.startswith("[[") and current == [array_root]:
                array_seen += 1
            continue
        in_item = index is None or array_seen == index
        if in_item and current == table and re.match(rf'^"?{re.escape(leaf)}"?\s*=', stripped):
            return number
    return None


# ---------------------------------------------------------------- saving

def config_to_dict(config: Config) -> dict[str, Any]:
    out: dict[str, Any] = {"version": 1, "settings": {"event_history": config.settings.event_history,
                                                      "log_level": config.settings.log_level}}
    out["integrations"] = [integration_to_dict(i) for i in config.integrations]
    return out


def integration_to_dict(i: Integration) -> dict[str, Any]:
    ops: dict[str, Any] = {}
    for name, op in i.operations.items():
        entry: dict[str, Any] = {"enabled": op.enabled, "interval": _number(op.interval)}
        for key in _OPTION_KEYS[name]:
            value = getattr(op, key)
            entry[key] = list(value) if isinstance(value, tuple) else _number(value)
        ops[name] = entry
    out: dict[str, Any] = {
        "name": i.name, "active": i.active, "automatic_sync": i.automatic_sync,
        "notifications": i.notifications, "overlap": _number(i.overlap), "order_ref_prefix": i.order_ref_prefix,
        "erp": {"connection": i.erp.connection, "profile": i.erp.profile,
                "password_secret": i.erp.password_secret},
        "shop": {"platform": i.shop.platform, "url": i.shop.url, "key_secret": i.shop.key_secret,
                 "secret_secret": i.shop.secret_secret, "timeout": _number(i.shop.timeout),
                 "requests_per_second": _number(i.shop.requests_per_second),
                 "batch_size": i.shop.batch_size, "retries": i.shop.retries,
                 "allow_insecure_http": i.shop.allow_insecure_http},
        "operations": ops,
        "status_map": {"to_shop": dict(i.status_to_shop), "to_erp": dict(i.status_to_erp)},
        "ownership": {"erp": list(i.erp_fields), "shop": list(i.shop_fields)},
    }
    if i.windows:
        out["windows"] = [{"days": list(w.days), "start": _clock(w.start), "end": _clock(w.end)}
                          for w in i.windows]
    return out


def _number(value: Any) -> Any:
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _clock(value: time) -> str:
    return "24:00" if value == time.max else value.strftime("%H:%M")


HEADER = ("# trayapp configuration. Edit by hand or from the tray's Settings; the reference is\n"
          "# docs/configuration.md. Secrets are NOT kept here: *_secret keys name entries in the\n"
          "# operating system's keyring (set them with: trayapp secret set INTEGRATION NAME).\n\n")


def save_config(config: Config, path: Path) -> Config:
    """Validate, then write atomically (temp file + fsync + rename); keeps the previous file as .bak."""
    data = config_to_dict(config)
    parse_config(data, path=path)  # never write something we could not load back
    text = HEADER + tomli_w.dumps(data)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".config-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            backup = path.with_suffix(path.suffix + ".bak")
            backup.write_bytes(path.read_bytes())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return replace(config, path=path)
