"""The tray app and the background service never both run jobs of one integration.

Real processes: the background service is started with exactly the command its systemd unit runs
(ExecStart, parsed back from the unit text), and the tray side is the SchedulerService the tray app
builds (cli.make_service) in this process, on the same configuration and data folder. Whoever holds
the integration's driver lock schedules; the other takes over when the holder dies or stops.
"""

from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from tests.conftest import Rig
from trayapp.cli import main, make_service
from trayapp.config import Config, save_config
from trayapp.journal import now_utc
from trayapp.operations.base import RunResult
from trayapp.paths import app_paths
from trayapp.platform.service import SystemdService, systemd_split
from trayapp.scheduler import driver_lock_path, is_driven

REPO = Path(__file__).resolve().parents[2]


def wait_for(predicate, timeout: float = 30.0, step: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError("condition not met in time")


def service_command(paths) -> list[str]:
    unit = SystemdService(paths, scope="user").unit()
    exec_start = next(line for line in unit.splitlines() if line.startswith("ExecStart="))
    return systemd_split(exec_start[len("ExecStart="):])


def start_service_process(command: list[str], log: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "TRAYAPP_HOME"}  # the unit's --home says where
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.Popen(command, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, cwd="/")


def scheduled(paths) -> list:
    from trayapp.journal import Journal

    journal = Journal(paths.journal_file)
    try:
        return [r for r in journal.runs(limit=10_000) if r.trigger == "scheduled"]
    finally:
        journal.close()


def started(log: Path) -> bool:
    """The headless scheduler prints its banner after it tried to take every driver lock."""
    return log.exists() and "scheduler running for: t" in log.read_text()


@pytest.mark.timeout(180)
def test_tray_and_background_service_never_both_schedule(home: Path, rig: Rig, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    paths = app_paths().ensure()
    ops = {name: replace(op, enabled=name == "update-stock", interval=1.0)
           for name, op in rig.integration.operations.items()}
    rig.configure(operations=ops)
    save_config(Config((rig.integration,)), paths.config_file)
    command = service_command(paths)
    assert command[-2:] == ["run", "--headless"] and "--home" in command
    lock = driver_lock_path(paths.locks_dir, "t")

    tray_runs: list[RunResult] = []
    first = start_service_process(command, tmp_path / "service1.log")
    second: subprocess.Popen | None = None
    tray = None
    try:
        # 1. the background service alone: it drives the integration and runs its jobs
        wait_for(lambda: started(tmp_path / "service1.log") and is_driven(lock) and scheduled(paths))
        # 2. the tray app starts its own scheduler on the same configuration: it schedules nothing
        tray = make_service(paths)
        tray.engine.add_listener(lambda event, result: tray_runs.append(result) if event == "started"
                                 and result.trigger == "scheduled" else None)
        tray.start()
        assert tray.jobs() == [] and tray.not_driven() == {"t"}
        before = len(scheduled(paths))
        wait_for(lambda: len(scheduled(paths)) >= before + 3)  # the service keeps running jobs...
        assert tray_runs == []  # ...and the tray none
        assert main(["--json", "service", "status", "--scope", "user"]) == 0
        assert json.loads(capsys.readouterr().out)["integrations"] == [{"name": "t", "driven": True}]

        # 3. the service dies (kill -9): the tray takes over
        first.send_signal(signal.SIGKILL)
        first.wait(10)
        killed_at = now_utc()
        wait_for(lambda: [j.operation for j in tray.jobs()] == ["update-stock"], timeout=15)
        wait_for(lambda: len(tray_runs) >= 2)

        # 4. the service starts again while the tray drives: it schedules nothing
        second = start_service_process(command, tmp_path / "service2.log")
        second_started = now_utc()
        wait_for(lambda: started(tmp_path / "service2.log"))
        time.sleep(3)
        tray_ids = {r.run_id for r in tray_runs}
        assert [r.id for r in scheduled(paths) if r.started_at >= second_started and r.id not in tray_ids] == []

        # 5. the tray quits: the service takes over
        tray.stop(wait=True)
        stopped_at = now_utc()
        tray_ids = {r.run_id for r in tray_runs}
        wait_for(lambda: [r for r in scheduled(paths) if r.id not in tray_ids and r.started_at > stopped_at],
                 timeout=20)
        assert second.poll() is None

        # never both: every run outside the tray's window is the service's, every run inside the tray's
        runs = scheduled(paths)
        for run in runs:
            if run.id in tray_ids:
                assert killed_at <= run.started_at <= stopped_at
            else:
                assert run.started_at <= killed_at or run.started_at >= stopped_at, run
        assert _no_overlap(runs)

        # 6. the service stops on SIGTERM, gracefully
        second.send_signal(signal.SIGTERM)
        assert second.wait(30) == 0
    finally:
        if tray is not None:
            tray.stop(wait=True)
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.kill()
                process.wait()


def _no_overlap(runs) -> bool:
    """Finished runs never overlap (a run killed with its process has no end; the partition by the
    kill time above covers it)."""
    spans = sorted((r.started_at, r.finished_at) for r in runs if r.finished_at is not None)
    return all(a_end <= b_start for (_, a_end), (b_start, _) in itertools.pairwise(spans))


if sys.platform == "win32":  # pragma: no cover - the test drives POSIX signals
    pytestmark = pytest.mark.skip("POSIX signals")
