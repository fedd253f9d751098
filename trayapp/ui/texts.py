"""User-visible words shared by the tray menu, its tooltip and the status window.

Every string goes through QCoreApplication.translate (or, for plural forms, a QObject's tr()) with
a literal context and text, so `pyside6-lupdate` can extract them.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache

from PySide6.QtCore import QCoreApplication, QObject

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


class Counts(QObject):
    """The words for a run's counts, as a QObject so they go through self.tr() (context "Counts").

    pyside6-lupdate 6.11 extracts `QCoreApplication.translate(ctx, "%n ...", "", count)` without
    its plural forms when the count is a variable (and not at all when it is an attribute such as
    `run.created`); `self.tr("%n ...", "", count)` it extracts as a plural message whatever the
    count is. The counts are still passed as plain variables."""

    def words(self, created: int, updated: int, failed: int) -> str:
        parts = []
        if created:
            parts.append(self.tr("%n created", "", created))
        if updated:
            parts.append(self.tr("%n updated", "", updated))
        if failed:
            parts.append(self.tr("%n failed", "", failed))
        return ", ".join(parts) or self.tr("no changes")


@cache
def _counts() -> Counts:
    return Counts()


def counts(run: RunRecord | RunResult) -> str:
    """"3 created, 97 updated, 1 failed" - only the non-zero counts; "no changes" when all are zero."""
    return _counts().words(run.created, run.updated, run.failed)


def shorten(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
