"""The status icons (SVG, drawn on a 16 px grid, see resources/icons/) as QIcons.

The SVG sources live in `resources/icons/`; `trayapp/ui/status_icons` is a symlink to them so an
installed package can carry them as package data (`"trayapp.ui" = ["status_icons/*.svg"]`). Where
the symlink is missing (a checkout without symlink support) the checkout's folder is used.
They are coloured on purpose: never mark them as template/mask images (that makes them monochrome).
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from PySide6.QtGui import QIcon

from trayapp.ui.state import IconState

_CHECKOUT = Path(__file__).resolve().parents[2] / "resources"


def icon_dir() -> Path:
    """The folder holding the status icon SVGs (installed package first, then the source checkout)."""
    packaged = Path(str(resources.files("trayapp.ui") / "status_icons"))
    if (packaged / "running.svg").is_file():
        return packaged
    source = _CHECKOUT / "icons"
    if (source / "running.svg").is_file():
        return source
    raise FileNotFoundError(f"trayapp's status icons are missing (looked in {packaged} and {source}); "
                            "reinstall trayapp")


def icon_path(state: IconState) -> Path:
    return icon_dir() / f"{state.value}.svg"


@cache
def status_icon(state: IconState) -> QIcon:
    """The icon for a state. Needs a QGuiApplication; QIcon renders the SVG at each requested size."""
    icon = QIcon(str(icon_path(state)))
    if icon.isNull():
        raise RuntimeError(f"cannot load {icon_path(state)} (is Qt's SVG icon engine missing?)")
    return icon


@cache
def app_icon() -> QIcon:
    """The application icon (windows, dialogs): resources/trayapp.svg in a checkout, else the
    "running" status icon."""
    path = _CHECKOUT / "trayapp.svg"
    return QIcon(str(path)) if path.is_file() else status_icon(IconState.RUNNING)
