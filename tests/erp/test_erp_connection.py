"""open_connection, redact, is_duplicate_key and the driver facts they rely on."""

from __future__ import annotations

import builtins
import sqlite3
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from erp_support import PG_PASSWORD, SQLITE_DRIVER, pg_string, run

from trayapp.demo.erp import create_demo_erp, demo_connection_string
from trayapp.erp.connection import (
    fill_password,
    is_data_error,
    is_duplicate_key,
    open_connection,
    redact,
    split_sql_script,
    sqlite_path,
)
from trayapp.erp.database import open_erp
from trayapp.errors import ErpError

# -- strings -----------------------------------------------------------------------------------------

def test_redact_masks_passwords() -> None:
    assert redact("DRIVER={X};UID=sa;PWD=s3cret;Database=erp") == "DRIVER={X};UID=sa;PWD=***;Database=erp"
    assert redact("Server=x;Password={a;b}}c};Encrypt=yes") == "Server=x;Password=***;Encrypt=yes"
    assert redact("server=x;pwd = hunter2") == "server=x;pwd = ***"
    assert redact("DSN=erp;UID=u") == "DSN=erp;UID=u"
    assert "s3cret" not in redact("DRIVER={ODBC Driver 18 for SQL Server};Server=x;UID=sa;PWD=s3cret;")


def test_fill_password_escapes_odbc_special_characters() -> None:
    assert fill_password("UID=u;PWD={password};Database=d", "simple") == "UID=u;PWD=simple;Database=d"
    assert fill_password("UID=u;PWD={password}", "a;b}c") == "UID=u;PWD={a;b}}c}"
    assert fill_password("DSN=x", None) == "DSN=x"
    with pytest.raises(ErpError, match="expects a password"):
        fill_password("UID=u;PWD={password}", None)


def test_sqlite_urls() -> None:
    assert sqlite_path("sqlite:///tmp/erp.db") == Path("/tmp/erp.db")
    assert sqlite_path("sqlite:data/erp.db") == Path("data/erp.db")
    assert sqlite_path("sqlite:///C:/ERP/erp.db") == Path("C:/ERP/erp.db")
    assert sqlite_path("DRIVER={SQLite3};Database=/tmp/x.db") is None
    with pytest.raises(ErpError):
        sqlite_path("sqlite://host/erp.db")


def test_missing_sqlite_file_is_not_created(tmp_path: Path) -> None:
    with pytest.raises(ErpError, match="not found"):
        open_connection(f"sqlite:///{tmp_path}/nope.db")
    assert not (tmp_path / "nope.db").exists()


def test_split_sql_script() -> None:
    script = "-- c\nCREATE TABLE a (x int);\nIF 1=1\nCREATE TABLE b (\n  y int\n);\nGO\nSELECT 1\nGO\n"
    assert split_sql_script(script) == ["CREATE TABLE a (x int)", "IF 1=1\nCREATE TABLE b (\n  y int\n)", "SELECT 1"]


# -- the sqlite demo needs no driver manager ------------------------------------------------------------

def test_sqlite_path_never_imports_pyodbc(tmp_path: Path) -> None:
    path = create_demo_erp(tmp_path / "erp.db", products=20)
    code = (
        "import sys\n"
        "sys.modules['pyodbc'] = None  # as if the driver manager were missing\n"
        "from trayapp.erp.database import open_erp\n"
        f"erp = open_erp({demo_connection_string(path)!r}, 'demo')\n"
        "print(len(list(erp.read_products())), erp.test_connection())\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("20 SQLite")


def test_missing_driver_manager_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def fake_import(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "pyodbc":
            raise ImportError("libodbc.so.2: cannot open shared object file: No such file or directory")
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(sys.modules, "pyodbc", raising=False)
    monkeypatch.setattr(builtins, "__import__", fake_import)
    with pytest.raises(ErpError) as info:
        open_connection("DRIVER={SQLite3};Database=/tmp/x.db")
    message = str(info.value)
    assert "apt-get install unixodbc" in message and "brew install unixodbc" in message
    assert "Windows" in message and "libodbc.so.2" in message


def test_unknown_driver_lists_installed_drivers(pyodbc_module: Any) -> None:
    with pytest.raises(ErpError) as info:
        open_connection("DRIVER={ODBC Driver 18 for SQL Server};Server=erp;UID=sa;PWD={password}", password="pw")
    message = str(info.value)
    assert "'ODBC Driver 18 for SQL Server' is not installed" in message
    for driver in pyodbc_module.drivers():
        assert driver in message
    assert "pw" not in message.replace("PWD", "")


def test_unknown_dsn_is_explained(pyodbc_module: Any) -> None:
    with pytest.raises(ErpError, match="data sources"):
        open_connection("DSN=no_such_dsn_trayapp;UID=x;PWD=y")


# -- SQLite ODBC driver facts ----------------------------------------------------------------------------

def test_money_is_exact_through_sqlite_odbc(tmp_path: Path, sqlite_odbc: str) -> None:
    """The SQLite ODBC driver hands NUMERIC back as float; the reader must give exact Decimals."""
    path = create_demo_erp(tmp_path / "erp.db", products=10)
    prices = ["0.10", "0.07", "19.99", "1234567.89", "99999999.99", "0.30"]
    admin = open_connection(demo_connection_string(path))
    codes = [r[0] for r in run(admin, "SELECT code FROM products WHERE parent_id IS NULL ORDER BY id")][:len(prices)]
    for code, price in zip(codes, prices, strict=True):
        run(admin, "UPDATE products SET price_gross = ?, weight_kg = ? WHERE code = ?", Decimal(price),
            Decimal("0.001"), code)
    admin.close()
    odbc = open_connection(f"DRIVER={{{sqlite_odbc}}};Database={path}")
    cursor = odbc.cursor()
    cursor.execute("SELECT price_gross FROM products WHERE code = ?", codes[0])
    assert isinstance(cursor.fetchone()[0], float), "the driver fact this test is about"
    cursor.close()
    erp = open_erp(f"DRIVER={{{sqlite_odbc}}};Database={path}", "demo")
    read = {p.sku: p for p in erp.read_products()}
    assert [read[c].price for c in codes] == [Decimal(p) for p in prices]
    assert all(read[c].weight == Decimal("0.001") for c in codes)
    assert str(read[codes[0]].price) == "0.10" or read[codes[0]].price == Decimal("0.1")
    erp.close()
    odbc.close()


def test_duplicate_keys_recognised_on_every_driver(tmp_path: Path, sqlite_odbc: str,
                                                   request: pytest.FixtureRequest) -> None:
    db = tmp_path / "dup.db"
    raw = sqlite3.connect(db)
    raw.executescript("CREATE TABLE t (ref TEXT UNIQUE, n INTEGER NOT NULL);"
                      "INSERT INTO t (ref, n) VALUES ('a', 1);")
    raw.close()
    errors: dict[str, BaseException] = {}
    odbc_string = f"DRIVER={{{sqlite_odbc}}};Database={db}"
    for name, connection in (("sqlite3", f"sqlite:///{db}"), ("sqlite-odbc", odbc_string)):
        conn = open_connection(connection)
        for kind, sql in (("dup", "INSERT INTO t (ref, n) VALUES ('a', 2)"),
                          ("null", "INSERT INTO t (ref, n) VALUES ('b', NULL)")):
            with pytest.raises(conn.errors) as info:
                run(conn, sql)
            errors[f"{name}-{kind}"] = info.value
        conn.close()
    pg = open_connection(pg_string(request.getfixturevalue("pg_database")), password=PG_PASSWORD)
    run(pg, "CREATE TABLE dup_t (ref varchar(10) UNIQUE, n integer NOT NULL)")
    run(pg, "INSERT INTO dup_t VALUES ('a', 1)")
    for kind, sql in (("dup", "INSERT INTO dup_t VALUES ('a', 2)"), ("null", "INSERT INTO dup_t VALUES ('b', NULL)")):
        with pytest.raises(pg.errors) as info:
            run(pg, sql)
        pg.rollback()
        errors[f"psqlodbc-{kind}"] = info.value
    run(pg, "DROP TABLE dup_t")
    pg.close()

    assert errors["sqlite-odbc-dup"].args[0] == "HY000", "the driver fact this helper exists for"
    for key, exc in errors.items():
        assert is_duplicate_key(exc) is key.endswith("dup"), key
        assert is_data_error(exc), key

    class FakeOdbcError(Exception):
        pass

    server = FakeOdbcError("23000", "[23000] [Microsoft][ODBC Driver 18 for SQL Server][SQL Server]Violation of "
                                    "UNIQUE KEY constraint 'UQ_orders_ref'. Cannot insert duplicate key in object "
                                    "'dbo.orders'. The duplicate key value is (5001). (2627)")
    index = FakeOdbcError("23000", "[23000] [SQL Server]Cannot insert duplicate key row in object 'dbo.orders' "
                                   "with unique index 'ix_ref'. (2601)")
    foreign = FakeOdbcError("23000", "[23000] [SQL Server]The INSERT statement conflicted with the FOREIGN KEY "
                                     "constraint \"FK_lines\". (547)")
    assert is_duplicate_key(server) and is_duplicate_key(index)
    assert not is_duplicate_key(foreign) and is_data_error(foreign)
    wrapped = RuntimeError("while importing")
    wrapped.__cause__ = server
    assert is_duplicate_key(wrapped)
    assert not is_duplicate_key(FakeOdbcError("08S01", "[08S01] Communication link failure"))
    assert not is_data_error(FakeOdbcError("08S01", "[08S01] Communication link failure"))


# -- psqlODBC transactions ----------------------------------------------------------------------------------

def _statement_rollback_scenario(conn: Any) -> int:
    """Insert a row, run a failing statement in the same transaction, commit what is left; rows kept."""
    cursor = conn.cursor()
    cursor.execute("DELETE FROM tx_t")
    conn.commit()
    cursor.execute("INSERT INTO tx_t (ref) VALUES ('first')")
    with pytest.raises(Exception, match=r"23505|duplicate"):
        cursor.execute("INSERT INTO tx_t (ref) VALUES ('first')")
    try:
        conn.commit()
    except Exception:
        conn.rollback()
    cursor.execute("SELECT COUNT(*) FROM tx_t")
    count = int(cursor.fetchone()[0])
    conn.rollback()
    cursor.close()
    return count


def test_psqlodbc_transactions_are_all_or_nothing(pg_database: str, pyodbc_module: Any) -> None:
    conn = open_connection(pg_string(pg_database), password=PG_PASSWORD)
    assert "Protocol=7.4-0" in conn.description
    run(conn, "CREATE TABLE IF NOT EXISTS tx_t (ref varchar(10) UNIQUE)")
    assert _statement_rollback_scenario(conn.raw) == 0, "a failed transaction must not keep earlier writes"
    conn.close()
    # Why open_connection adds the option: psqlODBC's default keeps the earlier write.
    plain = pyodbc_module.connect(pg_string(pg_database, password_placeholder=False), autocommit=False)
    assert _statement_rollback_scenario(plain) == 1
    plain.close()
    # An explicit Protocol is respected, not duplicated.
    explicit = open_connection(pg_string(pg_database) + ";Protocol=7.4-0", password=PG_PASSWORD)
    assert explicit.description.count("Protocol") == 1
    explicit.close()


def test_odbc_connection_facts(pg_database: str, sqlite_odbc: str, tmp_path: Path) -> None:
    pg = open_connection(pg_string(pg_database), password=PG_PASSWORD)
    assert (pg.dialect, pg.is_odbc) == ("postgresql", True)
    assert pg.server_info().startswith("PostgreSQL ")
    pg.close()
    path = create_demo_erp(tmp_path / "erp.db", products=5)
    lite = open_connection(f"DRIVER={{{sqlite_odbc}}};Database={path}")
    assert (lite.dialect, lite.is_odbc) == ("sqlite", True)
    assert "Timeout=" in lite.description
    lite.close()
    assert sqlite_odbc == SQLITE_DRIVER
