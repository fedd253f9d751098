"""Conversion of database values to canonical ones, as drivers hand them over."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from erp_support import Backend, run

from trayapp.erp.connection import ErpConnection
from trayapp.erp.database import split_categories, to_bool, to_text, to_utc
from trayapp.model import BadRecord


def test_to_bool_accepts_what_erps_store() -> None:
    for value in (True, 1, -1, Decimal("1"), 1.0, "1", "-1", "true", "T", "yes", "Y", "on", " True "):
        assert to_bool(value) is True, value
    for value in (False, 0, Decimal(0), 0.0, "0", "false", "f", "no", "N", "off", ""):
        assert to_bool(value) is False, value
    assert to_bool(None) is True and to_bool(None, default=False) is False
    with pytest.raises(ValueError, match="maybe"):
        to_bool("maybe")


def test_to_utc_accepts_datetimes_dates_and_iso_text() -> None:
    expected = datetime(2024, 3, 1, 10, 0, tzinfo=UTC)
    assert to_utc(datetime(2024, 3, 1, 10, 0)) == expected
    assert to_utc(datetime(2024, 3, 1, 12, 0, tzinfo=timezone(timedelta(hours=2)))) == expected
    assert to_utc("2024-03-01 10:00:00") == expected
    assert to_utc("2024-03-01T10:00:00Z") == expected
    assert to_utc("2024-03-01T11:00:00+01:00") == expected
    assert to_utc("2024-03-01 10:00:00.000") == expected
    assert to_utc(date(2024, 3, 1)) == datetime(2024, 3, 1, tzinfo=UTC)
    assert to_utc(None) is None and to_utc("") is None
    for bad in ("yesterday", 1709287200, "2024-13-01"):
        with pytest.raises(ValueError):
            to_utc(bad)
    assert to_utc("2024-03-01 10:00:00").tzinfo is UTC


def test_to_text_of_codes() -> None:
    assert to_text(None) == ""
    assert to_text(10023.0) == "10023" and to_text(Decimal("10023.000")) == "10023"
    assert to_text(Decimal("1.50")) == "1.50" and to_text(12.5) == "12.5"
    assert to_text(b"abc") == "abc" and to_text(5901234123457) == "5901234123457"
    assert split_categories(" Garden | Tools||") == ("Garden", "Tools")
    assert split_categories(None) == ()


def test_adapt_binds_utc_whole_seconds() -> None:
    import sqlite3

    conn = ErpConnection(sqlite3.connect(":memory:"), dialect="sqlite", driver="sqlite3", description="mem",
                         is_odbc=False)
    when = datetime(2024, 3, 1, 12, 0, 5, 999_000, tzinfo=timezone(timedelta(hours=2)))
    assert conn.adapt(when) == "2024-03-01 10:00:05"
    assert conn.adapt(True) == 1 and conn.adapt(Decimal("19.990")) == "19.990"
    odbc = ErpConnection(None, dialect="postgresql", driver="psqlodbcw.so", description="x", is_odbc=True)
    assert odbc.adapt(when) == datetime(2024, 3, 1, 10, 0, 5)
    assert odbc.adapt(Decimal("19.99")) == Decimal("19.99") and odbc.adapt(False) == 0


@pytest.mark.parametrize("backend", ["staging-sqlite3"], indirect=True)
def test_bad_boolean_and_date_name_their_column(backend: Backend) -> None:
    run(backend.admin, "UPDATE trayapp_products SET active = 'maybe' WHERE sku = 'MUG-01'")
    run(backend.admin, "UPDATE trayapp_products SET modified_at = 'last week' WHERE sku = 'TEE'")
    bad = {r.key: r.reason for r in backend.open().read_products() if isinstance(r, BadRecord)}
    assert bad == {"MUG-01": "active: not a boolean: 'maybe'", "TEE": "modified_at: not a date/time: 'last week'"}
