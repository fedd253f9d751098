"""One instance per user: the lock file + local server handshake, stale leftovers, and the whole app
(`python -m trayapp`) started twice and stopped with SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QDir

from trayapp import __version__
from trayapp.paths import app_paths
from trayapp.ui.instance import Role, SingleInstance, server_name

ROOT = Path(__file__).resolve().parents[2]


def trayapp(*args: str) -> subprocess.Popen:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.Popen([sys.executable, "-m", "trayapp", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def wait_for_log(log_file: Path, text: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if log_file.exists() and text in log_file.read_text(encoding="utf-8", errors="replace"):
            return
        time.sleep(0.1)
    raise AssertionError(f"{text!r} not logged in {timeout}s")


@pytest.fixture
def instances(qtbot):
    made: list[SingleInstance] = []

    def make(data_dir: Path) -> SingleInstance:
        made.append(SingleInstance(data_dir))
        return made[-1]

    yield make
    for instance in made:
        instance.release()


def test_a_second_start_asks_the_first_to_show_itself_and_exits_0(qtbot, home: Path, instances) -> None:
    first = instances(app_paths().data_dir)
    assert first.acquire() is Role.PRIMARY
    with qtbot.waitSignal(first.show_requested, timeout=30_000):
        second = trayapp()
    output = second.communicate(timeout=30)[0]
    assert second.returncode == 0, output


def test_in_one_process_the_second_instance_is_secondary(qtbot, tmp_path: Path, instances) -> None:
    first, second = instances(tmp_path), instances(tmp_path)
    assert first.acquire() is Role.PRIMARY
    with qtbot.waitSignal(first.show_requested, timeout=10_000):
        assert second.acquire() is Role.SECONDARY
    first.release()
    assert instances(tmp_path).acquire() is Role.PRIMARY  # released: the next start takes over


def test_leftovers_of_a_crashed_instance_are_taken_over(tmp_path: Path, instances) -> None:
    # a lock file whose process was killed ...
    lock = tmp_path / "tray.lock"
    code = ("import os, sys; from PySide6.QtCore import QLockFile; l = QLockFile(sys.argv[1]); "
            "assert l.tryLock(0); os.kill(os.getpid(), 9)")
    subprocess.run([sys.executable, "-c", code, str(lock)], check=False)
    assert lock.exists()
    # ... and the socket of its server, never removed
    path = Path(QDir.tempPath()) / server_name(tmp_path)
    leftover = socket.socket(socket.AF_UNIX)
    leftover.bind(str(path))
    leftover.close()
    try:
        instance = instances(tmp_path)
        assert instance.acquire() is Role.PRIMARY
        assert instance.server is not None and instance.server.isListening()
    finally:
        path.unlink(missing_ok=True)


def test_a_live_holder_that_does_not_answer_is_reported(tmp_path: Path, instances) -> None:
    from PySide6.QtCore import QLockFile

    holder = QLockFile(str(tmp_path / "tray.lock"))
    holder.setStaleLockTime(0)
    assert holder.tryLock(0)  # this (live) process holds it, and nobody listens
    path = Path(QDir.tempPath()) / server_name(tmp_path)
    server_file = socket.socket(socket.AF_UNIX)
    server_file.bind(str(path))  # the holder's server name (maybe about to listen): not ours to remove
    try:
        started = time.monotonic()
        assert instances(tmp_path).acquire(wait=0.5) is Role.UNRESPONSIVE
        assert time.monotonic() - started < 5
        assert path.exists(), "a start without the lock removed the running instance's server name"
    finally:
        holder.unlock()
        server_file.close()
        path.unlink(missing_ok=True)


def test_the_app_runs_hands_over_to_itself_and_stops_on_sigterm(home: Path) -> None:
    log_file = app_paths().log_dir / "trayapp.log"
    first = trayapp()
    try:
        wait_for_log(log_file, f"tray app {__version__} started")
        assert first.poll() is None
        second = trayapp()
        assert second.wait(timeout=30) == 0
        wait_for_log(log_file, "asked this one to show itself")
        first.send_signal(signal.SIGTERM)
        assert first.wait(timeout=30) == 0
        text = log_file.read_text(encoding="utf-8")
        assert "signal 15: quitting" in text and "scheduler stopped" in text
    finally:
        if first.poll() is None:
            first.kill()
        first.communicate()
    third = SingleInstance(app_paths().data_dir)  # the lock and the server name were released
    try:
        assert third.acquire(wait=0) is Role.PRIMARY
    finally:
        third.release()
