"""Translations: the UI's language from the system locale (or TRAYAPP_LANG), and its QTranslators.

Sources: `resources/translations/trayapp_<lang>.ts`, compiled to `.qm` (both in git; see
resources/translations/README.md for the update commands). `trayapp/ui/translations` is a symlink
to that folder so an installed package carries the .qm files as package data
(`"trayapp.ui" = [..., "translations/*.qm"]`); a checkout without the symlink uses the folder itself.

The language is the first of the user's UI languages (QLocale.system().uiLanguages()) that trayapp
has: English is the source language, so an English-first user never gets a translation of their
second language. TRAYAPP_LANG=pl (or pl_PL, en, ...) overrides the system and also sets the default
QLocale (number formats, CSV delimiter). Qt's own strings (standard buttons, file dialogs) are
translated too (qtbase_<lang>.qm from Qt) - only when trayapp itself is, so a window never mixes
two languages.
"""

from __future__ import annotations

import logging
import os
from importlib import resources
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

log = logging.getLogger(__name__)

SOURCE_LANGUAGE = "en"
ENV = "TRAYAPP_LANG"
_CHECKOUT = Path(__file__).resolve().parents[2] / "resources" / "translations"
_installed: list[QTranslator] = []  # kept referenced: a collected QTranslator stops translating


def translations_dir() -> Path:
    """The folder with trayapp_<lang>.qm (installed package first, then the source checkout)."""
    packaged = Path(str(resources.files("trayapp.ui") / "translations"))
    if any(packaged.glob("trayapp_*.qm")):
        return packaged
    return _CHECKOUT


def available_languages() -> list[str]:
    """Languages trayapp has a translation for, besides its English source: ["pl", ...]."""
    found = {p.stem.removeprefix("trayapp_") for p in translations_dir().glob("trayapp_*.qm")}
    return sorted(found - {SOURCE_LANGUAGE})


def choose_language(preferred: list[str] | None = None) -> str:
    """The first of `preferred` (BCP 47 / POSIX names, most wanted first; default: TRAYAPP_LANG or the
    system's UI languages) that trayapp speaks; English when none is."""
    if preferred is None:
        override = os.environ.get(ENV, "").strip()
        preferred = [override] if override else QLocale.system().uiLanguages()
    available = available_languages()
    for name in preferred:
        full = name.replace("-", "_").split(".")[0]  # pl-PL, pl_PL.UTF-8 -> pl_PL
        for candidate in (full, full.split("_")[0]):
            if candidate.lower() in (SOURCE_LANGUAGE, "c", "posix"):
                return SOURCE_LANGUAGE
            if candidate in available:
                return candidate
    return SOURCE_LANGUAGE


def install_translators(app: QCoreApplication | None = None, language: str | None = None) -> str:
    """Install the translators for `language` (default: choose_language()) into the application,
    replacing any installed before; returns the language used ("en" = the source, no translator)."""
    app = app or QCoreApplication.instance()
    if app is None:
        raise RuntimeError("install_translators needs a QCoreApplication")
    remove_translators(app)
    language = language or choose_language()
    override = os.environ.get(ENV, "").strip()
    if override:
        QLocale.setDefault(QLocale(override.replace("-", "_").split(".")[0]))
    if language == SOURCE_LANGUAGE:
        _load(app, translations_dir(), f"trayapp_{SOURCE_LANGUAGE}", required=False)  # English plural forms
        return SOURCE_LANGUAGE
    if not _load(app, translations_dir(), f"trayapp_{language}", required=True):
        return SOURCE_LANGUAGE
    _load(app, Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)), f"qtbase_{language}",
          required=False)
    log.info("user interface language: %s", language)
    return language


def remove_translators(app: QCoreApplication | None = None) -> None:
    app = app or QCoreApplication.instance()
    while _installed:
        translator = _installed.pop()
        if app is not None:
            app.removeTranslator(translator)


def _load(app: QCoreApplication, folder: Path, name: str, *, required: bool) -> bool:
    translator = QTranslator(app)
    path = folder / f"{name}.qm"
    if not path.is_file() or not translator.load(str(path)):
        if required:
            log.warning("the translation %s could not be loaded; the user interface stays in English", path)
        return False
    app.installTranslator(translator)
    _installed.append(translator)
    return True
