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
