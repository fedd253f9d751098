"""Renders the application icon (resources/trayapp.svg) for the packages, into packaging/build/:
icons/hicolor/<N>x<N>/apps/com.trayapp.trayapp.png (Linux), trayapp.ico (Windows: the executables
and the installer), trayapp.icns (macOS). Qt does the rendering (offscreen; no display needed).

    python3 packaging/make_icons.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QImageWriter, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "resources" / "trayapp.svg"
OUT = ROOT / "packaging" / "build"
APP_ID = "com.trayapp.trayapp"
HICOLOR_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


def render(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return image


def save(image: QImage, path: Path, fmt: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = QImageWriter(str(path), fmt.encode())
    if not writer.write(image):
        raise SystemExit(f"could not write {path}: {writer.errorString()}")


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 - Qt needs one
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        raise SystemExit(f"{SOURCE}: not a valid SVG")
    for size in HICOLOR_SIZES:
        save(render(renderer, size), OUT / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png", "png")
    scalable = OUT / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    scalable.write_bytes(SOURCE.read_bytes())
    formats = {bytes(f).decode() for f in QImageWriter.supportedImageFormats()}
    for name, fmt in (("trayapp.ico", "ico"), ("trayapp.icns", "icns")):
        if fmt in formats:
            save(render(renderer, 256), OUT / name, fmt)
        else:
            print(f"Qt cannot write {fmt} here: {name} not made", file=sys.stderr)
    print(f"icons in {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
