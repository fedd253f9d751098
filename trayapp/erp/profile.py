"""ERP profiles: TOML data files of named SQL statements (format: docs/profiles.md).

A profile is looked up by name (the user's profiles folder first, then the shipped ones) or loaded
from a path, and fully checked on load: unknown keys, missing statements, parameters a statement may
not use. Every error is a ConfigError naming the file, the key and, where known, the line.
Named parameters (`:sku`) are translated to `?` with the matching value order, so the same profile
SQL runs on SQL Server, PostgreSQL and SQLite.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from trayapp.errors import ConfigError
from trayapp.paths import app_paths

FORMAT_VERSION = 1

_ADDRESS = ("first_name", "last_name", "company", "address_1", "address_2", "city", "postcode", "country",
            "state", "email", "phone")
_CUSTOMER = ("email", "first_name", "last_name", "company", "phone", "tax_id", "shop_customer_id")

PRODUCT_COLUMNS = ("sku", "name", "price", "sale_price", "description", "short_description", "category",
                   "categories", "tax_class", "weight", "ean", "active", "parent_sku", "modified_at")
PRODUCT_PARAMS = frozenset(("sku", "name", "price", "sale_price", "description", "short_description",
                            "category", "categories", "tax_class", "weight", "ean", "active", "parent_sku",
                            "modified_at"))
CUSTOMER_PARAMS = frozenset(
    ("customer_ref", "external_ref", "now", *_CUSTOMER,
     *(f"billing_{name}" for name in _ADDRESS), *(f"shipping_{name}" for name in _ADDRESS))
)
ORDER_PARAMS = frozenset(
    ("external_ref", "number", "status", "created_at", "modified_at", "currency", "total", "shipping_total",
     "tax_total", "payment_method", "customer_note", "customer_key", "customer_ref", "line_count", "now",
     *(f"customer_{name}" for name in _CUSTOMER if name != "shop_customer_id"), "shop_customer_id",
     *(f"billing_{name}" for name in _ADDRESS), *(f"shipping_{name}" for name in _ADDRESS))
)
LINE_PARAMS = frozenset(("order_key", "external_ref", "line_no", "sku", "name", "quantity", "unit_price",
                         "total", "tax", "net_total", "product_key", "shop_line_id"))


@dataclass(frozen=True, slots=True)
class StatementSpec:
    """What a statement may use and must return."""

    name: str
    kind: str  # "rows": many rows read by column name; "value": first column of the first row; "write"
    params: frozenset[str] = frozenset()
    required_params: frozenset[str] = frozenset()
    columns: tuple[str, ...] = ()  # "rows": the columns understood
    required_columns: tuple[tuple[str, ...], ...] = ()  # each entry: one of these names must be there
    summary: str = ""


SPECS: dict[str, StatementSpec] = {spec.name: spec for spec in (
    StatementSpec("read_products", "rows", columns=PRODUCT_COLUMNS,
                  required_columns=(("sku",), ("name",), ("price",)),
                  summary="all products, one row per product/variation"),
    StatementSpec("read_products_changed", "rows", frozenset({"changed_since"}), frozenset({"changed_since"}),
                  PRODUCT_COLUMNS, (("sku",), ("name",), ("price",)),
                  summary="products changed at or after :changed_since (UTC)"),
    StatementSpec("product_labels", "rows", columns=("sku", "label"), required_columns=(("sku",), ("label",)),
                  summary="(sku, label) pairs: tags/groups used to scope exports"),
    StatementSpec("read_stock", "rows", columns=("sku", "on_hand", "reserved"),
                  required_columns=(("sku",), ("on_hand",)), summary="one row per SKU"),
    StatementSpec("read_order_statuses", "rows", columns=("external_ref", "status", "erp_key", "changed_at"),
                  required_columns=(("external_ref",), ("status",)),
                  summary="statuses of orders that carry an external reference"),
    StatementSpec("read_order_statuses_changed", "rows", frozenset({"changed_since"}),
                  frozenset({"changed_since"}), ("external_ref", "status", "erp_key", "changed_at"),
                  (("external_ref",), ("status",)), summary="statuses changed at or after :changed_since"),
    StatementSpec("find_order", "value", frozenset({"external_ref"}), frozenset({"external_ref"}),
                  summary="the ERP key of the order with this external reference"),
    StatementSpec("find_customer", "value", frozenset({"email", "customer_ref"}),
                  summary="the ERP key of the customer (by e-mail and/or customer_ref)"),
    StatementSpec("insert_customer", "write", CUSTOMER_PARAMS, summary="create the order's customer"),
    StatementSpec("insert_order", "write", ORDER_PARAMS, frozenset({"external_ref"}),
                  summary="create the order header; must store :external_ref"),
    StatementSpec("insert_order_line", "write", LINE_PARAMS, frozenset({"order_key"}),
                  summary="create one order line"),
    StatementSpec("find_product_key", "value", frozenset({"sku"}), frozenset({"sku"}),
                  summary="the ERP key of the product with this SKU (checks order lines)"),
    StatementSpec("find_product", "rows", frozenset({"sku"}), frozenset({"sku"}), PRODUCT_COLUMNS,
                  (("sku",), ("name",), ("price",)), summary="one product by SKU, columns as read_products"),
    StatementSpec("insert_product", "write", PRODUCT_PARAMS, frozenset({"sku"}), summary="create a product"),
    StatementSpec("update_product", "write", PRODUCT_PARAMS, frozenset({"sku"}),
                  summary="overwrite a product's synchronised fields"),
)}

# Which statements each operation needs. A profile either has all statements of a group or none.
OPERATION_STATEMENTS: dict[str, tuple[str, ...]] = {
    "export-products": ("read_products",),
    "update-stock": ("read_stock",),
    "update-order-statuses": ("read_order_statuses",),
    "import-orders": ("find_order", "insert_order", "insert_order_line", "find_product_key"),
    "import-products": ("find_product", "insert_product", "update_product"),
}
# Optional statements and the statements they belong with.
COMPANIONS: dict[str, tuple[str, ...]] = {
    "read_products_changed": ("read_products",),
    "read_order_statuses_changed": ("read_order_statuses",),
    "find_customer": ("insert_customer", "insert_order"),
    "insert_customer": ("find_customer", "insert_order"),
    "product_labels": (),
}

TOP_LEVEL_KEYS = ("format", "name", "description", "notes", "order_statuses", "statements")
_NAME_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
_IDENT_START = re.compile(r"[A-Za-z_]")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def translate(sql: str) -> tuple[str, tuple[str, ...]]:
    """`:name` parameters → `?`, returning the new text and the parameter names in binding order
    (a name used twice appears twice). String literals, quoted identifiers ("x", [x]), comments and
    PostgreSQL `::` casts are left alone. A bare `?` raises ValueError: profiles use names."""
    out: list[str] = []
    names: list[str] = []
    i, n = 0, len(sql)
    while i < n:
        ch = sql[i]
        if ch in "'\"[":
            close = "]" if ch == "[" else ch
            j = i + 1
            while j < n:
                if sql[j] == close:
                    if close != "]" and j + 1 < n and sql[j + 1] == close:  # doubled quote
                        j += 2
                        continue
                    break
                j += 1
            if j >= n:
                raise ValueError(f"unterminated {ch}...{close} starting at character {i + 1}")
            out.append(sql[i:j + 1])
            i = j + 1
        elif sql.startswith("--", i):
            j = sql.find("\n", i)
            j = n if j < 0 else j
            out.append(sql[i:j])
            i = j
        elif sql.startswith("/*", i):
            j = sql.find("*/", i + 2)
            if j < 0:
                raise ValueError(f"unterminated /* comment starting at character {i + 1}")
            out.append(sql[i:j + 2])
            i = j + 2
        elif ch == ":":
            if i + 1 < n and sql[i + 1] == ":":  # PostgreSQL cast x::text
                out.append("::")
                i += 2
            elif i + 1 < n and _IDENT_START.match(sql[i + 1]) and not (i > 0 and sql[i - 1] == ":"):
                match = _IDENT.match(sql, i + 1)
                assert match is not None
                names.append(match.group(0).lower())
                out.append("?")
                i = match.end()
            else:
                out.append(ch)
                i += 1
        elif ch == "?":
            raise ValueError(f"positional '?' at character {i + 1}: use named parameters such as :sku")
        else:
            out.append(ch)
            i += 1
    return "".join(out), tuple(names)


@dataclass(frozen=True, slots=True)
class Statement:
    """One SQL text of a statement, translated, with its parameter order."""

    key: str  # statements.<name>, or statements.<name>[i] for one of several
    sql: str  # as written in the profile
    text: str  # with '?' placeholders
    params: tuple[str, ...]

    def bind(self, values: Mapping[str, Any]) -> list[Any]:
        return [values[name] for name in self.params]


@dataclass(frozen=True, slots=True)
class Profile:
    name: str
    path: str  # where it was loaded from (for messages)
    statements: dict[str, tuple[Statement, ...]]
    description: str = ""
    notes: str = ""
    order_statuses: tuple[str, ...] = ()  # the ERP's order status vocabulary, when the profile lists it
    lines: dict[str, int] = field(default_factory=dict)  # statement name -> line in the file

    def has(self, name: str) -> bool:
        return name in self.statements

    def statement(self, name: str) -> tuple[Statement, ...]:
        """The statement's SQL texts (writers may have several, run in order); ConfigError when absent."""
        try:
            return self.statements[name]
        except KeyError:
            needed_by = [op for op, names in OPERATION_STATEMENTS.items() if name in names]
            needed = f" (needed for {', '.join(needed_by)})" if needed_by else ""
            raise ConfigError(f"the profile has no '{name}' statement{needed}", path=self.path,
                              key=f"statements.{name}") from None

    def single(self, name: str) -> Statement:
        return self.statement(name)[0]

    @property
    def operations(self) -> tuple[str, ...]:
        """The operations this profile supports."""
        return tuple(op for op, names in OPERATION_STATEMENTS.items() if all(n in self.statements for n in names))

    def supports(self, operation: str) -> bool:
        return operation in self.operations

    def require(self, operation: str) -> None:
        """ConfigError naming the missing statements when the profile cannot do the operation."""
        if operation not in OPERATION_STATEMENTS:
            raise ValueError(f"unknown operation {operation!r}")
        missing = [n for n in OPERATION_STATEMENTS[operation] if n not in self.statements]
        if missing:
            raise ConfigError(
                f"operation {operation} needs the statement(s) {', '.join(missing)}, which this profile lacks",
                path=self.path, key=f"statements.{missing[0]}",
            )


# -- loading -----------------------------------------------------------------------------------------

def shipped_profiles_dir() -> Any:
    return resources.files("trayapp.erp").joinpath("profiles")


def available_profiles() -> list[str]:
    """Names of the profiles a user can pick: shipped ones and the user's own."""
    names: set[str] = set()
    user_dir = app_paths().profiles_dir
    if user_dir.is_dir():
        names.update(p.stem for p in user_dir.glob("*.toml"))
    shipped = shipped_profiles_dir()
    names.update(entry.name[:-5] for entry in shipped.iterdir() if entry.name.endswith(".toml"))
    return sorted(names)


def _looks_like_path(text: str) -> bool:
    return "/" in text or "\\" in text or text.endswith(".toml")


def load_profile(name_or_path: str | Path) -> Profile:
    """Load a profile by name (user folder first, then shipped) or from a path, and check it."""
    if isinstance(name_or_path, Path) or _looks_like_path(str(name_or_path)):
        path = Path(name_or_path).expanduser()
        if not path.is_file():
            raise ConfigError("profile file not found", path=str(path))
        return parse_profile(_read(path), str(path), default_name=path.stem)
    name = str(name_or_path).strip()
    if not _NAME_RE.match(name):
        raise ConfigError(f"invalid profile name {name!r}: use letters, digits, '-', '_' or a path to a .toml file")
    user_file = app_paths().profiles_dir / f"{name}.toml"
    if user_file.is_file():
        return parse_profile(_read(user_file), str(user_file), default_name=name)
    shipped = shipped_profiles_dir().joinpath(f"{name}.toml")
    if shipped.is_file():
        return parse_profile(shipped.read_text(encoding="utf-8"), str(shipped), default_name=name)
    raise ConfigError(
        f"no ERP profile named '{name}' (looked in {app_paths().profiles_dir} and the shipped profiles); "
        f"available: {', '.join(available_profiles()) or 'none'}"
    )


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"not UTF-8 text ({exc.reason} at byte {exc.start})", path=str(path)) from None
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror or exc}", path=str(path)) from None


def _line_of(text: str, key: str, section: str | None = None) -> int | None:
    """Line where `key =` is written (inside [section] when given): good enough for messages."""
    in_section = section is None
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("["):
            in_section = section is None or stripped.strip("[] \t") == section
            continue
        if in_section and re.match(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=", line):
            return number
    return None


def _suggest(word: str, choices: Sequence[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def parse_profile(text: str, path: str = "<profile>", *, default_name: str = "profile") -> Profile:
    """Parse and check profile text; every problem is a ConfigError naming path, key and line."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        line = int(match.group(1)) if match else max(1, len(text.splitlines()))  # "at end of document"
        raise ConfigError(f"TOML syntax error: {exc}", path=path, line=line) from None

    for key in data:
        if key not in TOP_LEVEL_KEYS:
            raise ConfigError(f"unknown key; expected one of {', '.join(TOP_LEVEL_KEYS)}"
                              f"{_suggest(key, TOP_LEVEL_KEYS)}", path=path, key=key, line=_line_of(text, key))

    def text_value(key: str) -> str:
        value = data.get(key, "")
        if not isinstance(value, str):
            raise ConfigError("expected a string", path=path, key=key, line=_line_of(text, key))
        return value

    version = data.get("format", FORMAT_VERSION)
    if version != FORMAT_VERSION:
        raise ConfigError(f"unsupported profile format {version!r}; this trayapp reads format {FORMAT_VERSION}",
                          path=path, key="format", line=_line_of(text, "format"))
    name = text_value("name") or default_name
    statuses = data.get("order_statuses", [])
    if not isinstance(statuses, list) or not all(isinstance(s, str) and s.strip() for s in statuses):
        raise ConfigError("expected a list of non-empty strings (the ERP's order statuses)", path=path,
                          key="order_statuses", line=_line_of(text, "order_statuses"))

    raw_statements = data.get("statements")
    if not isinstance(raw_statements, dict) or not raw_statements:
        raise ConfigError("missing [statements] table with at least one statement "
                          f"(known statements: {', '.join(SPECS)})", path=path, key="statements")

    statements: dict[str, tuple[Statement, ...]] = {}
    lines: dict[str, int] = {}
    for stmt_name, value in raw_statements.items():
        key = f"statements.{stmt_name}"
        line = _line_of(text, stmt_name, "statements")
        if line is not None:
            lines[stmt_name] = line
        spec = SPECS.get(stmt_name)
        if spec is None:
            raise ConfigError(f"unknown statement; known statements: {', '.join(SPECS)}"
                              f"{_suggest(stmt_name, list(SPECS))}", path=path, key=key, line=line)
        if isinstance(value, str):
            texts = [value]
        elif isinstance(value, list) and value and all(isinstance(v, str) for v in value) and spec.kind == "write":
            texts = list(value)
        else:
            expected = "an SQL string or a list of SQL strings (run in order)" if spec.kind == "write" \
                else "an SQL string"
            raise ConfigError(f"expected {expected}", path=path, key=key, line=line)
        parsed: list[Statement] = []
        used: set[str] = set()
        for index, sql in enumerate(texts):
            part_key = key if len(texts) == 1 else f"{key}[{index}]"
            if not sql.strip():
                raise ConfigError("empty SQL", path=path, key=part_key, line=line)
            try:
                translated, params = translate(sql)
            except ValueError as exc:
                raise ConfigError(str(exc), path=path, key=part_key, line=line) from None
            unknown = sorted(set(params) - spec.params)
            if unknown:
                allowed = ", ".join(f":{p}" for p in sorted(spec.params)) or "none"
                raise ConfigError(
                    f"unknown parameter :{unknown[0]}{_suggest(unknown[0], sorted(spec.params))}; "
                    f"{stmt_name} may use: {allowed}", path=path, key=part_key, line=line)
            used.update(params)
            parsed.append(Statement(part_key, sql, translated, params))
        missing_params = sorted(spec.required_params - used)
        if missing_params:
            raise ConfigError(f"{stmt_name} must use the parameter :{missing_params[0]} ({spec.summary})",
                              path=path, key=key, line=line)
        statements[stmt_name] = tuple(parsed)

    for operation, names in OPERATION_STATEMENTS.items():
        present = [n for n in names if n in statements]
        if present and len(present) != len(names):
            missing = [n for n in names if n not in statements]
            raise ConfigError(
                f"missing statement: {operation} needs {', '.join(names)}; "
                f"this profile has {', '.join(present)} but not {', '.join(missing)}",
                path=path, key=f"statements.{missing[0]}")
    for stmt_name, companions in COMPANIONS.items():
        if stmt_name in statements:
            missing = [n for n in companions if n not in statements]
            if missing:
                raise ConfigError(f"missing statement: {stmt_name} is used together with {', '.join(companions)}",
                                  path=path, key=f"statements.{missing[0]}", line=lines.get(stmt_name))

    if not any(all(n in statements for n in names) for names in OPERATION_STATEMENTS.values()):
        raise ConfigError("missing statement: the profile supports no operation; it needs at least one of "
                          + "; ".join(f"{op}: {', '.join(names)}" for op, names in OPERATION_STATEMENTS.items()),
                          path=path, key="statements")
    return Profile(name=name, path=path, statements=statements, description=text_value("description"),
                   notes=text_value("notes"), order_statuses=tuple(s.strip() for s in statuses), lines=lines)
