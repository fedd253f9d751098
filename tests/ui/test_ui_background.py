"""Background mode: while another process's scheduler (the background service, `trayapp run
--headless`) drives an integration, the tray schedules nothing for it and shows that scheduler's
state - its runs, read from the shared journal - and offers Background service ▸ Start / Stop / Status.

The main test runs the real `python -m trayapp run --headless` next to the tray's own SchedulerService
(as run_app builds it) on one TRAYAPP_HOME; the others hold the driver lock from a small process and
write the "other process's" runs into the journal themselves, to check each state exactly.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.conftest import Rig
from trayapp.cli import make_service
from trayapp.config import Config, save_config
from trayapp.demo.shop_server import Fault
from trayapp.journal import Journal, now_utc
from trayapp.paths import AppPaths, app_paths
from trayapp.platform import PlatformError
from trayapp.platform.service import ServiceStatus
from trayapp.scheduler import SchedulerService, driver_lock_path, is_driven
from trayapp.ui import tray as tray_module
from trayapp.ui.background import RemoteRuns
from trayapp.ui.state import IconState

ROOT = Path(__file__).resolve().parents[2]
WAIT = 60_000

if sys.platform == "win32":  # pragma: no cover - POSIX signals
    pytest.skip("the other process is stopped with POSIX signals", allow_module_level=True)


@pytest.fixture(autouse=True)
def quick_looks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tray_module, "BACKGROUND_POLL_MS", 200)


def finish(journal: Journal, run_id: int, status: str = "ok", **counts) -> None:
    journal.finish_run(run_id, status=status, finished_at=now_utc(), created=counts.get("created", 0),
                       updated=counts.get("updated", 0), skipped=0, failed=counts.get("failed", 0), duration=0.5,
                       error=counts.get("error", ""), failures=counts.get("failures", ()))


def start(journal: Journal, integration: str = "t", operation: str = "update-stock",
          trigger: str = "scheduled") -> int:
    return journal.start_run(integration, operation, trigger, "", now_utc())


# ---------------------------------------------------------------------------------------- RemoteRuns

def test_remote_runs_running_now_and_each_finished_run_once(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "journal.sqlite3")
    other = Journal(tmp_path / "journal.sqlite3")  # the other process's connection
    finish(other, start(other))  # before the tray looked: already in its Health, not reported again
    already = start(other, operation="import-orders")  # running when the tray starts
    remote = RemoteRuns(journal)

    assert remote.poll({"t"}) == (frozenset({("t", "import-orders")}), [])
    first = start(other)
    running, finished = remote.poll({"t"})
    assert running == {("t", "import-orders"), ("t", "update-stock")} and finished == []
    finish(other, first, "failed", error="HTTP 503")
    second = start(other)
    finish(other, second, "ok", updated=3)  # started and finished between two looks
    finish(other, already, "ok")
    mine = start(other, integration="mine")  # an integration this process drives: not another's
    running, finished = remote.poll({"t"})
    assert running == frozenset()
    assert [(r.id, r.status) for r in finished] == [(already, "ok"), (first, "failed"), (second, "ok")]
    assert remote.poll({"t"}) == (frozenset(), [])  # each once
    finish(other, mine)

    local = start(other)  # a run of this process (e.g. Sync now of that integration): excluded
    assert remote.poll({"t"}, exclude={local}) == (frozenset(), [])
    finish(other, local)
    assert remote.poll({"t"}, exclude={local}) == (frozenset(), [])


def test_a_running_row_left_by_a_dead_process_is_not_running(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "journal.sqlite3")
    remote = RemoteRuns(journal)
    start(journal)  # its process was killed: the row stays 'running'...
    assert remote.poll({"t"})[0] == {("t", "update-stock")}
    later = start(journal)  # ...until a newer run of that operation (which marks it interrupted)
    finish(journal, later)
    running, finished = remote.poll({"t"})
    assert running == frozenset() and [r.id for r in finished] == [later]


# ---------------------------------------------------------------------------------------- the tray

class LockHolder:
    """Another process holding an integration's driver lock: to this process, a scheduler driving it."""

    def __init__(self, lock: Path) -> None:
        code = ("import sys, time; from filelock import FileLock; l = FileLock(sys.argv[1]); l.acquire(); "
                "print('held', flush=True); time.sleep(600)")
        self.process = subprocess.Popen([sys.executable, "-c", code, str(lock)], stdout=subprocess.PIPE, text=True)
        assert self.process.stdout is not None and self.process.stdout.readline().strip() == "held"

    def release(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()


class FakeManager:
    """A service manager answering like trayapp.platform.service's, recording the threads it is called on."""

    def __init__(self, *, installed: bool = True, running: bool | None = True, fail: str = "") -> None:
        self.installed, self.is_running, self.fail = installed, running, fail
        self.calls: list[tuple[str, str]] = []

    def __call__(self, paths: AppPaths) -> FakeManager:
        return self

    def _call(self, what: str) -> None:
        self.calls.append((what, threading.current_thread().name))
        if self.fail and what != "status":
            raise PlatformError(self.fail)

    def status(self) -> ServiceStatus:
        self._call("status")
        return ServiceStatus("linux", "systemd", "system", True, self.installed, "/etc/systemd/system/trayapp.service",
                             self.installed, self.is_running,
                             ["trayapp", "run", "--headless"], "anna", "/etc/trayapp/trayapp.env",
                             [{"name": "t", "driven": True}], ["secrets: TRAYAPP_SECRET_<INTEGRATION>_<NAME>=value"])

    def start(self) -> list[str]:
        self._call("start")
        self.is_running = True
        return ["started trayapp.service"]

    def stop(self) -> list[str]:
        self._call("stop")
        self.is_running = False
        return ["stopped trayapp.service"]


@pytest.fixture
def held(ui_service: SchedulerService, paths: AppPaths):
    """The rig's integration 't', driven by another process (it holds the lock before the tray's
    scheduler looks)."""
    ui_service.stop(wait=True)
    holder = LockHolder(ui_service.engine.lock_path("t", "driver"))
    service = SchedulerService(ui_service.engine, paths.config_file, locks_dir=paths.locks_dir, run_at_start=False)
    service.start()
    try:
        assert service.jobs() == [] and service.not_driven() == {"t"}
        yield service, holder
    finally:
        service.stop(wait=True)
        holder.release()


def test_the_other_schedulers_runs_make_the_icon(qtbot, make_controller, held, rig: Rig) -> None:
    service, _ = held
    manager = FakeManager(running=True)
    controller = make_controller(service, service_manager=manager)
    notes: list[tuple[str, str]] = []
    controller.notified.connect(lambda title, text: notes.append((title, text)))
    qtbot.waitUntil(lambda: controller.background == {"t"}, timeout=5_000)
    qtbot.waitUntil(lambda: controller.service_control.state is not None, timeout=5_000)
    assert controller.icon_state is IconState.RUNNING  # not "stopped": the background service runs it
    assert controller.status_action.text() == "Automatic sync is on, run by the background service"
    assert "t: never run; run by the background service" in controller.tray.toolTip()
    assert [(what, thread) for what, thread in manager.calls if thread == threading.main_thread().name] == []

    journal = Journal(rig.root / "journal.sqlite3")  # the other process's journal connection
    run = start(journal)
    qtbot.waitUntil(lambda: controller.icon_state is IconState.SYNCING, timeout=5_000)
    assert controller.status_action.text() == "Syncing: t - Update stock"
    finish(journal, run, "partial", updated=4, failed=1, failures=[("SKU-1", "the shop refused the price")])
    qtbot.waitUntil(lambda: controller.icon_state is IconState.WARNING, timeout=5_000)
    assert notes == [("t: Update stock failed", "1 record(s) could not be synced; the others were. They are "
                      "retried on the next run. SKU-1: the shop refused the price")]
    assert controller.status_action.text() == "Run by the background service; 1 operation(s) failing"
    assert "failing: Update stock" in controller.tray.toolTip()
    finish(journal, start(journal), "ok", updated=1)
    qtbot.waitUntil(lambda: controller.icon_state is IconState.RUNNING, timeout=5_000)
    assert notes[-1] == ("t: Update stock works again", "The last run finished without errors (1 updated).")
    assert "last: Update stock OK" in controller.tray.toolTip()
    assert service.jobs() == []


@pytest.mark.parametrize("manager", [
    FakeManager(installed=False, running=None),  # systemd not running here: "is it running?" has no answer
    FakeManager(installed=True, running=False),
], ids=["not-installed", "stopped"])
def test_another_process_that_is_not_the_service_is_named_so(qtbot, make_controller, held, manager) -> None:
    service, _ = held
    controller = make_controller(service, service_manager=manager)
    qtbot.waitUntil(lambda: controller.service_control.state is not None, timeout=5_000)
    qtbot.waitUntil(lambda: controller.status_action.text() == "Automatic sync is on, run by another trayapp process",
                    timeout=5_000)
    assert "t: never run; run by another trayapp process" in controller.tray.toolTip()


def test_when_the_other_process_stops_the_tray_takes_over(qtbot, make_controller, held) -> None:
    service, holder = held
    controller = make_controller(service, service_manager=FakeManager(running=True))
    qtbot.waitUntil(lambda: controller.background == {"t"}, timeout=5_000)
    holder.release()
    qtbot.waitUntil(lambda: len(service.jobs()) == 5, timeout=15_000)  # its five operations, scheduled here
    qtbot.waitUntil(lambda: controller.background == frozenset(), timeout=5_000)
    assert controller.status_action.text() == "Automatic sync is on"
    assert controller.icon_state is IconState.RUNNING


# ---------------------------------------------------------------------------------------- the menu

def service_menu(controller) -> list[tuple[str, bool]]:
    controller.menu.aboutToShow.emit()
    controller.service_menu.aboutToShow.emit()
    return [(a.text(), a.isEnabled()) for a in controller.service_menu.actions() if not a.isSeparator()]


def message_boxes() -> list[QMessageBox]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]


def test_background_service_menu_not_installed(qtbot, make_controller, ui_service) -> None:
    manager = FakeManager(installed=False, running=None)
    controller = make_controller(ui_service, service_manager=manager)
    with qtbot.waitSignal(controller.service_control.checked, timeout=5_000):
        service_menu(controller)
    assert service_menu(controller)[0] == ("Not installed", False)
    assert [(t, e) for t, e in service_menu(controller)[1:]] == [("Start", False), ("Stop", False), ("Status…", True)]
    assert "sudo trayapp service install" in controller.service_start_action.toolTip()
    with qtbot.waitSignal(controller.service_control.checked, timeout=5_000):
        controller.service_status_action.trigger()
    [box] = message_boxes()
    assert "not installed" in box.text() and "sudo trayapp service install" in box.text()
    assert all(thread != threading.main_thread().name for _, thread in manager.calls)


def test_background_service_start_stop_and_status(qtbot, make_controller, ui_service) -> None:
    manager = FakeManager(running=False)
    controller = make_controller(ui_service, service_manager=manager)
    notes: list[str] = []
    controller.notified.connect(lambda title, text: notes.append(title))
    with qtbot.waitSignal(controller.service_control.checked, timeout=5_000):
        service_menu(controller)
    assert service_menu(controller)[:3] == [("Stopped", False), ("Start", True), ("Stop", False)]
    with qtbot.waitSignal(controller.service_control.done, timeout=5_000) as done:
        controller.service_start_action.trigger()
        assert controller.service_state_action.text() == "Starting…"
        assert not controller.service_start_action.isEnabled()
    assert done.args == ["start", ""] and notes == ["Background service started"]
    assert service_menu(controller)[:3] == [("Running", False), ("Start", False), ("Stop", True)]
    with qtbot.waitSignal(controller.service_control.checked, timeout=5_000):
        controller.service_status_action.trigger()
    [box] = message_boxes()
    assert box.text().splitlines()[:4] == ["Running: yes", "Starts with the computer: yes",
                                           "Defined in: /etc/systemd/system/trayapp.service", "Runs as: anna"]
    box.close()
    with qtbot.waitSignal(controller.service_control.done, timeout=5_000):
        controller.service_stop_action.trigger()
    assert notes[-1] == "Background service stopped"
    assert [what for what, _ in manager.calls if what != "status"] == ["start", "stop"]
    assert all(thread != threading.main_thread().name for _, thread in manager.calls)


def test_background_service_failures_are_said_in_words(qtbot, make_controller, ui_service) -> None:
    manager = FakeManager(running=False, fail="systemctl start trayapp.service failed (1): Interactive "
                                              "authentication required.")
    controller = make_controller(ui_service, service_manager=manager)
    with qtbot.waitSignal(controller.service_control.checked, timeout=5_000):
        service_menu(controller)
    with qtbot.waitSignal(controller.service_control.done, timeout=5_000):
        controller.service_start_action.trigger()
    [box] = message_boxes()
    assert box.text().startswith("The background service could not be started.\n\nsystemctl start")
    assert "sudo trayapp service start" in box.text()


def test_no_service_manager_here(qtbot, make_controller, ui_service) -> None:
    def unsupported(paths: AppPaths):
        raise PlatformError("the background service is not supported on sunos5")

    controller = make_controller(ui_service, service_manager=unsupported)
    with qtbot.waitSignal(controller.service_control.checked, timeout=5_000):
        service_menu(controller)
    assert service_menu(controller)[:3] == [("Not available here", False), ("Start", False), ("Stop", False)]
    assert "not supported on sunos5" in controller.service_stop_action.toolTip()


def test_the_real_service_manager_answers_off_the_gui_thread(qtbot, make_controller, ui_service, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """trayapp.platform.service.default(paths) itself (systemd here): nothing installed in this home."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    controller = make_controller(ui_service)
    with qtbot.waitSignal(controller.service_control.checked, timeout=30_000):
        service_menu(controller)
    state = controller.service_control.state
    if state is None:  # no service manager on this system
        assert service_menu(controller)[0] == ("Not available here", False)
    elif not state.installed:
        assert service_menu(controller)[:3] == [("Not installed", False), ("Start", False), ("Stop", False)]


# ---------------------------------------------------------------------------------------- a real second process

class HeadlessService:
    """`python -m trayapp run --headless` on the same TRAYAPP_HOME, started and stopped as a service
    manager would (SIGTERM: running operations finish first) - the tray's Background service ▸ drives it."""

    def __init__(self, log: Path) -> None:
        self.log = log
        self.process: subprocess.Popen | None = None
        self.calls: list[tuple[str, str]] = []

    def __call__(self, paths: AppPaths) -> HeadlessService:
        return self

    def start(self) -> list[str]:
        self.calls.append(("start", threading.current_thread().name))
        env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
        self.process = subprocess.Popen([sys.executable, "-m", "trayapp", "run", "--headless"], cwd=ROOT, env=env,
                                        stdout=self.log.open("a"), stderr=subprocess.STDOUT)
        return ["started"]

    def stop(self) -> list[str]:
        self.calls.append(("stop", threading.current_thread().name))
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(60)
        return ["stopped"]

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def status(self) -> ServiceStatus:
        return ServiceStatus("linux", "systemd", "user", True, True, "trayapp.service (test)", True, self.running(),
                             ["trayapp", "run", "--headless"])


@pytest.mark.timeout(240)
def test_the_tray_shows_the_headless_schedulers_runs_and_schedules_nothing(
        qtbot, home: Path, rig: Rig, tmp_path: Path, make_controller) -> None:
    paths = app_paths().ensure()
    ops = {name: replace(op, enabled=name == "import-orders", interval=2.0)
           for name, op in rig.integration.operations.items()}
    rig.configure(operations=ops)
    save_config(Config((rig.integration,)), paths.config_file)
    rig.shop.latency = 0.4  # import-orders asks the shop for new orders each run: long enough to be seen running
    lock = driver_lock_path(paths.locks_dir, "t")
    headless = HeadlessService(tmp_path / "headless.log")
    headless.start()
    tray = None
    try:
        deadline = time.monotonic() + 60
        while not (is_driven(lock) and "scheduler running for: t" in headless.log.read_text()):
            assert time.monotonic() < deadline and headless.running(), headless.log.read_text()
            time.sleep(0.1)
        # the tray app's scheduler, as run_app builds it, on the same home: it schedules nothing
        tray = make_service(paths)
        local: list[tuple[str, str]] = []
        local_ids: set[int] = set()

        def listen(event: str, result) -> None:
            local.append((event, result.trigger))
            if result.run_id is not None:
                local_ids.add(result.run_id)

        tray.engine.add_listener(listen)
        controller = make_controller(tray, service_manager=headless)
        tray.start()
        assert tray.jobs() == [] and tray.not_driven() == {"t"}
        qtbot.waitUntil(lambda: controller.background == {"t"}, timeout=5_000)
        on = "Automatic sync is on, run by the background service"
        qtbot.waitUntil(lambda: controller.status_action.text() == on, timeout=10_000)

        # its runs, from the journal: syncing while one runs, running between runs
        qtbot.waitUntil(lambda: controller.icon_state is IconState.SYNCING, timeout=WAIT)
        assert controller.status_action.text() == "Syncing: t - Import orders"
        qtbot.waitUntil(lambda: controller.icon_state is IconState.RUNNING, timeout=WAIT)
        assert "t: last: Import orders OK" in controller.tray.toolTip()
        assert "run by the background service" in controller.tray.toolTip()

        # its runs fail: warning and a notification; they work again: recovered
        notes: list[str] = []
        controller.notified.connect(lambda title, text: notes.append(title))
        rig.shop.inject(Fault.http(403), count=100_000)
        qtbot.waitUntil(lambda: controller.icon_state is IconState.WARNING, timeout=WAIT)
        assert notes == ["t: Import orders failed"]
        rig.shop.clear_faults()
        qtbot.waitUntil(lambda: notes[-1:] == ["t: Import orders works again"], timeout=WAIT)
        qtbot.waitUntil(lambda: controller.icon_state in (IconState.RUNNING, IconState.SYNCING), timeout=WAIT)
        assert local == [] and tray.jobs() == []  # all this time the tray ran nothing

        # Background service ▸ Stop: the headless scheduler ends, the tray takes over
        with qtbot.waitSignal(controller.service_control.done, timeout=WAIT) as done:
            controller.menu.aboutToShow.emit()
            controller.service_stop_action.trigger()
        assert done.args == ["stop", ""] and not headless.running()
        exited_at = now_utc()
        assert headless.calls[-1][1] != threading.main_thread().name
        qtbot.waitUntil(lambda: [j.operation for j in tray.jobs()] == ["import-orders"], timeout=15_000)
        qtbot.waitUntil(lambda: controller.background == frozenset(), timeout=5_000)
        qtbot.waitUntil(lambda: ("started", "scheduled") in local, timeout=WAIT)
        assert controller.status_action.text() in ("Automatic sync is on", "Syncing: t - Import orders")

        # never both: before, the tray ran nothing; after the headless scheduler exited, every run is the tray's
        journal = Journal(paths.journal_file)
        later = [r for r in journal.runs(limit=1000) if r.started_at >= exited_at]
        assert later and {r.id for r in later} <= local_ids
    finally:
        if tray is not None:
            tray.stop(wait=True)
        headless.stop()
