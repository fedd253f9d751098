"""How this installation of trayapp is started from outside: by the login session (the tray app,
minimised to the tray) or by the service manager (the headless scheduler).

- Frozen (PyInstaller) builds start their own executable. On Windows the bundle has a windowless
  `trayapp.exe` (GUI subsystem: no console window ever flashes) and a console `trayapp-cli.exe` for
  admins; entries always name `trayapp.exe`, whichever of the two wrote them.
- From a Python installation: `<python> -m trayapp`, where on Windows <python> is `pythonw.exe`
  (never the console `python.exe`) next to the running interpreter.
- When `TRAYAPP_HOME` is set, the command carries `--home <dir>`, so the entry uses the same
  configuration, data and logs as the process that wrote it (the Windows Run key and Task Scheduler
  cannot set environment variables).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath

from trayapp.platform import PlatformError

AUTOSTART_FLAG = "--autostart"
HEADLESS_ARGS = ("run", "--headless")
WINDOWS_GUI_EXE = "trayapp.exe"
WINDOWS_CLI_EXE = "trayapp-cli.exe"


@dataclass(frozen=True, slots=True)
class Launcher:
    """The program that starts trayapp and the arguments that come before trayapp's own."""

    program: str
    prefix: tuple[str, ...] = ()
    home: str | None = None  # --home <dir> (from TRAYAPP_HOME)

    def command(self, *args: str) -> list[str]:
        home = ("--home", self.home) if self.home else ()
        return [self.program, *self.prefix, *home, *args]

    def autostart_command(self) -> list[str]:
        return self.command(AUTOSTART_FLAG)

    def headless_command(self) -> list[str]:
        return self.command(*HEADLESS_ARGS)


def current(*, platform: str = sys.platform, executable: str | None = None, frozen: bool | None = None,
            environ: dict[str, str] | None = None, exists: Callable[[str], bool] = os.path.exists) -> Launcher:
    """The launcher of the running installation (every argument overridable for tests)."""
    executable = executable if executable is not None else sys.executable
    frozen = bool(getattr(sys, "frozen", False)) if frozen is None else frozen
    env = os.environ if environ is None else environ
    home = env.get("TRAYAPP_HOME") or None
    if home:
        home = str(Path(home).expanduser().resolve()) if platform == sys.platform else home
    if not executable:
        raise PlatformError("cannot tell which program runs trayapp (sys.executable is empty)")
    if platform == "win32":
        exe = PureWindowsPath(executable)
        if frozen:
            gui = exe.with_name(WINDOWS_GUI_EXE) if exe.name.lower() == WINDOWS_CLI_EXE else exe
            return Launcher(str(gui), (), home)
        name = exe.name.lower()
        if name.startswith("pythonw"):
            windowless = exe
        elif name.startswith("python"):
            windowless = exe.with_name("pythonw.exe")
        else:
            raise PlatformError(f"{exe} is not a Python interpreter trayapp knows how to start windowless")
        if not exists(str(windowless)):
            raise PlatformError(f"{windowless} does not exist: start at login needs the windowless interpreter "
                                "(pythonw.exe) next to python.exe, or an installed trayapp.exe")
        return Launcher(str(windowless), ("-m", "trayapp"), home)
    program = str(Path(executable).absolute()) if platform == sys.platform else executable
    if frozen:
        return Launcher(program, (), home)
    return Launcher(program, ("-m", "trayapp"), home)


def home_of(args: Sequence[str]) -> str | None:
    """The --home <dir> of a trayapp command line (None when absent)."""
    items = list(args)
    for i, arg in enumerate(items):
        if arg == "--home" and i + 1 < len(items):
            return items[i + 1]
        if arg.startswith("--home="):
            return arg.split("=", 1)[1]
    return None


# ---------------------------------------------------------------- Windows command lines

def windows_quote(args: Sequence[str]) -> str:
    """A Windows command line (CommandLineToArgvW rules) with the program always quoted (field notes:
    the Run value holds the *quoted* executable)."""
    program = args[0]
    if '"' in program:
        raise PlatformError(f"a program path cannot contain a double quote: {program}")
    rest = windows_args(args[1:])
    return f'"{program}"' + (f" {rest}" if rest else "")


def windows_args(args: Sequence[str]) -> str:
    """Arguments for a Windows command line: those with a space, tab or quote quoted, with
    backslashes doubled only before a quote (CommandLineToArgvW rules)."""
    parts = []
    for arg in args:
        if arg and not any(c in arg for c in ' \t"'):
            parts.append(arg)
            continue
        out, backslashes = ['"'], 0
        for c in arg:
            if c == "\\":
                backslashes += 1
                continue
            if c == '"':
                out.append("\\" * (backslashes * 2 + 1) + '"')
            else:
                out.append("\\" * backslashes + c)
            backslashes = 0
        out.append("\\" * (backslashes * 2) + '"')
        parts.append("".join(out))
    return " ".join(parts)


def windows_split(line: str) -> list[str]:
    """The inverse of windows_quote (CommandLineToArgvW: program name up to its closing quote)."""
    args: list[str] = []
    i, n = 0, len(line)
    while i < n and line[i] in " \t":
        i += 1
    if i < n and line[i] == '"':  # program: everything up to the next quote, no escapes
        end = line.find('"', i + 1)
        end = n if end < 0 else end
        args.append(line[i + 1:end])
        i = end + 1
    else:
        start = i
        while i < n and line[i] not in " \t":
            i += 1
        args.append(line[start:i])
    while True:
        while i < n and line[i] in " \t":
            i += 1
        if i >= n:
            return args
        current_arg: list[str] = []
        quoted = False
        while i < n and (quoted or line[i] not in " \t"):
            if line[i] == "\\":
                j = i
                while j < n and line[j] == "\\":
                    j += 1
                count = j - i
                if j < n and line[j] == '"':
                    current_arg.append("\\" * (count // 2))
                    if count % 2:
                        current_arg.append('"')
                        i = j + 1
                    else:
                        i = j
                else:
                    current_arg.append("\\" * count)
                    i = j
            elif line[i] == '"':
                if quoted and i + 1 < n and line[i + 1] == '"':
                    current_arg.append('"')
                    i += 2
                else:
                    quoted = not quoted
                    i += 1
            else:
                current_arg.append(line[i])
                i += 1
        args.append("".join(current_arg))
