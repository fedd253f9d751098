"""Configuration: validation errors name file, key and line; saving is atomic and round-trips."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from trayapp.config import (
    Config,
    ErpConfig,
    Integration,
    OperationConfig,
    ShopConfig,
    TimeWindow,
    load_config,
    parse_duration,
    save_config,
)
from trayapp.errors import ConfigError

GOOD = """\
version = 1

[settings]
event_history = true

[[integrations]]
name = "shop-a"
active = true
automatic_sync = true

[integrations.erp]
connection = "DRIVER={SQLite3};Database=/tmp/erp.db"
profile = "demo"

[integrations.shop]
platform = "woocommerce"
url = "https://shop.example.com/"
key_secret = "wc-key"
secret_secret = "wc-secret"

[integrations.operations.update-stock]
interval = "90s"
buffer = 2
labels = ["shop"]

[integrations.operations.import-orders]
interval = 60
statuses = ["processing"]

[[integrations.windows]]
days = "mon-fri"
start = "08:00"
end = "18:00"

[[integrations]]
name = "shop-b"

[integrations.erp]
connection = "sqlite:///tmp/b.db"

[integrations.shop]
url = "http://127.0.0.1:9999"
timeout = 5
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_loads_a_valid_file(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, GOOD))
    a = config.integration("shop-a")
    assert a.shop.url == "https://shop.example.com"
    assert a.operation("update-stock").interval == 90
    assert a.operation("update-stock").buffer == 2
    assert a.operation("update-stock").labels == ("shop",)
    assert a.operation("import-orders").statuses == ("processing",)
    assert not a.operation("export-products").enabled  # not listed -> not enabled
    assert a.windows[0].days == ("mon", "tue", "wed", "thu", "fri")
    assert config.integration("shop-b").shop.timeout == 5


def test_missing_file_is_an_empty_config(tmp_path: Path) -> None:
    assert load_config(tmp_path / "nope.toml").integrations == ()


@pytest.mark.parametrize(("broken", "key", "expected"), [
    ('url = "https://shop.example.com/"', "integrations[0].shop.url", "http:// or https://"),
    ('interval = "90s"', "integrations[0].operations.update-stock.interval", "at least 1"),
    ('buffer = 2', "integrations[0].operations.update-stock.buffer", "number of units"),
    ('statuses = ["processing"]', "integrations[0].operations.import-orders.statuses", "list of texts"),
    ('start = "08:00"', "integrations[0].windows[0].start", "HH:MM"),
])
def test_invalid_values_name_file_key_and_line(tmp_path: Path, broken: str, key: str, expected: str) -> None:
    replacement = {
        'url = "https://shop.example.com/"': 'url = "shop.example.com"',
        'interval = "90s"': 'interval = "0.5s"',
        'buffer = 2': 'buffer = -1',
        'statuses = ["processing"]': 'statuses = "processing"',
        'start = "08:00"': 'start = "8 am"',
    }[broken]
    text = GOOD.replace(broken, replacement)
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    error = info.value
    assert error.key == key
    assert error.path == str(path)
    assert expected in str(error)
    assert error.line is not None
    assert replacement in text.splitlines()[error.line - 1]


def test_unknown_key_is_refused_with_the_allowed_ones(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("automatic_sync = true", "automatic_snyc = true"))
    with pytest.raises(ConfigError, match=r"automatic_snyc.*unknown setting.*automatic_sync"):
        load_config(path)


def test_toml_syntax_error_gives_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace('profile = "demo"', 'profile = "demo'))
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert info.value.line == 13
    assert "not valid TOML" in str(info.value)


def test_a_field_with_two_masters_is_refused(tmp_path: Path) -> None:
    text = GOOD + '\n[integrations.ownership]\nerp = ["name", "price"]\nshop = ["price", "description"]\n'
    with pytest.raises(ConfigError, match=r"price.*two masters"):
        load_config(write(tmp_path, text))


def test_a_password_in_the_connection_string_is_refused(tmp_path: Path) -> None:
    text = GOOD.replace("Database=/tmp/erp.db", "Database=x;UID=sa;PWD=hunter2")
    with pytest.raises(ConfigError, match=r"contains a password.*\{password\}"):
        load_config(write(tmp_path, text))
    ok = GOOD.replace("Database=/tmp/erp.db", "Database=x;UID=sa;PWD={password}")
    assert load_config(write(tmp_path, ok)).integration("shop-a")


def test_duplicate_names_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="used twice"):
        load_config(write(tmp_path, GOOD.replace('name = "shop-b"', 'name = "shop-a"')))


def test_save_round_trips_and_keeps_a_backup(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    config = load_config(path)
    changed = config.with_integration(
        Integration(name="shop-a", erp=ErpConfig("sqlite:///x.db"), shop=ShopConfig("woocommerce", "https://x.test"),
                    operations={"update-stock": OperationConfig("update-stock", interval=2.5)}))
    save_config(changed, path)
    again = load_config(path)
    assert again.integration("shop-a").shop.url == "https://x.test"
    assert again.integration("shop-a").operation("update-stock").interval == 2.5
    assert [i.name for i in again.integrations] == ["shop-a", "shop-b"]
    assert (tmp_path / "config.toml.bak").read_text(encoding="utf-8") == GOOD
    assert "keyring" in path.read_text(encoding="utf-8").splitlines()[2]


def test_an_invalid_config_is_never_written(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    bad = Config((Integration(name="bad name!", erp=ErpConfig("x"), shop=ShopConfig("woocommerce", "https://x")),))
    with pytest.raises(ConfigError):
        save_config(bad, path)
    assert path.read_text(encoding="utf-8") == GOOD
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]


def test_durations() -> None:
    assert parse_duration("5m") == 300
    assert parse_duration("250ms") == 0.25
    assert parse_duration(7) == 7
    with pytest.raises(ConfigError):
        parse_duration("soon")


def test_time_windows_use_local_wall_time_and_span_midnight(monkeypatch: pytest.MonkeyPatch) -> None:
    import time as time_module

    monkeypatch.setenv("TZ", "Europe/Warsaw")
    time_module.tzset()
    try:
        tz = ZoneInfo("Europe/Warsaw")
        office = TimeWindow(("mon", "tue", "wed", "thu", "fri"), datetime(2000, 1, 1, 8).time(),
                            datetime(2000, 1, 1, 18).time())
        assert office.contains(datetime(2026, 11, 23, 9, 0, tzinfo=tz))  # Monday 09:00
        assert not office.contains(datetime(2026, 11, 23, 18, 0, tzinfo=tz))
        assert not office.contains(datetime(2026, 11, 22, 9, 0, tzinfo=tz))  # Sunday
        night = TimeWindow(("fri",), datetime(2000, 1, 1, 22).time(), datetime(2000, 1, 1, 6).time())
        assert night.contains(datetime(2026, 11, 27, 23, 0, tzinfo=tz))  # Friday 23:00
        assert night.contains(datetime(2026, 11, 28, 5, 0, tzinfo=tz))  # Saturday 05:00 (Friday's night)
        assert not night.contains(datetime(2026, 11, 28, 23, 0, tzinfo=tz))
    finally:
        monkeypatch.delenv("TZ")
        time_module.tzset()


def test_two_integrations_on_one_erp_need_distinct_order_prefixes(tmp_path: Path) -> None:
    text = GOOD.replace("sqlite:///tmp/b.db", "DRIVER={SQLite3};Database=/tmp/erp.db")
    with pytest.raises(ConfigError, match="same ERP database with the same order_ref_prefix"):
        load_config(write(tmp_path, text))
    fixed = text.replace('name = "shop-b"', 'name = "shop-b"\norder_ref_prefix = "B-"')
    assert load_config(write(tmp_path, fixed)).integration("shop-b").order_ref_prefix == "B-"
