"""Start at login: Linux for real (a file under a temporary $XDG_CONFIG_HOME, checked by
desktop-file-validate), Windows by the exact registry values written (a dict registry), macOS by the
exact plist; the CLI and the tray start path (--autostart, revalidation at every start)."""

from __future__ import annotations

import json
import os
import plistlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from trayapp.cli import main
from trayapp.platform import PlatformError, autostart, launch
from trayapp.platform.autostart import (
    APPROVED_KEY,
    REG_BINARY,
    REG_SZ,
    RUN_KEY,
    Autostart,
    LaunchAgentAutostart,
    RunKeyAutostart,
    XdgAutostart,
    desktop_entry,
    parse_desktop_entry,
    quote_exec,
    split_exec,
)

PY = sys.executable


def validate(path: Path) -> None:
    tool = shutil.which("desktop-file-validate")
    if tool is None:
        pytest.skip("desktop-file-validate is missing (Debian: desktop-file-utils; scripts/setup-test-env.sh)")
    done = subprocess.run([tool, str(path)], capture_output=True, text=True, check=False)
    assert done.returncode == 0 and not done.stdout.strip() and not done.stderr.strip(), done.stdout + done.stderr


@pytest.fixture
def xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(tmp_path / "etc-xdg"))
    return tmp_path / "xdg"


def fixed(*command: str) -> launch.Launcher:
    """A launcher whose autostart command is exactly `command` (which ends with --autostart)."""
    assert command[-1] == "--autostart"
    rest = list(command[1:-1])
    home = launch.home_of(rest)
    if home:
        rest = rest[:rest.index("--home")] + rest[rest.index("--home") + 2:]
    launcher = launch.Launcher(command[0], tuple(rest), home)
    assert launcher.autostart_command() == list(command)
    return launcher


# ---------------------------------------------------------------- Linux, for real

@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG autostart")
def test_cli_enable_writes_a_valid_real_desktop_file_and_disable_removes_it(home: Path, xdg: Path, capsys) -> None:
    path = xdg / "autostart" / "trayapp.desktop"
    assert main(["--json", "autostart", "status"]) == 0
    assert json.loads(capsys.readouterr().out)["installed"] is False
    assert autostart.is_enabled() is False

    assert main(["autostart", "enable"]) == 0
    assert "Start at login: on" in capsys.readouterr().out
    assert path.is_file() and not path.is_symlink()
    validate(path)
    keys = parse_desktop_entry(path.read_text())
    command = split_exec(keys["Exec"])
    assert command == [PY, "-m", "trayapp", "--home", str(home.resolve()), "--autostart"]
    assert os.path.isabs(command[0]) and int(keys["X-GNOME-Autostart-Delay"]) > 0
    assert keys["Type"] == "Application" and "Hidden" not in keys
    assert autostart.is_enabled() is True

    assert main(["--json", "autostart", "status"]) == 0
    state = json.loads(capsys.readouterr().out)
    assert state == {"platform": "linux", "supported": True, "installed": True, "enabled": True,
                     "disabled_by_user": False, "path": str(path), "command": command, "expected": command,
                     "stale": False, "problem": ""}

    assert main(["autostart", "disable"]) == 0
    assert "Start at login: off" in capsys.readouterr().out
    assert not path.exists()
    assert autostart.is_enabled() is False


def test_the_started_command_really_starts_trayapp(home: Path, xdg: Path) -> None:
    """The entry's command is runnable as written: here with --version in place of --autostart."""
    command = Autostart(XdgAutostart()).expected()
    done = subprocess.run([*command[:-1], "--version"], capture_output=True, text=True, cwd="/", timeout=60,
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])})
    assert done.returncode == 0 and done.stdout.startswith("trayapp "), done.stderr


def test_hidden_or_gnome_disabled_means_disabled_and_revalidation_keeps_it(xdg: Path) -> None:
    manager = Autostart(XdgAutostart(), lambda: fixed("/opt/new/trayapp", "--autostart"))
    path = xdg / "autostart" / "trayapp.desktop"
    path.parent.mkdir(parents=True)
    for extra in ("Hidden=true", "X-GNOME-Autostart-enabled=false"):
        path.write_text(desktop_entry(["/opt/old/trayapp", "--autostart"]).replace(
            "X-GNOME-Autostart-enabled=true\n", "") + extra + "\n")
        state = manager.status()
        assert (state.installed, state.enabled, state.disabled_by_user, state.stale) == (True, False, True, True)
        assert manager.is_enabled() is False
        assert manager.revalidate() is True  # the program moved: rewritten, still disabled
        keys = parse_desktop_entry(path.read_text())
        assert split_exec(keys["Exec"]) == ["/opt/new/trayapp", "--autostart"]
        assert manager.is_enabled() is False and extra in path.read_text()
        validate(path)
        manager.enable()  # the user asks again: on
        assert manager.is_enabled() is True
        assert "Hidden" not in path.read_text() and "X-GNOME-Autostart-enabled=true" in path.read_text()


def test_revalidate_rewrites_only_a_stale_entry_of_this_home(xdg: Path) -> None:
    path = xdg / "autostart" / "trayapp.desktop"
    current = Autostart(XdgAutostart(), lambda: fixed("/opt/b/trayapp", "--autostart"))
    assert current.revalidate() is False and not path.exists()  # never creates one
    Autostart(XdgAutostart(), lambda: fixed("/opt/a/trayapp", "--autostart")).enable()
    before = path.stat().st_mtime_ns
    assert Autostart(XdgAutostart(), lambda: fixed("/opt/a/trayapp", "--autostart")).revalidate() is False
    assert path.stat().st_mtime_ns == before  # up to date: untouched
    assert current.revalidate() is True
    assert split_exec(parse_desktop_entry(path.read_text())["Exec"]) == ["/opt/b/trayapp", "--autostart"]
    portable = Autostart(XdgAutostart(), lambda: fixed("/opt/c/trayapp", "--home", "/media/usb/t", "--autostart"))
    assert portable.revalidate() is False  # another home's entry is not ours to rewrite
    assert split_exec(parse_desktop_entry(path.read_text())["Exec"]) == ["/opt/b/trayapp", "--autostart"]


def test_a_symlink_is_replaced_by_a_real_file(xdg: Path, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.desktop"
    target.write_text("[Desktop Entry]\nType=Application\nName=x\nExec=/bin/true\n")
    path = xdg / "autostart" / "trayapp.desktop"
    path.parent.mkdir(parents=True)
    path.symlink_to(target)
    Autostart(XdgAutostart(), lambda: fixed("/opt/a/trayapp", "--autostart")).enable()
    assert path.is_file() and not path.is_symlink()
    assert target.read_text().endswith("Exec=/bin/true\n")  # not written through the link
    validate(path)


def test_a_system_wide_entry_is_masked_per_user(xdg: Path, tmp_path: Path) -> None:
    system = tmp_path / "etc-xdg" / "autostart" / "trayapp.desktop"
    system.parent.mkdir(parents=True)
    system.write_text(desktop_entry(["/usr/bin/trayapp", "--autostart"]))
    manager = Autostart(XdgAutostart(), lambda: fixed("/usr/bin/trayapp", "--autostart"))
    state = manager.status()
    assert (state.installed, state.enabled, state.path) == (True, True, str(system))
    manager.disable()  # removing nothing would leave it on: the user's own Hidden=true file masks it
    user = xdg / "autostart" / "trayapp.desktop"
    assert "Hidden=true" in user.read_text() and system.exists()
    assert manager.is_enabled() is False
    validate(user)
    manager.enable()
    assert manager.is_enabled() is True


def test_relative_xdg_config_home_is_ignored() -> None:
    assert autostart.xdg_config_home({"XDG_CONFIG_HOME": "relative/dir"}) == Path.home() / ".config"
    assert autostart.xdg_config_home({"XDG_CONFIG_HOME": "/abs"}) == Path("/abs")


@pytest.mark.parametrize("program", ["/opt/trayapp/trayapp", "/opt/My Apps/trayapp", "/opt/a$b\"c`d\\e%f'g/py"])
def test_exec_quoting_round_trips_and_validates(program: str, tmp_path: Path) -> None:
    command = [program, "-m", "trayapp", "--home", "/home/anna/Sync data 100%", "--autostart"]
    path = tmp_path / "trayapp.desktop"
    path.write_text(desktop_entry(command))
    assert split_exec(parse_desktop_entry(path.read_text())["Exec"]) == command
    validate(path)


def test_exec_needs_an_absolute_program() -> None:
    with pytest.raises(PlatformError):
        quote_exec(["trayapp", "--autostart"])
    with pytest.raises(PlatformError):
        quote_exec(["/opt/a\nb", "--autostart"])


# ---------------------------------------------------------------- Windows: exact registry values

class DictRegistry:
    def __init__(self) -> None:
        self.values: dict[tuple[str, str], tuple[object, int]] = {}

    def get(self, key: str, name: str):
        return self.values.get((key, name))

    def set(self, key: str, name: str, value, kind: int) -> None:
        self.values[(key, name)] = (value, kind)

    def delete(self, key: str, name: str) -> bool:
        return self.values.pop((key, name), None) is not None


def windows(registry: DictRegistry, executable: str, *, frozen: bool, home: str | None = None,
            exists=lambda path: True, shorten=lambda path: path) -> Autostart:
    environ = {"TRAYAPP_HOME": home} if home else {}
    return Autostart(RunKeyAutostart(registry, shorten=shorten),
                     lambda: launch.current(platform="win32", executable=executable, frozen=frozen,
                                            environ=environ, exists=exists))


def test_windows_frozen_exe_writes_the_quoted_gui_exe() -> None:
    reg = DictRegistry()
    manager = windows(reg, r"C:\Program Files\trayapp\trayapp-cli.exe", frozen=True)  # run from the console exe
    state = manager.enable()
    assert reg.values == {(RUN_KEY, "trayapp"): ('"C:\\Program Files\\trayapp\\trayapp.exe" --autostart', REG_SZ)}
    assert state.enabled and state.path == "HKEY_CURRENT_USER\\" + RUN_KEY + "\\trayapp"
    assert state.command == [r"C:\Program Files\trayapp\trayapp.exe", "--autostart"]
    manager.disable()
    assert reg.values == {}


def test_windows_from_python_uses_pythonw_never_python_exe() -> None:
    reg = DictRegistry()
    windows(reg, r"C:\Users\anna\venv\Scripts\python.exe", frozen=False, home=r"C:\Sync Data").enable()
    value, kind = reg.values[(RUN_KEY, "trayapp")]
    assert value == '"C:\\Users\\anna\\venv\\Scripts\\pythonw.exe" -m trayapp --home "C:\\Sync Data" --autostart'
    assert kind == REG_SZ and "python.exe" not in value and len(value) < 260
    with pytest.raises(PlatformError, match=r"pythonw\.exe"):
        windows(DictRegistry(), r"C:\Python311\python.exe", frozen=False, exists=lambda path: False).enable()


@pytest.mark.parametrize(("data", "disabled"), [
    (bytes.fromhex("020000000000000000000000"), False),
    (bytes.fromhex("060000000000000000000000"), False),
    (bytes.fromhex("030000001779bd0117d9d101"), True),
    (bytes.fromhex("0700000071c933ae16d9d101"), True),
])
def test_windows_task_manager_disabled_is_reported_and_kept(data: bytes, disabled: bool) -> None:
    reg = DictRegistry()
    old = windows(reg, r"C:\Old\trayapp.exe", frozen=True)
    old.enable()
    reg.set(APPROVED_KEY, "trayapp", data, REG_BINARY)  # what Task Manager writes
    manager = windows(reg, r"C:\New\trayapp.exe", frozen=True)
    state = manager.status()
    assert (state.disabled_by_user, state.enabled, state.stale) == (disabled, not disabled, True)
    assert manager.is_enabled() is (not disabled)
    assert manager.revalidate() is True  # moved: the Run value is rewritten, the user's choice kept
    assert reg.values[(RUN_KEY, "trayapp")] == ('"C:\\New\\trayapp.exe" --autostart', REG_SZ)
    assert reg.values[(APPROVED_KEY, "trayapp")] == (data, REG_BINARY)
    manager.enable()  # the user ticks "Start at login": Task Manager's mark goes
    assert (APPROVED_KEY, "trayapp") not in reg.values and manager.is_enabled() is True


def test_windows_command_stays_under_260_characters() -> None:
    deep = "C:\\" + "\\".join(["a very long folder name"] * 12) + "\\trayapp.exe"
    reg = DictRegistry()
    windows(reg, deep, frozen=True, shorten=lambda path: r"C:\AVERYL~1\TRAYAPP.EXE").enable()
    assert reg.values[(RUN_KEY, "trayapp")][0] == '"C:\\AVERYL~1\\TRAYAPP.EXE" --autostart'
    with pytest.raises(PlatformError, match="under 260"):
        windows(DictRegistry(), deep, frozen=True).enable()


def test_winreg_is_imported_only_on_windows() -> None:
    code = ("import sys; from trayapp.platform import autostart; autostart.status(); "
            "print('winreg' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env={**os.environ, "XDG_CONFIG_HOME": "/nonexistent"})
    assert done.stdout.strip() == str(sys.platform == "win32")


# ---------------------------------------------------------------- macOS: exact plist

def test_macos_launch_agent_plist(tmp_path: Path) -> None:
    backend = LaunchAgentAutostart(tmp_path, bundled=False)
    command = ["/Applications/trayapp.app/Contents/MacOS/trayapp", "--autostart"]
    manager = Autostart(backend, lambda: fixed(*command))
    manager.enable()
    path = tmp_path / "Library" / "LaunchAgents" / "com.trayapp.trayapp.plist"
    data = plistlib.loads(path.read_bytes())
    assert data == {"Label": "com.trayapp.trayapp", "ProgramArguments": command, "RunAtLoad": True,
                     "ProcessType": "Interactive", "LimitLoadToSessionType": "Aqua"}
    assert "KeepAlive" not in path.read_text()  # launchd would restart the app after the user quits it
    assert path.read_bytes().startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE plist')
    assert manager.is_enabled() is True
    bundled = LaunchAgentAutostart(tmp_path, bundled=True).content(command)
    assert bundled["AssociatedBundleIdentifiers"] == ["com.trayapp.trayapp"]
    # a Disabled key (set by an admin or a tool) is reported and kept by revalidation
    path.write_bytes(plistlib.dumps({**data, "ProgramArguments": ["/old/trayapp", "--autostart"],
                                     "Disabled": True}))
    assert manager.status().disabled_by_user is True and manager.is_enabled() is False
    assert manager.revalidate() is True
    assert plistlib.loads(path.read_bytes()) == {**data, "Disabled": True}
    manager.disable()
    assert not path.exists() and manager.is_enabled() is False


# ---------------------------------------------------------------- the tray start path

def test_tray_start_revalidates_and_passes_autostart(home: Path, xdg: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("PySide6")
    import trayapp.ui.app as ui_app

    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    path = xdg / "autostart" / "trayapp.desktop"
    path.parent.mkdir(parents=True)
    path.write_text(desktop_entry(["/opt/moved/away/trayapp", "--home", str(home.resolve()), "--autostart"]))
    calls: list[dict] = []

    def run_app(paths, demo=None, *, autostart=False):
        calls.append({"autostart": autostart})
        return 0

    monkeypatch.setattr(ui_app, "run_app", run_app)
    assert main(["--autostart"]) == 0
    assert calls == [{"autostart": True}]
    assert split_exec(parse_desktop_entry(path.read_text())["Exec"]) == \
        [PY, "-m", "trayapp", "--home", str(home.resolve()), "--autostart"]  # rewritten at start
    assert main([]) == 0
    assert calls[-1] == {"autostart": False}

    def older_run_app(paths, demo=None):  # a run_app without the parameter still starts
        calls.append({"older": True})
        return 0

    monkeypatch.setattr(ui_app, "run_app", older_run_app)
    assert main(["--autostart"]) == 0
    assert calls[-1] == {"older": True}


def test_unsupported_platform() -> None:
    manager = Autostart(None)
    assert manager.is_enabled() is None and manager.status().supported is False
    with pytest.raises(PlatformError):
        manager.enable()
