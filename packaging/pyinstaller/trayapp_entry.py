"""The frozen executables' entry point (PyInstaller): `trayapp` = `python -m trayapp`."""

import os
import sys

# The windowless Windows executable (trayapp.exe) has no console: print() and argparse then write
# nowhere instead of failing. (trayapp-cli.exe is the console one.)
if sys.stdout is None:
    sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
if sys.stderr is None:
    sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115

from trayapp.cli import main

raise SystemExit(main())
