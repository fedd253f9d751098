"""The scheduler service: jobs from the config file, hot reload, flags, windows, no overlap,
product import/export never concurrent, one driver per integration across processes, graceful stop."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import time
from dataclasses import replace
from datetime import time as clock
from pathlib import Path

import pytest

from tests.conftest import Rig
from trayapp.config import Config, TimeWindow, save_config
from trayapp.journal import RunRecord
from trayapp.scheduler import SchedulerService


def wait_for(predicate, timeout: float = 20.0, step: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError("condition not met in time")


@pytest.fixture
def service(rig: Rig):
    config_path = rig.root / "config.toml"
    services: list[SchedulerService] = []

    def make(**changes) -> SchedulerService:
        if changes:
            rig.configure(**changes)
        save_config(Config((rig.integration,)), config_path)
        svc = SchedulerService(rig.engine, config_path, locks_dir=rig.root / "locks")
        services.append(svc)
        return svc

    yield make
    for svc in services:
        svc.stop(wait=True)


def fast_ops(rig: Rig, seconds: float, *enabled: str) -> dict:
    ops = rig.integration.operations
    return {name: replace(op, enabled=name in enabled, interval=seconds) for name, op in ops.items()}


def scheduled_runs(rig: Rig, operation: str | None = None) -> list[RunRecord]:
    return [r for r in rig.journal.runs(limit=1000, operation=operation) if r.trigger == "scheduled"]


def test_runs_enabled_operations_and_applies_changes_without_restart(rig: Rig, service) -> None:
    svc = service(operations=fast_ops(rig, 60, "export-products", "update-stock"))
    svc.start()
    assert {(j.operation, j.interval) for j in svc.jobs()} == {("export-products", 60), ("update-stock", 60)}
    wait_for(lambda: len(scheduled_runs(rig, "update-stock")) >= 1 and len(scheduled_runs(rig, "export-products")) >= 1)

    # an edit of the file (as the settings dialog or an editor would do) is applied by the running service
    rig.configure(operations=fast_ops(rig, 1, "update-stock"))
    save_config(Config((rig.integration,)), svc.config_path)
    wait_for(lambda: {(j.operation, j.interval) for j in svc.jobs()} == {("update-stock", 1.0)})
    count = len(scheduled_runs(rig, "update-stock"))
    wait_for(lambda: len(scheduled_runs(rig, "update-stock")) >= count + 2)

    rig.configure(automatic_sync=False)
    save_config(Config((rig.integration,)), svc.config_path)
    wait_for(lambda: svc.jobs() == [])


def test_broken_config_keeps_the_running_jobs(rig: Rig, service) -> None:
    svc = service(operations=fast_ops(rig, 60, "update-stock"))
    svc.start()
    svc.config_path.write_text(svc.config_path.read_text() + "\n[[integrations]]\nname = 'x'\n")
    wait_for(lambda: svc.config_error)
    assert "integrations[1]" in svc.config_error
    assert [j.operation for j in svc.jobs()] == ["update-stock"]


def test_inactive_integration_and_time_windows_prevent_scheduled_runs(rig: Rig, service) -> None:
    svc = service(operations=fast_ops(rig, 1, "update-stock"), active=False)
    svc.start()
    assert svc.jobs() == []
    svc.stop()
    now = time.localtime()
    closed = TimeWindow(("mon", "tue", "wed", "thu", "fri", "sat", "sun"), clock((now.tm_hour + 2) % 24, 0),
                        clock((now.tm_hour + 3) % 24, 0))
    svc = service(active=True, windows=(closed,))
    svc.start()
    time.sleep(2.5)
    assert scheduled_runs(rig) == []


def test_an_overrunning_operation_is_not_stacked(rig: Rig, service) -> None:
    rig.shop.latency = 0.4  # every request takes 0.4 s: a stock run takes longer than its 1 s interval
    svc = service(operations=fast_ops(rig, 1, "export-products"))
    svc.start()
    wait_for(lambda: len([r for r in scheduled_runs(rig, "export-products") if r.finished_at]) >= 2, timeout=40)
    runs = sorted(scheduled_runs(rig, "export-products"), key=lambda r: r.id)
    for earlier, later in itertools.pairwise(runs):
        assert earlier.finished_at is not None and later.started_at >= earlier.finished_at


def test_product_import_and_export_never_overlap(rig: Rig, service) -> None:
    rig.shop.latency = 0.05
    svc = service(operations=fast_ops(rig, 1, "export-products", "import-products"))
    svc.start()
    wait_for(lambda: len(scheduled_runs(rig, "import-products")) >= 2 and
             len(scheduled_runs(rig, "export-products")) >= 2, timeout=40)
    svc.stop()
    runs = [r for r in scheduled_runs(rig) if r.finished_at]
    for a in runs:
        for b in runs:
            if a.operation != b.operation:
                assert a.finished_at <= b.started_at or b.finished_at <= a.started_at, (a, b)


def test_missed_runs_run_once_when_the_scheduler_wakes(rig: Rig, service) -> None:
    svc = service(operations=fast_ops(rig, 3, "update-stock"))
    svc.start()
    first = wait_for(lambda: scheduled_runs(rig, "update-stock"))[-1].started_at.timestamp()
    svc.pause()  # like a suspended machine: fire times t0+3, +6, +9 pass while it sleeps
    time.sleep(max(0.0, first + 10.6 - time.time()))  # wake 1.6 s after the last missed fire time
    resumed = time.time()
    svc.resume()
    time.sleep(1.0)  # the next regular fire time (t0+12) is still 0.4 s away
    late = [r for r in scheduled_runs(rig, "update-stock") if r.started_at.timestamp() >= resumed - 0.05]
    # run at once however late (APScheduler's default 1 s grace would drop it), and only once
    assert len(late) == 1
    assert late[0].started_at.timestamp() - resumed < 0.5


def test_a_second_process_never_drives_the_same_integration(rig: Rig, service, tmp_path: Path) -> None:
    svc = service(operations=fast_ops(rig, 60, "update-stock"))
    env = {**os.environ, "TRAYAPP_HOME": str(tmp_path / "other")}
    # the other process uses the same config and lock folder through a tiny driver script
    script = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from trayapp.engine import Engine\nfrom trayapp.journal import Journal\n"
        "from trayapp.scheduler import SchedulerService\n"
        f"root = Path({str(rig.root)!r})\n"
        "svc = SchedulerService(Engine(Journal(root / 'other-journal.sqlite3'), root / 'locks'), root / 'config.toml',"
        " locks_dir=root / 'locks')\n"
        "svc.start(); print('jobs', len(svc.jobs()), flush=True); time.sleep(30)\n")
    other = subprocess.Popen([sys.executable, "-c", script], env=env, stdout=subprocess.PIPE, text=True)
    try:
        assert other.stdout is not None
        assert other.stdout.readline().strip() == "jobs 1"
        svc.start()
        assert svc.jobs() == []
        assert svc.not_driven() == {"t"}
        other.kill()
        other.wait()
        wait_for(lambda: [j.operation for j in svc.jobs()] == ["update-stock"], timeout=10)  # takes over
    finally:
        other.kill()
        other.wait()


def test_stop_lets_an_order_finish_and_leaves_nothing_half_written(rig: Rig, service) -> None:
    assert rig.run("export-products").status == "ok"
    skus = [p["sku"] for p in rig.shop.all_products() if p["type"] == "simple"][:5]
    for n in range(40):
        rig.shop.add_order([(skus[n % 5], 1), (skus[(n + 1) % 5], 2)])
    rig.shop.latency = 0.02
    svc = service(operations=fast_ops(rig, 60, "import-orders"))
    svc.start()
    wait_for(lambda: rig.sql("SELECT COUNT(*) FROM orders WHERE external_ref IS NOT NULL")[0][0] >= 1, timeout=30)
    svc.stop(wait=True)
    run = scheduled_runs(rig, "import-orders")[0]
    assert run.status in ("cancelled", "ok")
    assert rig.sql("SELECT COUNT(*) FROM orders o WHERE external_ref IS NOT NULL AND "
                   "(SELECT COUNT(*) FROM order_lines l WHERE l.order_id = o.id) <> 2") == [(0,)]
