"""Status icons: the SVG sources, how they render, and the pure state -> icon function."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import pytest
from PySide6.QtGui import QColor, QImage

from trayapp.operations.base import RunResult
from trayapp.ui.icons import glyph_size, icon_dir, icon_path, status_icon
from trayapp.ui.state import Health, IconState, TrayStatus, icon_state

# The dominant hue each state must show (degrees) - red square, green arrow, blue sync, amber warning.
HUES = {IconState.STOPPED: 2, IconState.RUNNING: 137, IconState.SYNCING: 215, IconState.WARNING: 42}


def test_every_state_has_a_16px_grid_svg() -> None:
    assert {p.stem for p in icon_dir().glob("*.svg")} >= {s.value for s in IconState}
    for state in IconState:
        root = ET.parse(icon_path(state)).getroot()
        assert root.get("viewBox") == "0 0 16 16", state


def _pixels(image: QImage) -> list[QColor]:
    return [image.pixelColor(x, y) for y in range(image.height()) for x in range(image.width())]


@pytest.mark.parametrize("size", [16, 22, 24, 32, 48, 64])
@pytest.mark.parametrize("state", list(IconState))
def test_icons_render_coloured_with_a_dark_outline(qapp, state: IconState, size: int) -> None:
    icon = status_icon(state)
    assert not icon.isMask()  # a template/mask icon would be drawn monochrome
    image = icon.pixmap(size, size).toImage().convertToFormat(QImage.Format.Format_ARGB32)
    assert image.width() == size
    glyph = glyph_size(size)  # the drawing's own square inside the icon
    opaque = [c for c in _pixels(image) if c.alpha() >= 200]
    assert len(opaque) > glyph * glyph * 0.4, "the drawing should fill a good part of its square"
    # a dark outline (legible on light panels) ...
    dark = [c for c in _pixels(image) if c.alpha() >= 128 and c.lightnessF() < 0.25]
    assert len(dark) >= glyph // 2, "no dark outline"
    # ... around a bright, saturated body of the state's colour (legible on dark panels)
    body = [c for c in opaque if c.hsvSaturationF() > 0.6 and c.valueF() > 0.6]
    assert len(body) > glyph * glyph * 0.18
    hues = sorted(c.hsvHue() for c in body)
    median = hues[len(hues) // 2]
    assert min(abs(median - HUES[state]), 360 - abs(median - HUES[state])) < 20, (state, median)


@pytest.mark.parametrize("size", [16, 20, 22, 32, 40, 44, 48, 64])
def test_the_16px_grid_stays_on_whole_pixels(qapp, size: int) -> None:
    """At sizes near a multiple of 16 (a 22 px tray slot) the square's edges are not blurred."""
    assert glyph_size(size) % 16 == 0
    image = status_icon(IconState.STOPPED).pixmap(size, size).toImage()
    soft = [c for c in _pixels(image) if 0 < c.alpha() < 255]
    assert len(soft) <= 0.05 * size * size  # only the rounded corners


def test_icon_states_are_distinct(qapp) -> None:
    images = {state: status_icon(state).pixmap(16, 16).toImage() for state in IconState}
    assert len({bytes(img.constBits()) for img in images.values()}) == len(IconState)


RUNNING = frozenset({("shop", "import-orders")})
FAILING = frozenset({("shop", "update-stock")})


@pytest.mark.parametrize(("status", "expected"), [
    (TrayStatus(scheduled=4), IconState.RUNNING),
    (TrayStatus(scheduled=0), IconState.STOPPED),  # nothing active
    (TrayStatus(scheduled=4, paused=True), IconState.STOPPED),
    (TrayStatus(scheduled=4, running=RUNNING), IconState.SYNCING),
    (TrayStatus(scheduled=4, paused=True, running=RUNNING), IconState.SYNCING),  # a manual run while paused
    (TrayStatus(scheduled=4, running=RUNNING, failing=FAILING), IconState.SYNCING),
    (TrayStatus(scheduled=4, failing=FAILING), IconState.WARNING),
    (TrayStatus(scheduled=4, config_error="bad key"), IconState.WARNING),
    (TrayStatus(scheduled=4, paused=True, failing=FAILING), IconState.STOPPED),
    (TrayStatus(scheduled=4, stopping=True), IconState.STOPPED),
    (TrayStatus(scheduled=4, stopping=True, running=RUNNING), IconState.SYNCING),
])
def test_icon_state(status: TrayStatus, expected: IconState) -> None:
    assert icon_state(status) == expected


def _result(status: str, operation: str = "update-stock", dry_run: bool = False) -> RunResult:
    return RunResult("shop", operation, "scheduled", "", dry_run, datetime.now(UTC), status=status)


def test_health_reports_only_the_start_of_a_failure_and_the_recovery() -> None:
    health = Health()
    assert health.apply(_result("ok")) is None
    change = health.apply(_result("failed"))
    assert change is not None and change.failing and change.key == ("shop", "update-stock")
    assert health.apply(_result("partial")) is None  # still failing: no second notification
    assert health.apply(_result("cancelled")) is None  # says nothing about health
    assert health.failing() == {("shop", "update-stock")}
    assert health.apply(_result("failed", dry_run=True)) is None
    change = health.apply(_result("ok"))
    assert change is not None and not change.failing
    assert health.apply(_result("ok")) is None
    assert health.failing() == frozenset()


def test_health_counts_only_configured_integrations() -> None:
    health = Health({("gone", "import-orders"): "failed", ("shop", "update-stock"): "partial"})
    assert health.failing(["shop"]) == {("shop", "update-stock")}
