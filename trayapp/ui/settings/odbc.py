"""The ERP page's connection-string work, without Qt: installed ODBC drivers, building and reading
back a connection string from the dialog's fields, and listing a server's databases.

Everything that touches a database (listing databases) is called from a worker thread by the
dialog; pyodbc is imported lazily, through trayapp.erp.connection.import_pyodbc, whose error says
what to install when the ODBC driver manager is missing.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, replace
from pathlib import Path

from trayapp.erp.connection import PASSWORD_PLACEHOLDER, import_pyodbc, open_connection, sqlite_path
from trayapp.errors import ErpError

# Keys the builder owns; anything else in a connection string is kept as "more options".
_SERVER_KEYS = ("server", "servername", "host")
_DATABASE_KEYS = ("database", "dbname")
_USER_KEYS = ("uid", "user", "username")
_PASSWORD_KEYS = ("pwd", "password")
_OWNED = {"driver", "port", "trusted_connection", *_SERVER_KEYS, *_DATABASE_KEYS, *_USER_KEYS,
          *_PASSWORD_KEYS}

LIST_SQL = {
    "sqlserver": "SELECT name FROM sys.databases ORDER BY name",
    "postgresql": "SELECT datname FROM pg_database WHERE NOT datistemplate ORDER BY datname",
    "mysql": "SHOW DATABASES",
}


def installed_drivers() -> tuple[list[str], str]:
    """(ODBC driver names, "") or ([], what to install) when pyodbc or the driver manager is missing."""
    try:
        pyodbc = import_pyodbc()
        return sorted(pyodbc.drivers(), key=str.lower), ""
    except ErpError as exc:
        return [], str(exc)
    except Exception as exc:  # a broken odbcinst.ini: say it, do not crash the dialog
        return [], f"The installed ODBC drivers could not be listed: {exc}"


def is_sqlserver(driver: str) -> bool:
    return "sql server" in driver.lower() or "sql native client" in driver.lower()


def is_sqlite(driver: str) -> bool:
    return "sqlite" in driver.lower()


def is_postgres(driver: str) -> bool:
    return "postgres" in driver.lower()


def odbc_value(value: str) -> str:
    """An attribute value, in braces when it holds characters that would end or confuse it."""
    if any(ch in value for ch in ";{}=") or value != value.strip():
        return "{" + value.replace("}", "}}") + "}"
    return value


def split_attributes(text: str) -> list[tuple[str, str]]:
    """'A=1;B={x;y}' -> [('A', '1'), ('B', 'x;y')] (braces removed, '}}' unescaped)."""
    items: list[tuple[str, str]] = []
    i, n = 0, len(text)
    while i < n:
        while i < n and text[i] in "; \t\r\n":
            i += 1
        if i >= n:
            break
        eq = text.find("=", i)
        if eq < 0:
            raise ValueError(f"no '=' after {text[i:i + 20]!r}")
        key = text[i:eq].strip()
        i = eq + 1
        while i < n and text[i] in " \t":
            i += 1
        if i < n and text[i] == "{":
            j, value = i + 1, []
            while j < n:
                if text[j] == "}":
                    if j + 1 < n and text[j + 1] == "}":
                        value.append("}")
                        j += 2
                        continue
                    break
                value.append(text[j])
                j += 1
            else:
                raise ValueError(f"unclosed '{{' in the value of {key}")
            braced = text[i:j + 1]
            # trayapp's own placeholder looks like a braced value: keep it as written
            items.append((key, braced if braced == PASSWORD_PLACEHOLDER else "".join(value)))
            i = j + 1
            while i < n and text[i] != ";":
                i += 1
        else:
            end = text.find(";", i)
            end = n if end < 0 else end
            items.append((key, text[i:end].strip()))
            i = end
    return items


def join_attributes(items: list[tuple[str, str]]) -> str:
    return ";".join(f"{key}={value}" for key, value in items)


@dataclass(frozen=True, slots=True)
class OdbcParts:
    """What the ERP page's fields say about an ODBC connection."""

    driver: str = ""
    server: str = ""
    port: str = ""
    database: str = ""
    windows_auth: bool = False  # SQL Server: Trusted_Connection=yes (the Windows user logs in)
    user: str = ""
    password: bool = True  # PWD={password}: the password comes from the keyring
    options: str = ""  # further attributes, e.g. 'Encrypt=yes;TrustServerCertificate=yes'

    def connection_string(self) -> str:
        items = [("DRIVER", "{" + self.driver.replace("}", "}}") + "}")]
        if is_sqlite(self.driver):
            items.append(("Database", odbc_value(self.database)))
        else:
            server = self.server.strip()
            port = self.port.strip()
            if port and is_sqlserver(self.driver):
                server = f"{server},{port}"
            items.append(("Server", odbc_value(server)))
            if port and not is_sqlserver(self.driver):
                items.append(("Port", odbc_value(port)))
            if self.database.strip():
                items.append(("Database", odbc_value(self.database.strip())))
            if self.windows_auth:
                items.append(("Trusted_Connection", "yes"))
            else:
                if self.user.strip():
                    items.append(("UID", odbc_value(self.user.strip())))
                if self.password:
                    items.append(("PWD", PASSWORD_PLACEHOLDER))
        text = join_attributes(items)
        options = self.options.strip().strip(";").strip()
        return f"{text};{options}" if options else text


def parse_odbc(connection: str) -> OdbcParts | None:
    """The fields for an ODBC connection string the builder can show, or None (a DSN, a literal
    password, something unparsable: the page then shows the raw string)."""
    try:
        items = split_attributes(connection)
    except ValueError:
        return None
    keys = [key.lower() for key, _ in items]
    if "driver" not in keys or "dsn" in keys or "filedsn" in keys or len(set(keys)) != len(keys):
        return None
    values = {key.lower(): value for key, value in items}
    password = next((values[k] for k in _PASSWORD_KEYS if k in values), None)
    if password not in (None, PASSWORD_PLACEHOLDER):
        return None
    driver = values["driver"]
    server = next((values[k] for k in _SERVER_KEYS if k in values), "")
    port = values.get("port", "")
    if is_sqlserver(driver) and "," in server and not port:
        server, _, port = server.rpartition(",")
    options = join_attributes([(key, odbc_value(value)) for key, value in items if key.lower() not in _OWNED])
    trusted = values.get("trusted_connection", "").strip().lower() in ("yes", "true", "1")
    return OdbcParts(driver=driver, server=server.strip(), port=port.strip(),
                     database=next((values[k] for k in _DATABASE_KEYS if k in values), ""),
                     windows_auth=trusted, user=next((values[k] for k in _USER_KEYS if k in values), ""),
                     password=password is not None, options=options)


def connection_kind(connection: str) -> str:
    """'sqlite' (built-in SQLite file), 'odbc' (the builder can show it) or 'raw'."""
    text = connection.strip()
    if not text:
        return "odbc"
    with contextlib.suppress(ErpError):
        if sqlite_path(text) is not None:
            return "sqlite"
    return "odbc" if parse_odbc(text) is not None else "raw"


def sqlite_connection(path: str) -> str:
    """'sqlite:///abs/path' for a file (what the demo uses; no ODBC needed)."""
    text = path.strip()
    if not text:
        return ""
    return "sqlite:///" + Path(text).expanduser().resolve().as_posix().lstrip("/")


def sqlite_file(connection: str) -> str:
    try:
        path = sqlite_path(connection.strip())
    except ErpError:
        return ""
    return str(path) if path is not None else ""


def listing_candidates(parts: OdbcParts) -> list[OdbcParts]:
    """Connections to try for listing databases: a maintenance database first (the typed one may
    not exist yet), then the typed one."""
    if is_sqlserver(parts.driver):
        first = "master"
    elif is_postgres(parts.driver):
        first = "postgres"
    else:
        first = ""
    candidates = [replace(parts, database=first)]
    if parts.database.strip() and parts.database.strip() != first:
        candidates.append(parts)
    return candidates


def list_databases(parts: OdbcParts, password: str | None) -> list[str]:
    """The server's databases (SQL Server, PostgreSQL, MySQL/MariaDB). Blocks: call off the GUI thread."""
    if is_sqlite(parts.driver):
        raise ErpError("An SQLite database is a file: choose it with Browse.")
    error: ErpError | None = None
    for candidate in listing_candidates(parts):
        try:
            conn = open_connection(candidate.connection_string(), password=password)
        except ErpError as exc:
            error = error or exc
            continue
        try:
            sql = LIST_SQL.get(conn.dialect)
            if sql is None:
                raise ErpError(f"Listing databases is not supported for {conn.dbms or conn.dialect}; "
                               "type the database name.")
            cursor = conn.cursor()
            try:
                cursor.execute(sql)
                names = [str(row[0]) for row in cursor.fetchall()]
            finally:
                cursor.close()
            return [name for name in names if not re.fullmatch(r"(?i)information_schema|performance_schema", name)]
        except conn.errors as exc:
            raise ErpError(f"The server's databases could not be listed: {exc}") from None
        finally:
            conn.close()
    assert error is not None
    raise error
