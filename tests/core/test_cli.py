"""The command line, in-process: setup, sync with exit codes and scopes, status/history JSON, secrets
in the keyring (an in-memory backend here; the real Secret Service is tested with the tray), clear
errors for broken configuration, and no secret in any file trayapp writes."""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path

import pytest

from tests.conftest import Rig
from trayapp.cli import main
from trayapp.demo.erp import demo_connection_string
from trayapp.demo.shop_server import ShopServer
from trayapp.logs import setup_logging
from trayapp.paths import app_paths


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def add_integration(capsys, rig: Rig, *extra: str) -> None:
    code, out, _ = cli(capsys, "integration", "add", "t", "--erp", demo_connection_string(rig.erp_path),
                       "--url", rig.shop.url, *extra)
    assert code == 0, out


def test_setup_sync_status_history(home: Path, rig: Rig, capsys) -> None:
    add_integration(capsys, rig)
    code, out, _ = cli(capsys, "integration", "list", "--json")
    assert json.loads(out)["integrations"][0]["name"] == "t"

    code, out, _ = cli(capsys, "sync", "t", "export-products", "update-stock", "--json")
    assert code == 0
    results = json.loads(out)["results"]
    assert [r["status"] for r in results] == ["ok", "ok"]
    assert results[0]["created"] == rig.sql("SELECT COUNT(*) FROM products")[0][0]

    code, out, _ = cli(capsys, "sync", "t", "update-stock", "--dry-run", "--all", "--force")
    assert code == 0
    assert "would update" in out  # forced: every SKU would be sent again

    code, out, _ = cli(capsys, "status", "--json")
    ops = {o["operation"]: o for o in json.loads(out)["integrations"][0]["operations"]}
    assert ops["export-products"]["last_run"]["status"] == "ok"
    assert ops["import-products"]["enabled"] is False

    code, out, _ = cli(capsys, "history", "--json")
    runs = json.loads(out)["runs"]
    assert [r["operation"] for r in runs] == ["update-stock", "export-products"]  # dry runs are not history
    assert all(r["trigger"] == "manual" for r in runs)


def test_exit_codes_and_failed_records(home: Path, rig: Rig, capsys) -> None:
    add_integration(capsys, rig)
    sku = rig.sql("SELECT code FROM products WHERE parent_id IS NULL LIMIT 1")[0][0]
    rig.sql("UPDATE products SET name = '' WHERE code = ?", (sku,))
    code, out, _ = cli(capsys, "sync", "t", "export-products")
    assert code == 1  # some records failed
    assert f"failed {sku}: product {sku} has no name" in out
    code, out, _ = cli(capsys, "history", "--status", "partial", "--json")
    run_id = json.loads(out)["runs"][0]["id"]
    code, out, _ = cli(capsys, "history", "--run", str(run_id))
    assert f"failed {sku}" in out

    rig.shop.stop()  # the shop is down: a connection error
    code, out, err = cli(capsys, "sync", "t", "update-stock")
    assert code == 2
    assert "failed" in out and "error:" in out

    code, out, err = cli(capsys, "sync", "nope")
    assert code == 2 and "no integration named 'nope'" in err


def test_broken_config_is_a_clear_error(home: Path, capsys) -> None:
    paths = app_paths().ensure()
    paths.config_file.write_text('version = 1\n[[integrations]]\nname = "x"\n[integrations.erp]\n'
                                 'connection = "sqlite:///x.db"\n[integrations.shop]\nurl = "ftp://x"\n')
    code, _, err = cli(capsys, "status")
    assert code == 2
    assert str(paths.config_file) in err and "line 7" in err and "integrations[0].shop.url" in err
    code, out, _ = cli(capsys, "config", "check", "--json")
    assert code == 2 and "integrations[0].shop.url" in json.loads(out)["error"]


def test_no_secret_reaches_config_logs_or_journal(home: Path, tmp_path: Path, memory_keyring, capsys,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    key, secret = "ck_live_1234567890abcdef", "cs_live_fedcba0987654321"
    paths = app_paths().ensure()
    setup_logging(paths.log_dir, level="DEBUG")
    logging.getLogger("urllib3").setLevel(logging.DEBUG)
    with ShopServer(consumer_key=key, consumer_secret=secret) as shop:
        rig = Rig(tmp_path / "rig", shop)
        code, out, _ = cli(capsys, "integration", "add", "t", "--erp", demo_connection_string(rig.erp_path),
                           "--url", shop.url, "--key-secret", "wc-key", "--secret-secret", "wc-secret")
        assert code == 0 and "trayapp secret set t wc-key" in out
        code, out, _ = cli(capsys, "sync", "t", "update-stock")
        assert code == 2 and "no secret 'wc-key'" in out and "trayapp secret set t wc-key" in out
        for name, value in (("wc-key", key), ("wc-secret", secret)):
            monkeypatch.setattr("sys.stdin", io.StringIO(value + "\n"))
            assert cli(capsys, "secret", "set", "t", name)[0] == 0
        assert memory_keyring.store[("trayapp", "t/wc-key")] == key

        code, out, err = cli(capsys, "-v", "sync", "t", "export-products", "update-stock")
        assert code == 0, out + err
        memory_keyring.store[("trayapp", "t/wc-secret")] = "cs_wrong_secret_000000"  # a failing run, logged
        code, out, err = cli(capsys, "-v", "sync", "t", "update-stock", "--force")
        assert code == 2
        printed = out + err
    logging.getLogger("urllib3").setLevel(logging.WARNING)
    for handler in logging.getLogger().handlers:
        handler.flush()
    written = [p for p in Path(home).rglob("*") if p.is_file()]
    assert any(p.suffix == ".log" for p in written) and any("journal" in p.name for p in written)
    assert "wc-key" in paths.config_file.read_text()  # the reference is there...
    for path in written:
        data = path.read_bytes()
        for value in (key, secret, "cs_wrong_secret_000000"):
            assert value.encode() not in data, f"{value} found in {path}"  # ...never the value
    for value in (key, secret, "cs_wrong_secret_000000"):
        assert value not in printed


def test_no_display_points_to_headless_mode(home: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("sys.platform", "linux")
    code, _, err = cli(capsys)
    assert code == 2 and "trayapp run --headless" in err
