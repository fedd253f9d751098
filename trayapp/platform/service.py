"""The background service: the headless scheduler (`trayapp run --headless`) registered with the OS
service manager, so it starts with the computer and runs while nobody is logged in.

    from trayapp.platform import service
    manager = service.default(paths)        # the service manager of this OS, scope found or chosen
    manager.status()                        # ServiceStatus: installed, enabled, running, driven integrations
    manager.install(); manager.start(); manager.stop(); manager.remove()

- Linux: a systemd unit `trayapp.service`. As root a system unit (/etc/systemd/system, `User=` the
  user whose configuration it runs: --run-as, default $SUDO_USER); otherwise a user unit
  ($XDG_CONFIG_HOME/systemd/user) that runs without a login once `loginctl enable-linger <user>`
  was done. Secrets: no keyring runs there, so the unit reads `TRAYAPP_SECRET_<INTEGRATION>_<NAME>`
  variables from an EnvironmentFile (mode 0600; written as a commented template listing the
  secrets the configuration names, never overwritten).
- Windows: a Task Scheduler task `trayapp`, "at startup, whether the user is logged on or not"
  (BootTrigger, LogonType Password: the user's profile and Credential Manager are available), no
  battery stop, no time limit (ExecutionTimeLimit PT0S), restarted on failure; registered with
  `schtasks /Create /XML` (administrator; schtasks asks for the user's password).
- macOS: a launchd job `com.trayapp.trayapp.scheduler`: a LaunchDaemon as root (UserName = the
  user), else a LaunchAgent (runs while that user is logged in). KeepAlive only after a crash.

Exactly one scheduler drives an integration: the service and the tray app both take the
integration's driver lock (`<data>/locks/<name>.driver.lock`); whoever holds it schedules, the
other shows its state and takes over when it stops. status() reports who drives (the lock probe).
"""

from __future__ import annotations

import getpass
import os
import plistlib
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path, PureWindowsPath
from typing import Any
from xml.sax.saxutils import escape

from trayapp.paths import AppPaths
from trayapp.platform import PlatformError, launch

NAME = "trayapp"
SYSTEMD_UNIT = f"{NAME}.service"
LAUNCHD_LABEL = "com.trayapp.trayapp.scheduler"
TASK_NAME = NAME
ENV_FILE_MODE = 0o600


@dataclass(slots=True)
class CommandResult:
    returncode: int
    stdout: str = ""
    stderr: str = ""

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def message(self) -> str:
        return (self.stderr or self.stdout).strip()


Runner = Callable[[Sequence[str]], CommandResult]


def run_command(args: Sequence[str], *, interactive: bool = False, timeout: float = 120) -> CommandResult:
    """Run a service-manager command; `interactive` lets it talk to the terminal (password prompts)."""
    try:
        if interactive:
            return CommandResult(subprocess.run(list(args), timeout=timeout, check=False).returncode)
        done = subprocess.run(list(args), capture_output=True, text=True, timeout=timeout, check=False)
    except FileNotFoundError:
        return CommandResult(127, "", f"{args[0]}: command not found")
    except subprocess.TimeoutExpired:
        return CommandResult(124, "", f"{' '.join(args)}: no answer in {timeout:.0f}s")
    return CommandResult(done.returncode, done.stdout, done.stderr)


@dataclass(slots=True)
class ServiceStatus:
    platform: str  # linux | windows | macos
    manager: str  # systemd | task-scheduler | launchd
    scope: str  # system | user
    manager_running: bool  # the service manager answers here (systemd is PID 1, ...)
    installed: bool
    definition: str  # unit file, task name or plist
    enabled: bool | None  # starts with the computer (None: unknown)
    running: bool | None  # runs now (None: unknown, e.g. systemd not running here)
    command: list[str]  # what it runs (this installation's headless command)
    run_as: str = ""
    environment_file: str = ""
    integrations: list[dict[str, Any]] = field(default_factory=list)  # {"name", "driven"}
    hints: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class ServiceManager:
    """What every OS's background service offers (subclasses: systemd, Task Scheduler, launchd)."""

    platform = ""
    manager = ""

    def __init__(self, paths: AppPaths, *, scope: str, run_as: str | None = None, runner: Runner = run_command,
                 launcher: Callable[[], launch.Launcher] = launch.current) -> None:
        if scope not in ("system", "user"):
            raise PlatformError(f"unknown service scope {scope!r}: expected system or user")
        self.scope = scope
        self.run_as = run_as or default_run_as()
        self.runner = runner
        self._launcher = launcher
        self.paths = paths
        if scope == "system" and self.run_as != getpass.getuser() and not os.environ.get("TRAYAPP_HOME"):
            # e.g. `sudo trayapp service install`: the service runs (and is probed) with that user's files
            self.paths = paths_of(self.run_as) or paths

    def command(self) -> list[str]:
        return self._launcher().headless_command()

    # subclasses implement these
    @property
    def definition(self) -> str:
        raise NotImplementedError

    def installed(self) -> bool:
        raise NotImplementedError

    def install(self, *, start: bool = True) -> list[str]:
        raise NotImplementedError

    def remove(self, *, purge: bool = False) -> list[str]:
        raise NotImplementedError

    def start(self) -> list[str]:
        raise NotImplementedError

    def stop(self) -> list[str]:
        raise NotImplementedError

    def status(self) -> ServiceStatus:
        raise NotImplementedError

    # shared
    def _run(self, *args: str, check: bool = True) -> CommandResult:
        result = self.runner(list(args))
        if check and not result.ok:
            raise PlatformError(f"{' '.join(args)} failed ({result.returncode}): {result.message() or 'no output'}")
        return result

    def driven(self) -> list[dict[str, Any]]:
        """Each configured integration and whether a scheduler (this service, or a tray app) drives it."""
        from trayapp.config import load_config
        from trayapp.errors import ConfigError
        from trayapp.scheduler import driven_integrations

        try:
            config = load_config(self.paths.config_file)
        except ConfigError:
            return []
        found = driven_integrations(self.paths.locks_dir, [i.name for i in config.integrations])
        return [{"name": name, "driven": driven} for name, driven in found.items()]

    def secret_variables(self) -> list[str]:
        """The TRAYAPP_SECRET_* variables the configured integrations need (names only)."""
        from trayapp.config import load_config
        from trayapp.errors import ConfigError
        from trayapp.secrets import env_name

        try:
            config = load_config(self.paths.config_file)
        except ConfigError:
            return []
        names = []
        for integration in config.integrations:
            for secret in (integration.erp.password_secret, integration.shop.key_secret,
                           integration.shop.secret_secret):
                if secret:
                    names.append(env_name(integration.name, secret))
        return names


def default_run_as() -> str:
    """The user the service runs as: the one who ran sudo, else the current user."""
    sudo_user = os.environ.get("SUDO_USER")
    if sudo_user and sudo_user != "root":
        return sudo_user
    if sys.platform == "win32":
        domain, user = os.environ.get("USERDOMAIN", ""), os.environ.get("USERNAME") or getpass.getuser()
        return f"{domain}\\{user}" if domain else user
    return getpass.getuser()


def paths_of(user: str) -> AppPaths | None:
    """Another local user's default trayapp folders (Linux/macOS): what platformdirs gives with that
    user's HOME and no XDG overrides, as the service manager starts the service. None if unknown."""
    try:
        import pwd

        home = pwd.getpwnam(user).pw_dir
    except (ImportError, KeyError):
        return None
    from trayapp.paths import app_paths

    names = ("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "TRAYAPP_HOME")
    saved = {name: os.environ.get(name) for name in names}
    try:
        for name in names:
            os.environ.pop(name, None)
        os.environ["HOME"] = home
        return app_paths()
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


# ---------------------------------------------------------------- Linux: systemd

def systemd_booted(root: Path = Path("/")) -> bool:
    """sd_booted(): systemd is the running init system (it is not in most containers)."""
    return (Path(root) / "run" / "systemd" / "system").is_dir()


def systemd_quote(arg: str) -> str:
    """One ExecStart word: quoted when needed; % specifiers and $ variables escaped (systemd.service)."""
    text = arg.replace("%", "%%").replace("$", "$$")
    if text and not any(c in text for c in ' \t"\'\\;'):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def systemd_split(value: str) -> list[str]:
    """The words of an ExecStart value written by systemd_quote."""
    words: list[str] = []
    i, n = 0, len(value)
    while i < n:
        while i < n and value[i] in " \t":
            i += 1
        if i >= n:
            break
        word: list[str] = []
        if value[i] in "\"'":
            quote = value[i]
            i += 1
            while i < n and value[i] != quote:
                if value[i] == "\\" and i + 1 < n:
                    i += 1
                word.append(value[i])
                i += 1
            i += 1
        else:
            while i < n and value[i] not in " \t":
                word.append(value[i])
                i += 1
        words.append("".join(word).replace("%%", "%").replace("$$", "$"))
    return words


class SystemdService(ServiceManager):
    platform, manager = "linux", "systemd"

    def __init__(self, paths: AppPaths, *, scope: str, run_as: str | None = None, runner: Runner = run_command,
                 launcher: Callable[[], launch.Launcher] = launch.current, unit_name: str = SYSTEMD_UNIT,
                 root: Path | None = None, user_config_home: Path | None = None) -> None:
        super().__init__(paths, scope=scope, run_as=run_as, runner=runner, launcher=launcher)
        self.unit_name = unit_name
        self.root = Path(root) if root else None  # an alternative root (tests, images): systemctl --root
        self.user_config_home = user_config_home

    @property
    def unit_path(self) -> Path:
        if self.scope == "system":
            return (self.root or Path("/")) / "etc" / "systemd" / "system" / self.unit_name
        from trayapp.platform.autostart import xdg_config_home

        return (self.user_config_home or xdg_config_home()) / "systemd" / "user" / self.unit_name

    @property
    def environment_file(self) -> Path:
        if self.scope == "system":
            return (self.root or Path("/")) / "etc" / NAME / f"{self.unit_name.removesuffix('.service')}.env"
        return self.paths.config_dir / "service.env"

    @property
    def definition(self) -> str:
        return str(self.unit_path)

    def systemctl(self, *args: str) -> list[str]:
        base = ["systemctl"]
        if self.scope == "user":
            base.append("--user")
        if self.root is not None:
            base.append(f"--root={self.root}")
        return [*base, *args]

    def manager_running(self) -> bool:
        return self.root is None and systemd_booted()

    def unit(self) -> str:
        """The unit file's text."""
        lines = [
            "# Written by 'trayapp service install'; 'trayapp service remove' deletes it.",
            "[Unit]",
            "Description=trayapp background scheduler (keeps the ERP and the online shops in sync)",
            "Wants=network-online.target",
            "After=network-online.target",
            "",
            "[Service]",
            "Type=simple",
        ]
        if self.scope == "system" and self.run_as != "root":
            lines.append(f"User={self.run_as}")
        env_file = self.environment_file if self.root is None else \
            Path("/") / self.environment_file.relative_to(self.root)
        lines += [
            f"ExecStart={' '.join(systemd_quote(a) for a in self.command())}",
            "# secrets as TRAYAPP_SECRET_<INTEGRATION>_<NAME>=value (no keyring runs here); mode 0600",
            f"EnvironmentFile=-{systemd_quote(str(env_file))}",
            "Environment=PYTHONUNBUFFERED=1",
            "Restart=on-failure",
            "RestartSec=30",
            "TimeoutStopSec=120",  # SIGTERM: running operations finish their current record first
            "UMask=0077",
            "NoNewPrivileges=yes",
            "",
            "[Install]",
            f"WantedBy={'multi-user.target' if self.scope == 'system' else 'default.target'}",
        ]
        return "\n".join(lines) + "\n"

    def environment_template(self) -> str:
        names = self.secret_variables()
        lines = [
            "# Secrets for the trayapp background service. systemd reads this file when it starts the",
            "# service; keep it readable by its owner only (chmod 600). No keyring runs without a",
            "# logged-in user, so each secret the configuration names is set here as",
            "#   TRAYAPP_SECRET_<INTEGRATION>_<NAME>=value   (upper case; other characters become _)",
            "# then: trayapp service stop && trayapp service start",
        ]
        if names:
            lines.append("# The configuration names these (remove the # and fill in):")
            lines += [f"#{name}=" for name in names]
        return "\n".join(lines) + "\n"

    def installed(self) -> bool:
        return self.unit_path.is_file()

    def install(self, *, start: bool = True) -> list[str]:
        command = self.command()
        if not os.path.isabs(command[0]):
            raise PlatformError(f"the service needs an absolute program path, not {command[0]}")
        messages = []
        _write(self.unit_path, self.unit().encode(), 0o644)
        messages.append(f"wrote {self.unit_path}")
        env = self.environment_file
        if not env.exists():
            _write(env, self.environment_template().encode(), ENV_FILE_MODE)
            messages.append(f"wrote {env} (mode 600): put the secrets the service needs there")
        elif env.stat().st_mode & 0o077:
            env.chmod(ENV_FILE_MODE)
            messages.append(f"{env}: permissions tightened to 600")
        if self.manager_running():
            self._run(*self.systemctl("daemon-reload"))
        self._run(*self.systemctl("enable", self.unit_name))  # works offline too (symlinks only)
        messages.append(f"enabled {self.unit_name} ({self.scope}): it starts with the computer")
        if start:
            if self.manager_running():
                self._run(*self.systemctl("restart", self.unit_name))
                messages.append(f"started {self.unit_name}")
            else:
                messages.append("systemd is not running on this machine: the service starts at the next boot "
                                "with systemd")
        return messages

    def remove(self, *, purge: bool = False) -> list[str]:
        messages = []
        if self.manager_running() and self.installed():
            self._run(*self.systemctl("stop", self.unit_name), check=False)
        if self.installed():
            self._run(*self.systemctl("disable", self.unit_name), check=False)
            self.unit_path.unlink()
            messages.append(f"removed {self.unit_path}")
            if self.manager_running():
                self._run(*self.systemctl("daemon-reload"), check=False)
        else:
            messages.append(f"no {self.scope} service installed ({self.unit_path})")
        env = self.environment_file
        if env.exists():
            if purge:
                env.unlink()
                messages.append(f"removed {env}")
            else:
                messages.append(f"kept {env} (it may hold secrets; --purge deletes it)")
        return messages

    def _need_manager(self, what: str) -> None:
        if not self.installed():
            raise PlatformError(f"the background service is not installed (no {self.unit_path}); "
                                "install it with: trayapp service install")
        if not self.manager_running():
            raise PlatformError(f"cannot {what} the service: systemd is not running on this machine")

    def start(self) -> list[str]:
        self._need_manager("start")
        self._run(*self.systemctl("start", self.unit_name))
        return [f"started {self.unit_name}"]

    def stop(self) -> list[str]:
        self._need_manager("stop")
        self._run(*self.systemctl("stop", self.unit_name))
        return [f"stopped {self.unit_name}"]

    def status(self) -> ServiceStatus:
        installed = self.installed()
        running_manager = self.manager_running()
        enabled: bool | None = None
        running: bool | None = None
        if installed and shutil.which("systemctl"):
            state = self._run(*self.systemctl("is-enabled", self.unit_name), check=False)
            enabled = state.stdout.strip() in ("enabled", "enabled-runtime", "linked", "alias")
        if running_manager:
            running = self._run(*self.systemctl("is-active", self.unit_name), check=False).stdout.strip() == "active"
        command = self.command()
        if installed:
            for line in self.unit_path.read_text(encoding="utf-8").splitlines():
                if line.startswith("ExecStart="):
                    command = systemd_split(line[len("ExecStart="):])
        hints = []
        if not running_manager:
            hints.append("systemd is not running on this machine (a container?): the service cannot run here")
        if self.scope == "user":
            user = getpass.getuser()
            if not (Path("/var/lib/systemd/linger") / user).exists():
                hints.append(f"a user service runs without a login only with lingering on: "
                             f"sudo loginctl enable-linger {user}")
        if installed:
            hints.append(f"secrets: TRAYAPP_SECRET_<INTEGRATION>_<NAME>=value lines in {self.environment_file}")
        return ServiceStatus(self.platform, self.manager, self.scope, running_manager, installed, self.definition,
                             enabled, running, command, self.run_as if self.scope == "system" else getpass.getuser(),
                             str(self.environment_file), self.driven(), hints)


# ---------------------------------------------------------------- Windows: Task Scheduler

TASK_NS = "http://schemas.microsoft.com/windows/2004/02/mit/task"


class TaskSchedulerService(ServiceManager):
    platform, manager = "windows", "task-scheduler"

    def __init__(self, paths: AppPaths, *, scope: str = "system", run_as: str | None = None,
                 runner: Runner = run_command, launcher: Callable[[], launch.Launcher] = launch.current,
                 task_name: str = TASK_NAME, interactive: Runner | None = None) -> None:
        super().__init__(paths, scope="system", run_as=run_as, runner=runner, launcher=launcher)
        self.task_name = task_name
        self.interactive = interactive or (lambda args: run_command(args, interactive=True))

    @property
    def definition(self) -> str:
        return f"\\{self.task_name}"

    @property
    def xml_path(self) -> Path:
        """A copy of the registered task definition, for admins (schtasks reads it from here)."""
        return self.paths.data_dir / "service-task.xml"

    def task_xml(self) -> str:
        """The task definition (Task Scheduler schema 1.2)."""
        command = self.command()
        program, arguments = command[0], launch.windows_args(command[1:])
        workdir = str(PureWindowsPath(program).parent)
        return f"""<?xml version="1.0" encoding="UTF-16"?>
<Task version="1.2" xmlns="{TASK_NS}">
  <RegistrationInfo>
    <Author>trayapp</Author>
    <Description>trayapp background scheduler: ERP and shop sync with nobody logged in</Description>
    <URI>\\{escape(self.task_name)}</URI>
  </RegistrationInfo>
  <Triggers>
    <BootTrigger>
      <Enabled>true</Enabled>
      <Delay>PT1M</Delay>
    </BootTrigger>
  </Triggers>
  <Principals>
    <Principal id="Author">
      <UserId>{escape(self.run_as)}</UserId>
      <LogonType>Password</LogonType>
      <RunLevel>LeastPrivilege</RunLevel>
    </Principal>
  </Principals>
  <Settings>
    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>
    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>
    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>
    <AllowHardTerminate>true</AllowHardTerminate>
    <StartWhenAvailable>true</StartWhenAvailable>
    <RunOnlyIfNetworkAvailable>false</RunOnlyIfNetworkAvailable>
    <IdleSettings>
      <StopOnIdleEnd>false</StopOnIdleEnd>
      <RestartOnIdle>false</RestartOnIdle>
    </IdleSettings>
    <AllowStartOnDemand>true</AllowStartOnDemand>
    <Enabled>true</Enabled>
    <Hidden>false</Hidden>
    <RunOnlyIfIdle>false</RunOnlyIfIdle>
    <WakeToRun>false</WakeToRun>
    <ExecutionTimeLimit>PT0S</ExecutionTimeLimit>
    <Priority>7</Priority>
    <RestartOnFailure>
      <Interval>PT1M</Interval>
      <Count>999</Count>
    </RestartOnFailure>
  </Settings>
  <Actions Context="Author">
    <Exec>
      <Command>{escape(program)}</Command>
      <Arguments>{escape(arguments)}</Arguments>
      <WorkingDirectory>{escape(workdir)}</WorkingDirectory>
    </Exec>
  </Actions>
</Task>
"""

    def create_command(self) -> list[str]:
        """schtasks registers the XML; without /RP it asks for the user's password (stored by Windows,
        so the task runs with nobody logged in and with the user's Credential Manager)."""
        return ["schtasks", "/Create", "/TN", self.task_name, "/XML", str(self.xml_path), "/RU", self.run_as, "/F"]

    def installed(self) -> bool:
        return self._run("schtasks", "/Query", "/TN", self.task_name, check=False).ok

    def state(self) -> str:
        """Ready | Running | Disabled | Queued | Unknown (not localised, unlike schtasks' own output)."""
        result = self._run("powershell", "-NoProfile", "-NonInteractive", "-Command",
                           f"(Get-ScheduledTask -TaskName '{self.task_name}' -ErrorAction Stop).State", check=False)
        return result.stdout.strip() if result.ok else ""

    def install(self, *, start: bool = True) -> list[str]:
        _write(self.xml_path, self.task_xml().encode("utf-16"), 0o644)  # UTF-16 with BOM, as schtasks wants
        result = self.interactive(self.create_command())
        if not result.ok:
            raise PlatformError(f"schtasks could not register the task ({result.returncode}): "
                                f"{result.message() or 'run this from an administrator command prompt'}")
        messages = [f"registered the scheduled task {self.definition} (at startup, as {self.run_as})"]
        if start:
            self._run("schtasks", "/Run", "/TN", self.task_name)
            messages.append("started it")
        return messages

    def remove(self, *, purge: bool = False) -> list[str]:
        if not self.installed():
            return [f"no scheduled task {self.definition}"]
        self._run("schtasks", "/End", "/TN", self.task_name, check=False)
        self._run("schtasks", "/Delete", "/TN", self.task_name, "/F")
        if self.xml_path.exists():
            self.xml_path.unlink()
        return [f"removed the scheduled task {self.definition}"]

    def start(self) -> list[str]:
        self._run("schtasks", "/Run", "/TN", self.task_name)
        return [f"started {self.definition}"]

    def stop(self) -> list[str]:
        # /End terminates the process; the engine is crash-safe (no order lost or imported twice)
        self._run("schtasks", "/End", "/TN", self.task_name)
        return [f"stopped {self.definition}"]

    def status(self) -> ServiceStatus:
        installed = self.installed()
        state = self.state() if installed else ""
        return ServiceStatus(self.platform, self.manager, "system", bool(shutil.which("schtasks")), installed,
                             self.definition, (state != "Disabled") if state else (None if installed else False),
                             (state == "Running") if state else (None if installed else False), self.command(),
                             self.run_as, "", self.driven(),
                             ["secrets: the task runs as the user, with the user's Credential Manager"])


# ---------------------------------------------------------------- macOS: launchd

class LaunchdService(ServiceManager):
    platform, manager = "macos", "launchd"

    def __init__(self, paths: AppPaths, *, scope: str, run_as: str | None = None, runner: Runner = run_command,
                 launcher: Callable[[], launch.Launcher] = launch.current, label: str = LAUNCHD_LABEL,
                 home: Path | None = None, root: Path | None = None, uid: int | None = None) -> None:
        super().__init__(paths, scope=scope, run_as=run_as, runner=runner, launcher=launcher)
        self.label = label
        self.home = Path(home) if home else Path.home()
        self.root = Path(root) if root else Path("/")
        self.uid = uid if uid is not None else (os.getuid() if hasattr(os, "getuid") else 0)

    @property
    def plist_path(self) -> Path:
        if self.scope == "system":
            return self.root / "Library" / "LaunchDaemons" / f"{self.label}.plist"
        return self.home / "Library" / "LaunchAgents" / f"{self.label}.plist"

    @property
    def definition(self) -> str:
        return str(self.plist_path)

    @property
    def domain(self) -> str:
        return "system" if self.scope == "system" else f"gui/{self.uid}"

    def content(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "Label": self.label,
            "ProgramArguments": self.command(),
            "RunAtLoad": True,
            "KeepAlive": {"SuccessfulExit": False},  # restart after a crash, not after `service stop`
            "ThrottleInterval": 30,
            "ProcessType": "Standard",
            "ExitTimeOut": 120,  # SIGTERM: running operations finish their current record first
        }
        if self.scope == "system" and self.run_as != "root":
            data["UserName"] = self.run_as
        return data

    def plist(self) -> bytes:
        return plistlib.dumps(self.content())

    def installed(self) -> bool:
        return self.plist_path.is_file()

    def loaded(self) -> CommandResult:
        return self._run("launchctl", "print", f"{self.domain}/{self.label}", check=False)

    def install(self, *, start: bool = True) -> list[str]:
        if self.installed() and self.loaded().ok:
            self._run("launchctl", "bootout", f"{self.domain}/{self.label}", check=False)
        _write(self.plist_path, self.plist(), 0o644)
        messages = [f"wrote {self.plist_path}"]
        if start:
            self._run("launchctl", "bootstrap", self.domain, str(self.plist_path))
            messages.append(f"loaded and started {self.label}")
        return messages

    def remove(self, *, purge: bool = False) -> list[str]:
        if not self.installed():
            return [f"no {self.scope} service installed ({self.plist_path})"]
        self._run("launchctl", "bootout", f"{self.domain}/{self.label}", check=False)
        self.plist_path.unlink()
        return [f"removed {self.plist_path}"]

    def start(self) -> list[str]:
        if not self.loaded().ok:
            self._run("launchctl", "bootstrap", self.domain, str(self.plist_path))
        else:
            self._run("launchctl", "kickstart", f"{self.domain}/{self.label}")
        return [f"started {self.label}"]

    def stop(self) -> list[str]:
        self._run("launchctl", "kill", "SIGTERM", f"{self.domain}/{self.label}")
        return [f"stopped {self.label}"]

    def status(self) -> ServiceStatus:
        installed = self.installed()
        printed = self.loaded() if installed else CommandResult(1)
        running = installed and printed.ok and "state = running" in printed.stdout
        hints = [f"secrets: TRAYAPP_SECRET_<INTEGRATION>_<NAME> keys in EnvironmentVariables of {self.plist_path} "
                 "(chmod 600), as no keychain is unlocked without a login"]
        if self.scope == "user":
            hints.append("a LaunchAgent runs only while the user is logged in; as root "
                         "(sudo trayapp service install) it becomes a LaunchDaemon that runs at boot")
        return ServiceStatus(self.platform, self.manager, self.scope, bool(shutil.which("launchctl")), installed,
                             self.definition, installed, running, self.command(),
                             self.run_as if self.scope == "system" else getpass.getuser(), "", self.driven(), hints)


# ---------------------------------------------------------------- choosing

def _write(path: Path, data: bytes, mode: int) -> None:
    from trayapp.platform.autostart import _write_file

    _write_file(path, data, mode)


def manager_class(platform: str = sys.platform) -> type[ServiceManager]:
    if platform == "win32":
        return TaskSchedulerService
    if platform == "darwin":
        return LaunchdService
    if platform.startswith("linux"):
        return SystemdService
    raise PlatformError(f"the background service is not supported on {platform}")


def default(paths: AppPaths, *, scope: str | None = None, run_as: str | None = None,
            platform: str = sys.platform, **options: Any) -> ServiceManager:
    """The service manager of this OS. Without `scope`: the installed one (system first), else
    system when running as root (Windows: always), else user."""
    cls = manager_class(platform)
    if cls is TaskSchedulerService:
        return cls(paths, run_as=run_as, **options)
    if scope is None:
        for candidate in ("system", "user"):
            manager = cls(paths, scope=candidate, run_as=run_as, **options)
            if manager.installed():
                return manager
        scope = "system" if is_root() else "user"
    return cls(paths, scope=scope, run_as=run_as, **options)
