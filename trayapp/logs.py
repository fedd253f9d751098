"""Logging: rotating files in the log dir, secrets masked on every handler."""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path

from trayapp.secrets import redactor

LOG_FORMAT = "%(asctime)s %(levelname)-7s %(threadName)s %(name)s: %(message)s"
_configured: set[str] = set()


def setup_logging(log_dir: Path, *, level: str = "INFO", console_level: str | None = None) -> Path:
    """Log to <log_dir>/trayapp.log (1 MB x 5 files) and optionally to stderr. Idempotent."""
    log_dir.mkdir(parents=True, exist_ok=True)
    log_file = log_dir / "trayapp.log"
    root = logging.getLogger()
    root.setLevel(logging.DEBUG)
    if str(log_file) not in _configured:
        for handler in list(root.handlers):
            if getattr(handler, "_trayapp", False):
                root.removeHandler(handler)
        file_handler = logging.handlers.RotatingFileHandler(log_file, maxBytes=1_000_000, backupCount=5,
                                                            encoding="utf-8")
        file_handler.setLevel(level)
        file_handler.setFormatter(logging.Formatter(LOG_FORMAT))
        file_handler.addFilter(redactor)
        file_handler._trayapp = True  # type: ignore[attr-defined]
        root.addHandler(file_handler)
        _configured.clear()
        _configured.add(str(log_file))
    if console_level:
        console = logging.StreamHandler(sys.stderr)
        console.setLevel(console_level)
        console.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
        console.addFilter(redactor)
        console._trayapp = True  # type: ignore[attr-defined]
        root.addHandler(console)
    for noisy in ("urllib3", "apscheduler.executors.default", "apscheduler.scheduler"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return log_file
