"""EngineBridge: engine and scheduler events from worker threads arrive as signals on the GUI thread."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from tests.conftest import Rig
from trayapp.config import Config, save_config
from trayapp.scheduler import SchedulerService
from trayapp.ui.bridge import EngineBridge


@pytest.fixture
def service(rig: Rig):
    config_path = rig.root / "config.toml"
    save_config(Config((rig.integration,)), config_path)
    svc = SchedulerService(rig.engine, config_path, locks_dir=Path(rig.root / "locks"))
    yield svc
    svc.stop(wait=True)


def test_runs_on_worker_threads_reach_the_gui_thread(qtbot, rig: Rig, service: SchedulerService) -> None:
    bridge = EngineBridge(service)
    seen: list[tuple[str, str, str, bool]] = []
    bridge.run_started.connect(lambda r: seen.append(("started", r.operation, r.status, _on_main_thread())))
    bridge.run_finished.connect(lambda r: seen.append(("finished", r.operation, r.status, _on_main_thread())))

    worker = threading.Thread(target=lambda: rig.run("update-stock", trigger="manual"), name="a-job")
    with qtbot.waitSignal(bridge.run_finished, timeout=60_000) as finished:
        worker.start()
    worker.join()
    assert finished.args[0].status == "ok" and finished.args[0].run_id is not None
    # the started event carries a snapshot: the engine's later changes do not leak into it
    assert seen == [("started", "update-stock", "running", True), ("finished", "update-stock", "ok", True)]


def test_state_changes_from_any_thread_reach_the_gui_thread(qtbot, service: SchedulerService) -> None:
    bridge = EngineBridge(service)
    threads: list[bool] = []
    bridge.state_changed.connect(lambda: threads.append(_on_main_thread()))
    worker = threading.Thread(target=lambda: service.reload(force=True), name="a-reload")
    with qtbot.waitSignal(bridge.state_changed, timeout=10_000):
        worker.start()
    worker.join()
    assert threads == [True]


def test_a_detached_bridge_hears_nothing(qtbot, rig: Rig, service: SchedulerService) -> None:
    bridge = EngineBridge(service)
    bridge.detach()
    heard: list[object] = []
    bridge.run_finished.connect(heard.append)
    bridge.state_changed.connect(lambda: heard.append("state"))
    worker = threading.Thread(target=lambda: (rig.run("update-stock", trigger="manual"), service.reload(force=True)))
    worker.start()
    worker.join()
    qtbot.wait(200)
    assert heard == []
    assert bridge._on_run not in rig.engine._listeners and bridge._on_state not in service.state_listeners


def _on_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()
