"""UI tests run without a display: Qt's offscreen platform (set before any QApplication exists).

Fixtures: a real SchedulerService over the shared Rig (demo ERP + contract shop + real Engine), and a
TrayController on top of it.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import Rig
from trayapp.config import Config, save_config
from trayapp.paths import AppPaths
from trayapp.scheduler import SchedulerService


@pytest.fixture
def paths(tmp_path: Path) -> AppPaths:
    return AppPaths(tmp_path / "app" / "config", tmp_path / "app" / "data", tmp_path / "app" / "logs").ensure()


@pytest.fixture
def ui_service(rig: Rig, paths: AppPaths) -> Iterator[SchedulerService]:
    """The rig's integration 't' (all five operations, every 5 minutes) in a started service whose
    first scheduled runs are 5 minutes away: tests drive runs themselves, through the menu."""
    save_config(Config((rig.integration,)), paths.config_file)
    service = SchedulerService(rig.engine, paths.config_file, locks_dir=paths.locks_dir, run_at_start=False)
    service.start()
    yield service
    service.stop(wait=True)


@pytest.fixture
def make_controller(qtbot, paths: AppPaths) -> Iterator[Callable[..., object]]:
    from trayapp.ui.tray import TrayController

    made: list[TrayController] = []

    def make(service: SchedulerService, **options) -> TrayController:
        controller = TrayController(service, paths, **options)
        made.append(controller)
        return controller

    yield make
    for controller in made:
        controller.dispose()


SETTINGS_TASK_TIMEOUT = 60_000  # ms: connection tests and keyring calls run on worker threads


@pytest.fixture
def make_dialog(qtbot):
    """Opens Settings dialogs on a service; closes them (discarding changes) after the test."""
    from trayapp.ui.settings.dialog import SettingsDialog

    made: list = []

    def make(service: SchedulerService):
        dialog = SettingsDialog(service)
        made.append(dialog)
        dialog.show()
        qtbot.waitUntil(lambda: not dialog.credentials.tasks.busy, timeout=SETTINGS_TASK_TIMEOUT)
        return dialog

    yield make
    for dialog in made:
        qtbot.waitUntil(lambda d=dialog: not d.tasks.busy and not d.credentials.tasks.busy,
                        timeout=SETTINGS_TASK_TIMEOUT)
        dialog.discard_and_close()
        dialog.deleteLater()
