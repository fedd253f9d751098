"""Fixtures for the ERP side: the demo ERP (stdlib sqlite3 and the SQLite3 ODBC driver) and the
staging profile (SQLite, and PostgreSQL through psqlODBC in a temporary database per session).
Helpers and sample data: erp_support.py.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from erp_support import (
    BACKENDS,
    PG_DRIVER,
    PG_HOST,
    PG_PASSWORD,
    PG_PORT,
    PG_USER,
    SQLITE_DRIVER,
    Backend,
    make_backend,
    pg_string,
    staging_ddl,
    unavailable,
)

from trayapp.demo.erp import create_demo_erp
from trayapp.erp.connection import open_connection


@pytest.fixture(scope="session")
def pyodbc_module() -> Any:
    try:
        import pyodbc
    except ImportError as exc:
        unavailable(f"pyodbc cannot be imported: {exc}")
    return pyodbc




@pytest.fixture(scope="session")
def sqlite_odbc(pyodbc_module: Any) -> str:
    if SQLITE_DRIVER not in pyodbc_module.drivers():
        unavailable(f"ODBC driver '{SQLITE_DRIVER}' not installed (Debian: apt-get install libsqliteodbc)")
    return SQLITE_DRIVER




@pytest.fixture(scope="session")
def pg_database(pyodbc_module: Any) -> Iterator[str]:
    """Name of a fresh PostgreSQL database for this session (dropped afterwards)."""
    if PG_DRIVER not in pyodbc_module.drivers():
        unavailable(f"ODBC driver '{PG_DRIVER}' not installed (Debian: apt-get install odbc-postgresql)")
    try:
        admin = pyodbc_module.connect(pg_string("postgres", password_placeholder=False), autocommit=True,
                                      timeout=5)
    except pyodbc_module.Error as exc:
        unavailable(f"PostgreSQL at {PG_HOST}:{PG_PORT} is not reachable as {PG_USER}: {exc.args[-1]}")
    name = f"trayapp_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin.execute(f"CREATE DATABASE {name}")
    try:
        yield name
    finally:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.close()


@pytest.fixture(scope="session")
def pg_staging(pg_database: str) -> str:
    """Connection string (with a {password} placeholder) of the PostgreSQL staging database."""
    conn = open_connection(pg_string(pg_database), password=PG_PASSWORD)
    try:
        conn.execute_script(staging_ddl("postgresql"))
        conn.execute_script(staging_ddl("postgresql"))  # the DDL is idempotent
    finally:
        conn.close()
    return pg_string(pg_database)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    item = make_backend(request.param, tmp_path, request)
    try:
        yield item
    finally:
        item.close()




@pytest.fixture
def demo_path(tmp_path: Path) -> Path:
    return create_demo_erp(tmp_path / "demo-erp.sqlite3", products=80, seed=3)
