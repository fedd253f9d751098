"""Opening ERP databases: stdlib sqlite3 for the embedded demo, pyodbc for everything else.

`open_connection("sqlite:///abs/path.db")` needs no ODBC driver manager; any other string is an ODBC
connection string. pyodbc is imported only here, only when an ODBC connection is opened, so the demo
and headless commands work on machines without unixODBC.

Driver quirks handled here (see docs/profiles.md and the field notes):
- psqlODBC rolls back only the failing statement unless `Protocol=7.4-0` is set; we add it, so a
  transaction is all-or-nothing as on every other database.
- the SQLite ODBC driver reports duplicate keys as a generic HY000; `is_duplicate_key` reads the text.
- parameters: aware datetimes are bound as naive UTC (whole seconds; on SQLite as the text
  'YYYY-MM-DD HH:MM:SS'), booleans as 1/0, and for stdlib sqlite3 Decimals as exact text.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
import struct
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

from trayapp.errors import ErpError

SQLITE_PREFIX = "sqlite:"
PASSWORD_PLACEHOLDER = "{password}"

# Login timeout for ODBC connections, seconds.
LOGIN_TIMEOUT = 15
# How long stdlib sqlite3 waits for a lock held by another writer, seconds.
SQLITE_BUSY_TIMEOUT = 30.0

_SECRET_KEY_RE = re.compile(r"(?i)(?<![A-Za-z0-9_])(PWD|PASSWORD)(\s*=\s*)(\{(?:[^}]|\}\})*\}|[^;]*)")
_DRIVER_RE = re.compile(r"(?i)(?:^|;)\s*DRIVER\s*=\s*(\{(?:[^}]|\}\})*\}|[^;]*)")
_PROTOCOL_RE = re.compile(r"(?i)(?:^|;)\s*PROTOCOL\s*=")
_TIMEOUT_RE = re.compile(r"(?i)(?:^|;)\s*TIMEOUT\s*=")

_DRIVER_MANAGER_HELP = (
    "The ODBC driver manager is not installed, so pyodbc cannot load. Install it: "
    "Debian/Ubuntu: 'sudo apt-get install unixodbc'; Fedora/RHEL: 'sudo dnf install unixODBC'; "
    "macOS: 'brew install unixodbc'. Windows has it built in."
)


def redact(connection_string: str) -> str:
    """The connection string with PWD=/Password= values masked: safe for logs and messages."""
    return _SECRET_KEY_RE.sub(lambda m: f"{m.group(1)}{m.group(2)}***", connection_string)


def _driver_name(connection_string: str) -> str | None:
    match = _DRIVER_RE.search(connection_string)
    if not match:
        return None
    value = match.group(1).strip()
    if value.startswith("{") and value.endswith("}"):
        value = value[1:-1].replace("}}", "}")
    return value.strip()


def _odbc_value(value: str) -> str:
    """An ODBC attribute value, braced when it holds characters that would end or confuse it."""
    if any(ch in value for ch in ";{}=") or value != value.strip():
        return "{" + value.replace("}", "}}") + "}"
    return value


def fill_password(connection_string: str, password: str | None) -> str:
    """Replace the `{password}` placeholder; a placeholder that is a whole attribute value
    (`PWD={password}`) gets the ODBC-escaped form, so passwords with ';' or '}' work."""
    if PASSWORD_PLACEHOLDER not in connection_string:
        return connection_string
    if password is None:
        raise ErpError(
            f"The connection string expects a password ({PASSWORD_PLACEHOLDER}) but none was given: "
            f"store it in the keyring for this integration. ({redact(connection_string)})"
        )
    whole_value = re.compile(r"(=\s*)" + re.escape(PASSWORD_PLACEHOLDER) + r"(\s*(?:;|$))")
    text = whole_value.sub(lambda m: m.group(1) + _odbc_value(password) + m.group(2), connection_string)
    return text.replace(PASSWORD_PLACEHOLDER, password)


# -- error classification ---------------------------------------------------------------------------

_DUPLICATE_PATTERNS = (
    "unique constraint",  # SQLite "UNIQUE constraint failed", PostgreSQL "violates unique constraint"
    "duplicate key",  # PostgreSQL, SQL Server 2601 "Cannot insert duplicate key row"
    "violation of unique key",  # SQL Server 2627
    "violation of primary key",  # SQL Server 2627
    "duplicate entry",  # MySQL/MariaDB 1062
    "is not unique",  # old SQLite
    "are not unique",  # old SQLite
    "must be unique",  # old SQLite "PRIMARY KEY must be unique"
)

_SQLITE_CONSTRAINT_UNIQUE = 2067
_SQLITE_CONSTRAINT_PRIMARYKEY = 1555


def _chain(exc: BaseException | None) -> Iterable[BaseException]:
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def sqlstate(exc: BaseException) -> str:
    """The SQLSTATE of a pyodbc error ('' when there is none)."""
    args = getattr(exc, "args", ())
    if len(args) >= 2 and isinstance(args[0], str) and re.fullmatch(r"[0-9A-Z]{5}", args[0]):
        return args[0]
    return ""


def error_text(exc: BaseException) -> str:
    """The driver's message without pyodbc's tuple decoration."""
    args = getattr(exc, "args", ())
    if len(args) >= 2 and sqlstate(exc):
        return str(args[1])
    return str(exc)


def is_duplicate_key(exc: BaseException) -> bool:
    """True when the error (or one it was raised from) is a duplicate/unique-key violation.

    Recognises stdlib sqlite3, the SQLite ODBC driver (generic HY000 with the SQLite text), psqlODBC
    (SQLSTATE 23505), SQL Server (23000 with error 2601/2627 text) and MySQL/MariaDB.
    """
    for item in _chain(exc):
        code = getattr(item, "sqlite_errorcode", None)
        if code in (_SQLITE_CONSTRAINT_UNIQUE, _SQLITE_CONSTRAINT_PRIMARYKEY):
            return True
        state = sqlstate(item)
        if state == "23505":
            return True
        text = error_text(item).lower()
        # 23000 alone also covers foreign-key and NOT NULL violations on SQL Server: read the text.
        if any(pattern in text for pattern in _DUPLICATE_PATTERNS):
            return True
    return False


def is_data_error(exc: BaseException) -> bool:
    """True for errors caused by the data of one record (constraints, conversions, truncation),
    as opposed to connection, permission or SQL problems."""
    if is_duplicate_key(exc):
        return True
    for item in _chain(exc):
        if isinstance(item, sqlite3.IntegrityError | sqlite3.DataError):
            return True
        state = sqlstate(item)
        if state[:2] in ("22", "23"):
            return True
        if state == "HY000" and "constraint failed" in error_text(item).lower():
            return True  # SQLite ODBC: NOT NULL/CHECK/FOREIGN KEY constraint failed
        module = type(item).__module__
        if module == "pyodbc" and type(item).__name__ in ("IntegrityError", "DataError"):
            return True
    return False


# -- the connection wrapper --------------------------------------------------------------------------

def _naive_utc(value: datetime) -> datetime:
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.replace(microsecond=0)


class ErpConnection:
    """A DB-API connection plus what we know about the database behind it.

    `dialect` is 'sqlite', 'postgresql', 'sqlserver', 'mysql' or the lower-cased DBMS name; `driver`
    is 'sqlite3' (stdlib) or the ODBC driver's file name. `description` is safe to show (no secrets).
    """

    def __init__(self, raw: Any, *, dialect: str, driver: str, description: str, is_odbc: bool,
                 dbms: str = "", dbms_version: str = "", errors: tuple[type[BaseException], ...] = ()) -> None:
        self.raw = raw
        self.dialect = dialect
        self.driver = driver
        self.description = description
        self.is_odbc = is_odbc
        self.dbms = dbms
        self.dbms_version = dbms_version
        self.errors: tuple[type[BaseException], ...] = errors or (sqlite3.Error,)
        self._closed = False
        self._in_transaction = False

    def __repr__(self) -> str:
        return f"<ErpConnection {self.dialect} via {self.driver}: {self.description}>"

    def cursor(self) -> Any:
        return self.raw.cursor()

    @property
    def explicit_transactions(self) -> bool:
        """SQLite (stdlib or ODBC) runs in autocommit mode with explicit BEGIN IMMEDIATE/COMMIT."""
        return self.dialect == "sqlite"

    def begin(self) -> None:
        """Start a write transaction. On SQLite this takes the write lock at once (BEGIN IMMEDIATE), so
        concurrent writers wait for each other (busy timeout) instead of failing halfway with
        'database is locked'; other databases are in manual commit mode and start a transaction with
        the first statement."""
        if self.explicit_transactions:
            if self._in_transaction:
                self.rollback()
            self.raw.cursor().execute("BEGIN IMMEDIATE").close()
            self._in_transaction = True

    def commit(self) -> None:
        if self.explicit_transactions:
            if self._in_transaction:
                self.raw.cursor().execute("COMMIT").close()
                self._in_transaction = False
        else:
            self.raw.commit()

    def rollback(self) -> None:
        """Roll back; never raises (used on error paths, where the connection may be gone)."""
        if self.explicit_transactions:
            if self._in_transaction:
                self._in_transaction = False
                with contextlib.suppress(Exception):
                    self.raw.cursor().execute("ROLLBACK").close()
            return
        with contextlib.suppress(Exception):
            self.raw.rollback()

    def end_read(self) -> None:
        """Finish a read: ODBC connections in manual commit mode hold a transaction (and on some
        servers locks) open after a SELECT until commit/rollback."""
        if not self.explicit_transactions:
            self.rollback()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self.rollback()
        with contextlib.suppress(Exception):
            self.raw.close()

    def adapt(self, value: Any) -> Any:
        """A Python value in the form this driver binds best."""
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, datetime):
            value = _naive_utc(value)
            # SQLite keeps dates as text and compares them as text: bind exactly the stored form (the
            # SQLite ODBC driver would append '.000', which sorts after an equal stored value).
            return value.strftime("%Y-%m-%d %H:%M:%S") if self.dialect == "sqlite" else value
        if isinstance(value, date):
            return value.isoformat() if self.dialect == "sqlite" else value
        if isinstance(value, Decimal) and not self.is_odbc:
            return format(value, "f")
        return value

    def adapt_all(self, values: Sequence[Any]) -> list[Any]:
        return [self.adapt(value) for value in values]

    def execute_script(self, script: str) -> None:
        """Run a DDL script (statements ended by ';' at the end of a line, or `GO` lines) and commit."""
        if not self.is_odbc:
            self.raw.executescript(script)
            self.raw.commit()
            return
        cursor = self.cursor()
        try:
            for statement in split_sql_script(script):
                cursor.execute(statement)
            self.commit()
        except Exception:
            self.rollback()
            raise
        finally:
            cursor.close()

    def server_info(self) -> str:
        """'SQLite 3.40.1 (stdlib sqlite3)' / 'PostgreSQL 15.0.18 (psqlodbcw.so)'."""
        name = self.dbms or self.dialect
        version = f" {self.dbms_version}" if self.dbms_version else ""
        return f"{name}{version} ({self.driver})"


def split_sql_script(script: str) -> list[str]:
    """Split a script into statements: a line `GO`, or a `;` ending a line, ends a statement.
    Line comments are dropped. Meant for our own DDL files, not for arbitrary SQL."""
    statements: list[str] = []
    current: list[str] = []

    def flush() -> None:
        text = "\n".join(current).strip()
        if text:
            statements.append(text)
        current.clear()

    for line in script.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("--"):
            continue
        if stripped.upper() == "GO":
            flush()
            continue
        if stripped.endswith(";"):
            current.append(line.rstrip()[:-1])
            flush()
        else:
            current.append(line)
    flush()
    return statements


# -- opening -----------------------------------------------------------------------------------------

def sqlite_path(connection: str) -> Path | None:
    """The file of a `sqlite:` connection string ('sqlite:///abs/path.db', 'sqlite:relative.db'),
    or None for an ODBC connection string."""
    if not connection.lower().startswith(SQLITE_PREFIX):
        return None
    rest = connection[len(SQLITE_PREFIX):]
    if rest.startswith("//"):
        rest = rest[2:]
        if not rest.startswith("/"):
            raise ErpError(f"Unsupported sqlite URL {connection!r}: use sqlite:///absolute/path.db "
                           "or sqlite:relative/path.db")
        if re.match(r"^/[A-Za-z]:[/\\]", rest):  # sqlite:///C:/data/erp.db on Windows
            rest = rest[1:]
    if not rest:
        raise ErpError(f"No database file in {connection!r}")
    return Path(rest)


def open_sqlite(path: Path) -> ErpConnection:
    """stdlib sqlite3 on an existing file (a missing file is an error, not a new empty database)."""
    if not path.is_file():
        raise ErpError(f"SQLite database not found: {path}")
    try:
        raw = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True, timeout=SQLITE_BUSY_TIMEOUT,
                              isolation_level=None, check_same_thread=False)
        raw.execute("PRAGMA foreign_keys = ON")
    except sqlite3.Error as exc:
        raise ErpError(f"Cannot open SQLite database {path}: {exc}") from exc
    return ErpConnection(raw, dialect="sqlite", driver="sqlite3", description=str(path), is_odbc=False,
                         dbms="SQLite", dbms_version=sqlite3.sqlite_version, errors=(sqlite3.Error,))


def import_pyodbc() -> Any:
    """pyodbc, or an ErpError that says what to install."""
    try:
        import pyodbc
    except ImportError as exc:
        text = str(exc)
        if isinstance(exc, ModuleNotFoundError) and exc.name == "pyodbc" and "libodbc" not in text:
            raise ErpError("The Python package pyodbc is not installed: 'pip install pyodbc'.") from exc
        raise ErpError(f"{_DRIVER_MANAGER_HELP} ({text})") from exc
    return pyodbc


def _dialect_of(dbms: str) -> str:
    lowered = dbms.lower()
    for key, dialect in (("sqlite", "sqlite"), ("postgres", "postgresql"), ("sql server", "sqlserver"),
                         ("mysql", "mysql"), ("mariadb", "mysql")):
        if key in lowered:
            return dialect
    return lowered.replace(" ", "_") or "odbc"


def _datetimeoffset(raw: bytes) -> datetime:
    """SQL Server DATETIMEOFFSET (ODBC type -155), which pyodbc cannot convert on its own."""
    year, month, day, hour, minute, second, nanos, tz_hour, tz_minute = struct.unpack("<6hI2h", raw)
    tz = timezone(timedelta(hours=tz_hour, minutes=tz_minute))
    return datetime(year, month, day, hour, minute, second, nanos // 1000, tzinfo=tz)


def _connect_error(exc: Exception, shown: str, pyodbc: Any, secret: str | None) -> ErpError:
    state = sqlstate(exc)
    text = error_text(exc)
    if secret:
        text = text.replace(secret, "***")
    hint = ""
    lowered = text.lower()
    if state == "IM002" or "data source name not found" in lowered:
        try:
            names = sorted(pyodbc.dataSources())
        except Exception:
            names = []
        hint = f" Configured data sources: {', '.join(names) or 'none'}."
    elif "certificate" in lowered or "ssl" in lowered:
        hint = (" ODBC Driver 18 for SQL Server encrypts by default: for a server with a self-signed "
                "certificate add 'TrustServerCertificate=yes' (or 'Encrypt=no' on a trusted LAN).")
    elif state == "28000" or "password authentication failed" in lowered or "login failed" in lowered:
        hint = " Check the user name and the password stored in the keyring."
    return ErpError(f"Cannot connect to the ERP database ({shown}): {text}{hint}")


def open_odbc(connection_string: str, *, password: str | None = None) -> ErpConnection:
    shown = redact(connection_string)
    pyodbc = import_pyodbc()
    driver = _driver_name(connection_string)
    if driver is not None:
        installed = list(pyodbc.drivers())
        if driver.lower() not in {name.lower() for name in installed}:  # driver managers ignore case
            raise ErpError(
                f"ODBC driver '{driver}' is not installed. Installed drivers: "
                f"{', '.join(installed) or 'none'}. ({shown})"
            )
        if "postgres" in driver.lower() and not _PROTOCOL_RE.search(connection_string):
            connection_string = connection_string.rstrip().rstrip(";") + ";Protocol=7.4-0"
        if "sqlite" in driver.lower() and not _TIMEOUT_RE.search(connection_string):
            # The SQLite ODBC driver's busy timeout, in milliseconds.
            connection_string = connection_string.rstrip().rstrip(";") + f";Timeout={int(SQLITE_BUSY_TIMEOUT * 1000)}"
    filled = fill_password(connection_string, password)
    try:
        raw = pyodbc.connect(filled, autocommit=False, timeout=LOGIN_TIMEOUT)
        dbms = str(raw.getinfo(pyodbc.SQL_DBMS_NAME) or "")
        if "postgres" in dbms.lower() and not _PROTOCOL_RE.search(connection_string):
            # A DSN that does not say Protocol: reconnect with all-or-nothing transactions.
            raw.close()
            connection_string = connection_string.rstrip().rstrip(";") + ";Protocol=7.4-0"
            filled = fill_password(connection_string, password)
            raw = pyodbc.connect(filled, autocommit=False, timeout=LOGIN_TIMEOUT)
        version = str(raw.getinfo(pyodbc.SQL_DBMS_VER) or "")
        driver_file = str(raw.getinfo(pyodbc.SQL_DRIVER_NAME) or driver or "odbc")
    except pyodbc.Error as exc:
        raise _connect_error(exc, shown, pyodbc, password) from None
    raw.add_output_converter(-155, _datetimeoffset)
    dialect = _dialect_of(dbms)
    if dialect == "sqlite":
        raw.autocommit = True  # transactions are explicit, see ErpConnection.begin
    return ErpConnection(raw, dialect=dialect, driver=driver_file, description=redact(connection_string),
                         is_odbc=True, dbms=dbms, dbms_version=version, errors=(pyodbc.Error,))


def open_connection(connection: str, *, password: str | None = None) -> ErpConnection:
    """Open an ERP database: 'sqlite:///abs/path.db' / 'sqlite:rel/path.db' through stdlib sqlite3,
    anything else as an ODBC connection string through pyodbc (manual commit). A `{password}`
    placeholder in the string is replaced by `password`. Raises ErpError with a readable reason."""
    connection = connection.strip()
    if not connection:
        raise ErpError("No ERP connection string configured.")
    path = sqlite_path(connection)
    if path is not None:
        return open_sqlite(path)
    return open_odbc(connection, password=password)
