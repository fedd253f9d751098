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

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from trayapp.ui.state import IconState

_CHECKOUT = Path(__file__).resolve().parents[2] / "resources"
ICON_SIZES = (*range(16, 65), 72, 80, 96, 128, 256)  # 16-64 px exactly; larger ones for HiDPI


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


def glyph_size(size: int) -> int:
    """The size the 16 px-grid drawing is rendered at inside a `size` px icon: a multiple of 16 (every
    line on whole pixels) when that leaves a margin of at most 30% - so a 22 px tray slot gets a crisp
    16 px glyph rather than a blurred 1.375x one; otherwise the full size (smoothly scaled)."""
    snapped = size - size % 16
    return snapped if snapped and size - snapped <= 0.3 * size else size


@cache
def status_icon(state: IconState) -> QIcon:
    """The icon for a state, pre-rendered at every size a tray or window may ask for (QIcon picks the
    exact size, or scales the next larger one down). Needs a QGuiApplication."""
    path = icon_path(state)
    renderer = QSvgRenderer(str(path))
    if not renderer.isValid():
        raise RuntimeError(f"cannot read the icon {path}")
    icon = QIcon()
    for size in ICON_SIZES:
        glyph = glyph_size(size)
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        offset = (size - glyph) // 2
        renderer.render(painter, QRectF(offset, offset, glyph, glyph))
        painter.end()
        icon.addPixmap(pixmap)
    return icon


@cache
def app_icon() -> QIcon:
    """The application icon (windows, dialogs): resources/trayapp.svg in a checkout, else the
    "running" status icon."""
    path = _CHECKOUT / "trayapp.svg"
    return QIcon(str(path)) if path.is_file() else status_icon(IconState.RUNNING)
