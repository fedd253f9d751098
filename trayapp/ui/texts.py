"""User-visible words shared by the tray menu, its tooltip and the status window.

Every string goes through QCoreApplication.translate with a literal context and text, so
`pyside6-lupdate` can extract them.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication

from trayapp.journal import RunRecord
from trayapp.operations.base import RunResult


def operation_label(operation: str) -> str:
    labels = {
        "import-orders": QCoreApplication.translate("Operations", "Import orders"),
        "update-order-statuses": QCoreApplication.translate("Operations", "Update order statuses"),
        "export-products": QCoreApplication.translate("Operations", "Export products"),
        "import-products": QCoreApplication.translate("Operations", "Import products"),
        "update-stock": QCoreApplication.translate("Operations", "Update stock"),
    }
    return labels.get(operation, operation)


def status_label(status: str) -> str:
    labels = {
        "ok": QCoreApplication.translate("RunStatus", "OK"),
        "partial": QCoreApplication.translate("RunStatus", "some records failed"),
        "failed": QCoreApplication.translate("RunStatus", "failed"),
        "cancelled": QCoreApplication.translate("RunStatus", "cancelled"),
        "interrupted": QCoreApplication.translate("RunStatus", "interrupted"),
        "running": QCoreApplication.translate("RunStatus", "running"),
        "busy": QCoreApplication.translate("RunStatus", "skipped (another run in progress)"),
    }
    return labels.get(status, status)


def clock(moment: datetime | None, now: datetime | None = None) -> str:
    """Local time: 14:05:09 today, else 2026-11-20 14:05."""
    if moment is None:
        return "-"
    local = moment.astimezone()
    today = (now or datetime.now().astimezone()).astimezone().date()
    return local.strftime("%H:%M:%S") if local.date() == today else local.strftime("%Y-%m-%d %H:%M")


def counts(run: RunRecord | RunResult) -> str:
    """"3 created, 97 updated, 1 failed" - only the non-zero counts; "no changes" when all are zero."""
    parts = []
    if run.created:
        parts.append(QCoreApplication.translate("Counts", "%n created", "", run.created))
    if run.updated:
        parts.append(QCoreApplication.translate("Counts", "%n updated", "", run.updated))
    if run.failed:
        parts.append(QCoreApplication.translate("Counts", "%n failed", "", run.failed))
    return ", ".join(parts) or QCoreApplication.translate("Counts", "no changes")


def shorten(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
