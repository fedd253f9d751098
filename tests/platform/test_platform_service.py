"""The background service definitions: systemd for real as far as this machine allows (systemctl
enable/disable work without a running systemd, in a temporary $XDG_CONFIG_HOME or --root; start/stop
where systemd runs), `systemd-analyze verify` on the unit; the Windows task XML and the schtasks
command lines; the launchd plists and launchctl command lines."""

from __future__ import annotations

import getpass
import json
import os
import plistlib
import shutil
import subprocess
import sys
import time
import uuid
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest

from tests.conftest import Rig
from trayapp.cli import main
from trayapp.config import Config, save_config
from trayapp.paths import AppPaths, app_paths
from trayapp.platform import PlatformError, launch
from trayapp.platform.service import (
    CommandResult,
    LaunchdService,
    SystemdService,
    TaskSchedulerService,
    default,
    systemd_booted,
    systemd_quote,
    systemd_split,
)
from trayapp.scheduler import driven_integrations, driver_lock_path, is_driven

PY = sys.executable
NS = {"t": "http://schemas.microsoft.com/windows/2004/02/mit/task"}


class Recorder:
    """A service-manager command runner that records the commands and answers from a script."""

    def __init__(self, answers: dict[str, CommandResult] | None = None) -> None:
        self.commands: list[list[str]] = []
        self.answers = answers or {}

    def __call__(self, args) -> CommandResult:
        self.commands.append(list(args))
        for prefix, answer in self.answers.items():
            if " ".join(args).startswith(prefix):
                return answer
        return CommandResult(0)


@pytest.fixture
def paths(home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppPaths:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    return app_paths().ensure()


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """systemctl in offline mode (unit files and symlinks only), whether or not systemd runs here."""
    monkeypatch.setenv("SYSTEMD_OFFLINE", "1")
    monkeypatch.setattr("trayapp.platform.service.systemd_booted", lambda root=None: False)


def fixed_launcher(program: str = "/opt/trayapp/trayapp", home: str | None = None):
    return lambda: launch.Launcher(program, (), home)


def needs_systemctl() -> None:
    if shutil.which("systemctl") is None:
        pytest.skip("systemctl is missing")


def verify(unit_text: str, tmp_path: Path, name: str = "trayapp.service") -> None:
    """systemd-analyze verify: no error and no warning about the unit."""
    tool = shutil.which("systemd-analyze")
    if tool is None:
        pytest.skip("systemd-analyze is missing")
    folder = tmp_path / "verify"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(unit_text)
    done = subprocess.run([tool, "verify", str(folder / name)], capture_output=True, text=True, check=False)
    ours = [line for line in (done.stdout + done.stderr).splitlines() if name in line]
    assert done.returncode == 0 and ours == [], done.stdout + done.stderr


# ---------------------------------------------------------------- systemd

def test_systemd_user_unit_content(paths: AppPaths, tmp_path: Path) -> None:
    manager = SystemdService(paths, scope="user")
    unit = manager.unit()
    home = str(Path(os.environ["TRAYAPP_HOME"]).resolve())
    assert unit == f"""# Written by 'trayapp service install'; 'trayapp service remove' deletes it.
[Unit]
Description=trayapp background scheduler (keeps the ERP and the online shops in sync)
Wants=network-online.target
After=network-online.target

[Service]
Type=simple
ExecStart={PY} -m trayapp --home {home} run --headless
# secrets as TRAYAPP_SECRET_<INTEGRATION>_<NAME>=value (no keyring runs here); mode 0600
EnvironmentFile=-{paths.config_dir / "service.env"}
Environment=PYTHONUNBUFFERED=1
Restart=on-failure
RestartSec=30
TimeoutStopSec=120
UMask=0077
NoNewPrivileges=yes

[Install]
WantedBy=default.target
"""
    assert manager.unit_path == tmp_path / "xdg" / "systemd" / "user" / "trayapp.service"
    verify(unit, tmp_path)


def test_systemd_system_unit_runs_as_the_user(paths: AppPaths, tmp_path: Path) -> None:
    manager = SystemdService(paths, scope="system", run_as="anna",
                             launcher=fixed_launcher("/opt/trayapp folder/trayapp", "/srv/trayapp 100%"))
    unit = manager.unit()
    lines = unit.splitlines()
    assert "User=anna" in lines
    assert 'ExecStart="/opt/trayapp folder/trayapp" --home "/srv/trayapp 100%%" run --headless' in lines
    assert "EnvironmentFile=-/etc/trayapp/trayapp.env" in lines
    assert "WantedBy=multi-user.target" in lines
    assert manager.unit_path == Path("/etc/systemd/system/trayapp.service")
    root = SystemdService(paths, scope="system", run_as="root")
    assert not any(line.startswith("User=") for line in root.unit().splitlines())
    verify(root.unit(), tmp_path)


@pytest.mark.parametrize("word", ["/usr/bin/python3", "/opt/a b/py", "100%", "$HOME", 'say "hi"', "back\\slash", ""])
def test_systemd_quoting_round_trips(word: str) -> None:
    assert systemd_split(" ".join([systemd_quote(word), systemd_quote("x")])) == [word, "x"]


def test_systemd_user_service_install_status_remove_for_real(paths: AppPaths, tmp_path: Path, rig: Rig,
                                                              capsys, offline) -> None:
    """systemctl --user enable/disable really run (they need no running systemd)."""
    needs_systemctl()
    rig.configure(shop=replace(rig.integration.shop, key_secret="wc-key", secret_secret="wc-secret"))
    save_config(Config((rig.integration,)), paths.config_file)
    assert main(["service", "install", "--scope", "user"]) == 0
    out = capsys.readouterr().out
    unit = tmp_path / "xdg" / "systemd" / "user" / "trayapp.service"
    wants = tmp_path / "xdg" / "systemd" / "user" / "default.target.wants" / "trayapp.service"
    assert unit.is_file() and wants.is_symlink() and wants.resolve() == unit
    assert "enabled trayapp.service (user)" in out
    env = paths.config_dir / "service.env"
    assert env.stat().st_mode & 0o777 == 0o600
    assert "#TRAYAPP_SECRET_T_WC_KEY=\n#TRAYAPP_SECRET_T_WC_SECRET=\n" in env.read_text()

    env.write_text("TRAYAPP_SECRET_T_WC_KEY=ck_1\n")
    env.chmod(0o644)
    assert main(["service", "install", "--scope", "user", "--no-start"]) == 0
    out = capsys.readouterr().out
    assert env.read_text() == "TRAYAPP_SECRET_T_WC_KEY=ck_1\n"  # secrets kept...
    assert env.stat().st_mode & 0o777 == 0o600 and "tightened to 600" in out  # ...and kept private

    assert main(["--json", "service", "status"]) == 0  # finds the installed user unit by itself
    state = json.loads(capsys.readouterr().out)
    assert state["installed"] is True and state["enabled"] is True and state["scope"] == "user"
    assert state["manager"] == "systemd" and state["definition"] == str(unit)
    assert state["command"] == [PY, "-m", "trayapp", "--home", str(Path(os.environ["TRAYAPP_HOME"]).resolve()),
                                "run", "--headless"]
    assert state["integrations"] == [{"name": "t", "driven": False}]
    assert state["environment_file"] == str(env)
    assert state["running"] is None and state["manager_running"] is False

    assert main(["service", "remove"]) == 0
    out = capsys.readouterr().out
    assert not unit.exists() and not wants.exists() and env.exists() and "--purge" in out
    assert main(["service", "remove", "--scope", "user", "--purge"]) == 0
    assert not env.exists()


def test_systemd_system_service_in_an_alternative_root(paths: AppPaths, tmp_path: Path, offline) -> None:
    """As an image build would: systemctl --root enables the unit for the next boot."""
    needs_systemctl()
    root = tmp_path / "root"
    manager = SystemdService(paths, scope="system", run_as="anna", root=root)
    messages = manager.install()
    unit = root / "etc" / "systemd" / "system" / "trayapp.service"
    assert unit.is_file() and (root / "etc/systemd/system/multi-user.target.wants/trayapp.service").is_symlink()
    assert "EnvironmentFile=-/etc/trayapp/trayapp.env" in unit.read_text().splitlines()
    env = root / "etc" / "trayapp" / "trayapp.env"
    assert env.stat().st_mode & 0o777 == 0o600
    assert any("next boot" in m for m in messages)
    status = manager.status()
    assert status.installed and status.enabled and status.run_as == "anna"
    with pytest.raises(PlatformError, match="systemd is not running"):
        manager.start()
    manager.remove(purge=True)
    assert not unit.exists() and not env.exists()
    assert not (root / "etc/systemd/system/multi-user.target.wants/trayapp.service").exists()


def test_systemd_commands_where_systemd_runs(paths: AppPaths, monkeypatch: pytest.MonkeyPatch) -> None:
    """With systemd running: daemon-reload, enable, restart; stop/start; is-active for status."""
    monkeypatch.setattr("trayapp.platform.service.systemd_booted", lambda root=None: True)
    runner = Recorder({"systemctl --user is-active": CommandResult(0, "active\n"),
                       "systemctl --user is-enabled": CommandResult(0, "enabled\n")})
    manager = SystemdService(paths, scope="user", runner=runner)
    manager.install()
    manager.stop()
    manager.start()
    state = manager.status()
    manager.remove()
    assert runner.commands == [
        ["systemctl", "--user", "daemon-reload"],
        ["systemctl", "--user", "enable", "trayapp.service"],
        ["systemctl", "--user", "restart", "trayapp.service"],
        ["systemctl", "--user", "stop", "trayapp.service"],
        ["systemctl", "--user", "start", "trayapp.service"],
        ["systemctl", "--user", "is-enabled", "trayapp.service"],
        ["systemctl", "--user", "is-active", "trayapp.service"],
        ["systemctl", "--user", "stop", "trayapp.service"],
        ["systemctl", "--user", "disable", "trayapp.service"],
        ["systemctl", "--user", "daemon-reload"],
    ]
    assert state.running is True and state.enabled is True


@pytest.mark.skipif(not systemd_booted(), reason="systemd is not running on this machine")
def test_systemd_service_runs_for_real(paths: AppPaths, rig: Rig) -> None:  # pragma: no cover - needs systemd
    """Where systemd runs: a uniquely named unit is installed, started, drives the integration, stops."""
    save_config(Config((rig.integration,)), paths.config_file)
    scope = "system" if os.geteuid() == 0 else "user"
    if scope == "user" and subprocess.run(["systemctl", "--user", "is-system-running"], capture_output=True,
                                          check=False).returncode not in (0, 1):
        pytest.skip("no systemd user manager for this user")
    manager = SystemdService(paths, scope=scope, unit_name=f"trayapp-test-{uuid.uuid4().hex[:8]}.service",
                             run_as=getpass.getuser())
    try:
        manager.install()
        deadline = time.monotonic() + 60
        while not is_driven(driver_lock_path(paths.locks_dir, "t")) and time.monotonic() < deadline:
            time.sleep(0.5)
        state = manager.status()
        assert state.running is True and state.integrations == [{"name": "t", "driven": True}]
        manager.stop()
        assert manager.status().running is False
    finally:
        manager.remove(purge=True)


def test_a_system_service_for_another_user_uses_that_users_folders(paths: AppPaths,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import pwd

    user = pwd.getpwuid(1).pw_name  # a system account other than the one running the tests
    home = Path(pwd.getpwuid(1).pw_dir)
    assert SystemdService(paths, scope="system", run_as=user).paths == paths  # TRAYAPP_HOME set: that one
    monkeypatch.delenv("TRAYAPP_HOME")
    before = dict(os.environ)
    other = SystemdService(paths, scope="system", run_as=user).paths
    assert other.config_dir == home / ".config" / "trayapp" and other.data_dir == home / ".local/share/trayapp"
    assert dict(os.environ) == before  # HOME and XDG_* restored
    assert SystemdService(paths, scope="user", run_as=user).paths == paths


def test_default_scope_is_the_installed_one_else_by_privilege(paths: AppPaths, monkeypatch) -> None:
    monkeypatch.setattr("trayapp.platform.service.is_root", lambda: False)
    assert default(paths, platform="linux").scope == "user"
    monkeypatch.setattr("trayapp.platform.service.is_root", lambda: True)
    assert default(paths, platform="linux").scope == "system"
    assert default(paths, platform="linux", scope="user").scope == "user"


# ---------------------------------------------------------------- Windows Task Scheduler

def windows_task(paths: AppPaths, runner: Recorder, interactive: Recorder | None = None) -> TaskSchedulerService:
    return TaskSchedulerService(
        paths, run_as="OFFICE\\anna", runner=runner, interactive=interactive or Recorder(),
        launcher=lambda: launch.current(platform="win32", executable=r"C:\Program Files\trayapp\trayapp-cli.exe",
                                        frozen=True, environ={"TRAYAPP_HOME": r"D:\Sync Data"}))


def test_windows_task_xml(paths: AppPaths) -> None:
    xml = windows_task(paths, Recorder()).task_xml()
    root = ET.fromstring(xml.replace('encoding="UTF-16"', ""))
    assert root.tag == f"{{{NS['t']}}}Task" and root.get("version") == "1.2"

    def text(path: str) -> str | None:
        return root.findtext(path, namespaces=NS)

    assert text("t:Triggers/t:BootTrigger/t:Enabled") == "true"  # at startup...
    assert root.find("t:Triggers/t:LogonTrigger", NS) is None
    assert text("t:Principals/t:Principal/t:UserId") == "OFFICE\\anna"
    assert text("t:Principals/t:Principal/t:LogonType") == "Password"  # ...whether the user is logged on or not
    assert text("t:Principals/t:Principal/t:RunLevel") == "LeastPrivilege"
    assert text("t:Settings/t:DisallowStartIfOnBatteries") == "false"
    assert text("t:Settings/t:StopIfGoingOnBatteries") == "false"
    assert text("t:Settings/t:ExecutionTimeLimit") == "PT0S"  # no time limit
    assert text("t:Settings/t:MultipleInstancesPolicy") == "IgnoreNew"
    assert text("t:Settings/t:IdleSettings/t:StopOnIdleEnd") == "false"
    assert text("t:Settings/t:RestartOnFailure/t:Interval") == "PT1M"
    assert text("t:Actions/t:Exec/t:Command") == r"C:\Program Files\trayapp\trayapp.exe"  # the windowless exe
    assert text("t:Actions/t:Exec/t:Arguments") == '--home "D:\\Sync Data" run --headless'
    assert text("t:Actions/t:Exec/t:WorkingDirectory") == r"C:\Program Files\trayapp"
    assert launch.windows_split('"x" ' + text("t:Actions/t:Exec/t:Arguments")) == \
        ["x", "--home", r"D:\Sync Data", "run", "--headless"]


def test_windows_task_install_command_lines(paths: AppPaths) -> None:
    runner, interactive = Recorder({"schtasks /Query": CommandResult(0)}), Recorder()
    task = windows_task(paths, runner, interactive)
    task.install()
    xml_file = paths.data_dir / "service-task.xml"
    assert interactive.commands == [["schtasks", "/Create", "/TN", "trayapp", "/XML", str(xml_file),
                                     "/RU", "OFFICE\\anna", "/F"]]  # no /RP: schtasks asks for the password
    raw = xml_file.read_bytes()
    assert raw[:2] in (b"\xff\xfe", b"\xfe\xff")  # UTF-16 with a BOM, as schtasks wants
    assert raw.decode("utf-16") == task.task_xml()
    assert runner.commands == [["schtasks", "/Run", "/TN", "trayapp"]]
    task.stop()
    task.start()
    task.remove()
    assert runner.commands[1:] == [
        ["schtasks", "/End", "/TN", "trayapp"],
        ["schtasks", "/Run", "/TN", "trayapp"],
        ["schtasks", "/Query", "/TN", "trayapp"],
        ["schtasks", "/End", "/TN", "trayapp"],
        ["schtasks", "/Delete", "/TN", "trayapp", "/F"],
    ]
    assert not xml_file.exists()
    failing = windows_task(paths, Recorder(), Recorder({"schtasks /Create": CommandResult(1, "", "Access denied")}))
    with pytest.raises(PlatformError, match="Access denied"):
        failing.install()


def test_windows_task_status(paths: AppPaths) -> None:
    runner = Recorder({"schtasks /Query": CommandResult(0), "powershell": CommandResult(0, "Running\r\n")})
    state = windows_task(paths, runner).status()
    assert (state.installed, state.enabled, state.running, state.manager) == (True, True, True, "task-scheduler")
    assert runner.commands[1] == ["powershell", "-NoProfile", "-NonInteractive", "-Command",
                                  "(Get-ScheduledTask -TaskName 'trayapp' -ErrorAction Stop).State"]
    missing = windows_task(paths, Recorder({"schtasks /Query": CommandResult(1)})).status()
    assert (missing.installed, missing.enabled, missing.running) == (False, False, False)


# ---------------------------------------------------------------- macOS launchd

def test_launchd_daemon_and_agent(paths: AppPaths, tmp_path: Path) -> None:
    command = ["/Applications/trayapp.app/Contents/MacOS/trayapp", "run", "--headless"]
    launcher = fixed_launcher(command[0])
    runner = Recorder({"launchctl print": CommandResult(0, "state = running\n")})
    daemon = LaunchdService(paths, scope="system", run_as="anna", runner=runner, launcher=launcher,
                            root=tmp_path / "root")
    daemon.install()
    path = tmp_path / "root" / "Library" / "LaunchDaemons" / "com.trayapp.trayapp.scheduler.plist"
    assert plistlib.loads(path.read_bytes()) == {
        "Label": "com.trayapp.trayapp.scheduler", "ProgramArguments": command, "RunAtLoad": True,
        "KeepAlive": {"SuccessfulExit": False}, "ThrottleInterval": 30, "ProcessType": "Standard",
        "ExitTimeOut": 120, "UserName": "anna"}
    assert runner.commands == [["launchctl", "bootstrap", "system", str(path)]]
    assert daemon.status().running is True
    daemon.stop()
    daemon.remove()
    assert runner.commands[-2:] == [["launchctl", "kill", "SIGTERM", "system/com.trayapp.trayapp.scheduler"],
                                    ["launchctl", "bootout", "system/com.trayapp.trayapp.scheduler"]]
    assert not path.exists()

    agent = LaunchdService(paths, scope="user", runner=Recorder(), launcher=launcher, home=tmp_path, uid=501)
    agent.install(start=False)
    data = plistlib.loads((tmp_path / "Library/LaunchAgents/com.trayapp.trayapp.scheduler.plist").read_bytes())
    assert "UserName" not in data and agent.domain == "gui/501"


# ---------------------------------------------------------------- the driver-lock probe

def test_driver_lock_probe(tmp_path: Path) -> None:
    from filelock import FileLock

    from trayapp.engine import Engine
    from trayapp.journal import Journal

    engine = Engine(Journal(tmp_path / "j.sqlite3"), tmp_path / "locks")
    for name in ("t", "main shop/ü", "a.b-c_d"):
        assert driver_lock_path(tmp_path / "locks", name) == engine.lock_path(name, "driver")
    lock = FileLock(engine.lock_path("t", "driver"))
    assert driven_integrations(tmp_path / "locks", ["t", "u"]) == {"t": False, "u": False}
    with lock:
        assert driven_integrations(tmp_path / "locks", ["t", "u"]) == {"t": True, "u": False}
    assert is_driven(engine.lock_path("t", "driver")) is False
