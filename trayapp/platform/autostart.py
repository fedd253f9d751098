"""Start at login: one implementation for `trayapp autostart`, the tray's checkbox and Settings.

    from trayapp.platform import autostart
    autostart.is_enabled()      # True / False; None where this OS has no supported mechanism
    autostart.enable(); autostart.disable()
    autostart.status()          # AutostartStatus: path, command, disabled_by_user, stale, ...
    autostart.revalidate()      # at every start: rewrite an entry whose program moved (True if rewritten)

Per OS (per user, no administrator rights needed):
- Windows: the value "trayapp" in HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run holding the
  quoted GUI executable (frozen trayapp.exe, or pythonw.exe -m trayapp; never python.exe), under
  260 characters. Task Manager / Settings "Startup apps" record a user's "Disabled" in
  ...\\Explorer\\StartupApproved\\Run under the same name: a REG_BINARY whose first byte is odd when
  disabled (02/06 enabled, 03/07 disabled, followed by the FILETIME of the change). enable() clears
  that mark (the user asked us to start), revalidate() keeps it.
- Linux (XDG): a real file $XDG_CONFIG_HOME/autostart/trayapp.desktop (default ~/.config) with an
  absolute Exec and X-GNOME-Autostart-Delay so the tray host comes first. `Hidden=true` or
  `X-GNOME-Autostart-enabled=false` mean disabled. disable() removes the file, or writes Hidden=true
  when a system-wide entry ($XDG_CONFIG_DIRS/autostart) would otherwise still start trayapp.
- macOS: ~/Library/LaunchAgents/com.trayapp.trayapp.plist with RunAtLoad and no KeepAlive (launchd
  would restart the app after the user quits it); `Disabled=true` in it means disabled.

The entry starts `trayapp --autostart`: the tray app minimised to the tray, no window.
All file and registry access goes through small adapters the tests replace.
"""

from __future__ import annotations

import logging
import os
import plistlib
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

from trayapp.platform import PlatformError, launch

APP_ID = "trayapp"
MACOS_LABEL = "com.trayapp.trayapp"
DESKTOP_FILE = f"{APP_ID}.desktop"
START_DELAY = 10  # seconds (X-GNOME-Autostart-Delay): the panel / tray host first
WINDOWS_MAX_COMMAND = 259  # the Run value must stay under 260 characters
RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
APPROVED_KEY = r"Software\Microsoft\Windows\CurrentVersion\Explorer\StartupApproved\Run"
REG_SZ, REG_BINARY = 1, 3  # winreg's type constants (fixed by the Windows API)
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Entry:
    """An autostart entry as found: its command and whether the user switched it off elsewhere."""

    command: list[str]
    disabled_by_user: bool = False
    location: str = ""


@dataclass(slots=True)
class AutostartStatus:
    platform: str  # windows | linux | macos | <sys.platform> when unsupported
    supported: bool
    installed: bool  # an entry exists
    enabled: bool  # installed and not disabled by the user: trayapp starts at login
    disabled_by_user: bool  # e.g. Task Manager's "Disabled", Hidden=true
    path: str  # where the entry lives (file, or registry key\\value)
    command: list[str] | None  # the entry's command
    expected: list[str] | None  # the command this installation writes
    stale: bool  # installed, but not with this installation's command (revalidate rewrites it)
    problem: str = ""  # why this installation cannot write an entry, if it cannot

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class Backend(Protocol):
    platform: str
    location: str

    def read(self) -> Entry | None: ...

    def write(self, command: Sequence[str], *, keep_disabled: Entry | None = None) -> None: ...

    def remove(self) -> None: ...


class Autostart:
    """Start at login for one backend; `launcher` says how this installation is started."""

    def __init__(self, backend: Backend | None, launcher: Callable[[], launch.Launcher] = launch.current) -> None:
        self.backend = backend
        self._launcher = launcher

    def expected(self) -> list[str]:
        return self._launcher().autostart_command()

    def status(self) -> AutostartStatus:
        if self.backend is None:
            return AutostartStatus(sys.platform, False, False, False, False, "", None, None, False,
                                   f"start at login is not supported on {sys.platform}")
        entry = self.backend.read()
        problem = ""
        try:
            expected: list[str] | None = self.expected()
        except PlatformError as exc:
            expected, problem = None, str(exc)
        installed = entry is not None
        return AutostartStatus(
            platform=self.backend.platform, supported=True, installed=installed,
            enabled=installed and not entry.disabled_by_user, disabled_by_user=installed and entry.disabled_by_user,
            path=(entry.location if entry and entry.location else self.backend.location),
            command=entry.command if entry else None, expected=expected,
            stale=bool(installed and expected is not None and entry.command != expected), problem=problem)

    def is_enabled(self) -> bool | None:
        """Whether trayapp starts at login (None: not supported here)."""
        if self.backend is None:
            return None
        entry = self.backend.read()
        return entry is not None and not entry.disabled_by_user

    def enable(self) -> AutostartStatus:
        """Start at login from now on (also undoes a "Disabled" set in the OS's startup settings)."""
        if self.backend is None:
            raise PlatformError(f"start at login is not supported on {sys.platform}")
        self.backend.write(self.expected())
        return self.status()

    def disable(self) -> AutostartStatus:
        if self.backend is None:
            raise PlatformError(f"start at login is not supported on {sys.platform}")
        self.backend.remove()
        return self.status()

    def revalidate(self) -> bool:
        """Rewrite an existing entry that does not start this installation (the app moved, was
        updated or reinstalled elsewhere). Keeps a user's "disabled"; never creates an entry; leaves
        alone an entry of another trayapp home (--home). Returns whether it rewrote the entry."""
        if self.backend is None:
            return False
        entry = self.backend.read()
        if entry is None:
            return False
        try:
            expected = self.expected()
        except PlatformError as exc:
            log.warning("start at login: cannot check the entry at %s: %s", entry.location, exc)
            return False
        if entry.command == expected:
            return False
        if launch.home_of(entry.command) != launch.home_of(expected):
            return False  # another installation's / portable home's entry: not ours to rewrite
        self.backend.write(expected, keep_disabled=entry)
        log.info("start at login: rewrote %s to start %s (was %s)", entry.location, expected, entry.command)
        return True


# ---------------------------------------------------------------- Linux / XDG

class XdgAutostart:
    """$XDG_CONFIG_HOME/autostart/trayapp.desktop (a real file; system-wide entries are read too)."""

    platform = "linux"

    def __init__(self, config_home: Path | None = None, config_dirs: Sequence[Path] | None = None) -> None:
        self.config_home = Path(config_home) if config_home else xdg_config_home()
        self.config_dirs = list(config_dirs) if config_dirs is not None else xdg_config_dirs()

    @property
    def path(self) -> Path:
        return self.config_home / "autostart" / DESKTOP_FILE

    @property
    def location(self) -> str:
        return str(self.path)

    def system_entry(self) -> Path | None:
        for folder in self.config_dirs:
            candidate = Path(folder) / "autostart" / DESKTOP_FILE
            if candidate.is_file():
                return candidate
        return None

    def read(self) -> Entry | None:
        for path in (self.path, self.system_entry()):
            if path is None or not path.is_file():
                continue
            keys = parse_desktop_entry(path.read_text(encoding="utf-8", errors="replace"))
            disabled = keys.get("Hidden", "").lower() == "true" or \
                keys.get("X-GNOME-Autostart-enabled", "").lower() == "false"
            return Entry(split_exec(keys.get("Exec", "")), disabled, str(path))
        return None

    def write(self, command: Sequence[str], *, keep_disabled: Entry | None = None) -> None:
        hidden = gnome_off = False
        if keep_disabled is not None and keep_disabled.disabled_by_user and self.path.is_file():
            keys = parse_desktop_entry(self.path.read_text(encoding="utf-8", errors="replace"))
            hidden = keys.get("Hidden", "").lower() == "true"
            gnome_off = keys.get("X-GNOME-Autostart-enabled", "").lower() == "false"
        _write_file(self.path, desktop_entry(command, hidden=hidden, gnome_enabled=not gnome_off).encode(), 0o644)

    def remove(self) -> None:
        system = self.system_entry()
        if system is not None:
            # a system-wide entry would still start trayapp: the user's own file with Hidden=true masks it
            keys = parse_desktop_entry(system.read_text(encoding="utf-8", errors="replace"))
            command = split_exec(keys.get("Exec", "")) or launch.current().autostart_command()
            _write_file(self.path, desktop_entry(command, hidden=True).encode(), 0o644)
            return
        if self.path.is_symlink() or self.path.exists():
            self.path.unlink()


def xdg_config_home(environ: dict[str, str] | None = None) -> Path:
    env = os.environ if environ is None else environ
    value = env.get("XDG_CONFIG_HOME", "")
    return Path(value) if value and os.path.isabs(value) else Path.home() / ".config"  # relative: ignored (spec)


def xdg_config_dirs(environ: dict[str, str] | None = None) -> list[Path]:
    env = os.environ if environ is None else environ
    dirs = [d for d in env.get("XDG_CONFIG_DIRS", "").split(":") if d and os.path.isabs(d)]
    return [Path(d) for d in (dirs or ["/etc/xdg"])]


def desktop_entry(command: Sequence[str], *, hidden: bool = False, gnome_enabled: bool = True) -> str:
    lines = [
        "[Desktop Entry]",
        "Type=Application",
        "Version=1.4",
        "Name=trayapp",
        "GenericName=Integration Scheduler",
        "Comment=Keeps the ERP database and the online shops in sync (starts in the system tray)",
        f"Exec={quote_exec(command)}",
        "Icon=com.trayapp.trayapp",
        "Terminal=false",
        "StartupNotify=false",
        f"X-GNOME-Autostart-enabled={'true' if gnome_enabled else 'false'}",
        f"X-GNOME-Autostart-Delay={START_DELAY}",
        "X-KDE-autostart-after=panel",
        "X-KDE-StartupNotify=false",
    ]
    if hidden:
        lines.append("Hidden=true")
    return "\n".join(lines) + "\n"


_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


def quote_exec(args: Sequence[str]) -> str:
    """An Exec value (Desktop Entry Specification, "The Exec key"): arguments with reserved
    characters double-quoted with \\ before " ` $ \\, then the string-value escaping of \\, and %%."""
    if not args or not os.path.isabs(args[0]):
        raise PlatformError(f"the autostart command needs an absolute program path, not {list(args)!r}")
    if "=" in os.path.basename(args[0]):
        raise PlatformError(f"a program name containing '=' cannot go into a desktop entry: {args[0]}")
    out = []
    for arg in args:
        if any(c in arg for c in "\n\r"):
            raise PlatformError(f"a line break cannot go into a desktop entry's Exec: {arg!r}")
        if arg == "" or any(c in _RESERVED for c in arg):
            inner = "".join("\\" + c if c in '"`$\\' else c for c in arg)
            arg = f'"{inner}"'
        out.append(arg.replace("\\", "\\\\").replace("%", "%%").replace("\t", "\\t"))
    return " ".join(out)


def split_exec(value: str) -> list[str]:
    """The arguments of an Exec value (the inverse of quote_exec; field codes other than %% dropped)."""
    text = re.sub("%(.)", lambda m: "%" if m.group(1) == "%" else "", _unescape_string(value))  # as GLib does
    args: list[str] = []
    current: list[str] = []
    has_arg = quoted = False
    i = 0
    while i < len(text):
        c = text[i]
        if quoted:
            if c == "\\" and i + 1 < len(text):
                current.append(text[i + 1])
                i += 2
                continue
            if c == '"':
                quoted = False
            else:
                current.append(c)
        elif c == '"':
            quoted = has_arg = True
        elif c in " \t":
            if has_arg:
                args.append("".join(current))
            current, has_arg = [], False
        else:
            current.append(c)
            has_arg = True
        i += 1
    if has_arg:
        args.append("".join(current))
    return args


def _unescape_string(value: str) -> str:
    out, i = [], 0
    while i < len(value):
        c = value[i]
        if c == "\\" and i + 1 < len(value):
            out.append({"s": " ", "n": "\n", "t": "\t", "r": "\r", "\\": "\\"}.get(value[i + 1], "\\" + value[i + 1]))
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)


def parse_desktop_entry(text: str) -> dict[str, str]:
    """The keys of the [Desktop Entry] group (values as written, string escapes kept)."""
    keys: dict[str, str] = {}
    group = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            group = line[1:-1]
            continue
        if group == "Desktop Entry" and "=" in line:
            key, _, value = line.partition("=")
            keys.setdefault(key.strip(), value.strip())
    return keys


# ---------------------------------------------------------------- macOS / launchd

class LaunchAgentAutostart:
    """~/Library/LaunchAgents/<label>.plist: RunAtLoad, no KeepAlive, only in the GUI (Aqua) session."""

    platform = "macos"

    def __init__(self, home: Path | None = None, label: str = MACOS_LABEL, *, bundled: bool | None = None) -> None:
        self.home = Path(home) if home else Path.home()
        self.label = label
        self.bundled = bool(getattr(sys, "frozen", False)) if bundled is None else bundled

    @property
    def path(self) -> Path:
        return self.home / "Library" / "LaunchAgents" / f"{self.label}.plist"

    @property
    def location(self) -> str:
        return str(self.path)

    def content(self, command: Sequence[str], *, disabled: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "Label": self.label,
            "ProgramArguments": list(command),
            "RunAtLoad": True,
            "ProcessType": "Interactive",
            "LimitLoadToSessionType": "Aqua",
        }
        if self.bundled:
            data["AssociatedBundleIdentifiers"] = [MACOS_LABEL]  # System Settings > Login Items names the app
        if disabled:
            data["Disabled"] = True
        return data

    def read(self) -> Entry | None:
        if not self.path.is_file():
            return None
        try:
            with self.path.open("rb") as fh:
                data = plistlib.load(fh)
        except (plistlib.InvalidFileException, ValueError, OSError):
            return Entry([], False, str(self.path))  # unreadable: installed but stale, enable() rewrites it
        command = [str(a) for a in data.get("ProgramArguments", [])] or \
            ([str(data["Program"])] if data.get("Program") else [])
        return Entry(command, bool(data.get("Disabled", False)), str(self.path))

    def write(self, command: Sequence[str], *, keep_disabled: Entry | None = None) -> None:
        disabled = bool(keep_disabled and keep_disabled.disabled_by_user)
        _write_file(self.path, plistlib.dumps(self.content(command, disabled=disabled)), 0o644)

    def remove(self) -> None:
        if self.path.is_symlink() or self.path.exists():
            self.path.unlink()


# ---------------------------------------------------------------- Windows / registry

class Registry(Protocol):
    """HKEY_CURRENT_USER, as much as autostart needs (winreg in production, a dict in tests)."""

    def get(self, key: str, name: str) -> tuple[Any, int] | None: ...

    def set(self, key: str, name: str, value: Any, kind: int) -> None: ...

    def delete(self, key: str, name: str) -> bool: ...


class WinregRegistry:
    """The real HKEY_CURRENT_USER (winreg is imported here, so only on Windows)."""

    def __init__(self) -> None:
        import winreg  # type: ignore[import-not-found]  # Windows only

        self._winreg = winreg

    def get(self, key: str, name: str) -> tuple[Any, int] | None:
        w = self._winreg
        try:
            with w.OpenKey(w.HKEY_CURRENT_USER, key) as handle:
                value, kind = w.QueryValueEx(handle, name)
        except FileNotFoundError:
            return None
        return value, kind

    def set(self, key: str, name: str, value: Any, kind: int) -> None:
        w = self._winreg
        with w.CreateKeyEx(w.HKEY_CURRENT_USER, key, 0, w.KEY_SET_VALUE) as handle:
            w.SetValueEx(handle, name, 0, kind, value)

    def delete(self, key: str, name: str) -> bool:
        w = self._winreg
        try:
            with w.OpenKey(w.HKEY_CURRENT_USER, key, 0, w.KEY_SET_VALUE) as handle:
                w.DeleteValue(handle, name)
        except FileNotFoundError:
            return False
        return True


def windows_short_path(path: str) -> str:
    """The 8.3 form of an existing path (GetShortPathNameW), or the path itself."""
    if sys.platform != "win32":
        return path
    import ctypes

    buffer = ctypes.create_unicode_buffer(1024)
    size = ctypes.windll.kernel32.GetShortPathNameW(path, buffer, len(buffer))  # type: ignore[attr-defined]
    return buffer.value if 0 < size < len(buffer) else path


class RunKeyAutostart:
    """HKCU\\...\\Run value, and the StartupApproved\\Run mark Task Manager writes."""

    platform = "windows"

    def __init__(self, registry: Registry | None = None, name: str = APP_ID,
                 shorten: Callable[[str], str] = windows_short_path) -> None:
        self.registry = registry if registry is not None else WinregRegistry()
        self.name = name
        self.shorten = shorten

    @property
    def location(self) -> str:
        return f"HKEY_CURRENT_USER\\{RUN_KEY}\\{self.name}"

    def read(self) -> Entry | None:
        found = self.registry.get(RUN_KEY, self.name)
        if found is None:
            return None
        value = str(found[0])
        return Entry(launch.windows_split(value), self.disabled_by_user(), self.location)

    def disabled_by_user(self) -> bool:
        found = self.registry.get(APPROVED_KEY, self.name)
        if found is None:
            return False
        data = found[0]
        return isinstance(data, bytes | bytearray) and len(data) > 0 and bool(data[0] & 1)

    def run_value(self, command: Sequence[str]) -> str:
        value = launch.windows_quote(command)
        if len(value) > WINDOWS_MAX_COMMAND:
            value = launch.windows_quote([self.shorten(command[0]), *command[1:]])
        if len(value) > WINDOWS_MAX_COMMAND:
            raise PlatformError(f"the start-at-login command is {len(value)} characters long; Windows needs it "
                                f"under 260: install trayapp in a shorter folder ({command[0]})")
        return value

    def write(self, command: Sequence[str], *, keep_disabled: Entry | None = None) -> None:
        self.registry.set(RUN_KEY, self.name, self.run_value(command), REG_SZ)
        if keep_disabled is None:
            self.registry.delete(APPROVED_KEY, self.name)  # enable(): the user asked for it, undo "Disabled"

    def remove(self) -> None:
        self.registry.delete(RUN_KEY, self.name)
        self.registry.delete(APPROVED_KEY, self.name)


# ---------------------------------------------------------------- shared

def _write_file(path: Path, data: bytes, mode: int) -> None:
    """Atomically replace `path` with a real file (a symlink there is replaced, not followed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def backend_for(platform: str = sys.platform) -> Backend | None:
    if platform == "win32":
        return RunKeyAutostart()
    if platform == "darwin":
        return LaunchAgentAutostart()
    if platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return XdgAutostart()
    return None


def default() -> Autostart:
    return Autostart(backend_for())


def status() -> AutostartStatus:
    return default().status()


def is_enabled() -> bool | None:
    return default().is_enabled()


def enable() -> AutostartStatus:
    return default().enable()


def disable() -> AutostartStatus:
    return default().disable()


def revalidate() -> bool:
    return default().revalidate()
