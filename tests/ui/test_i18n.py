"""Translations: the language choice, the shipped Polish translation (complete, compiled, current with
the code) and that installing it changes what the user reads."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, Qt, QTranslator
from PySide6.QtWidgets import QDialogButtonBox

from trayapp import __version__
from trayapp.paths import app_paths
from trayapp.scheduler import SchedulerService
from trayapp.ui import i18n
from trayapp.ui.i18n import choose_language, install_translators, remove_translators, translations_dir

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "resources" / "translations"
UI_SOURCES = sorted((ROOT / "trayapp" / "ui").rglob("*.py"))
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|%\.1f|\{password\}")
UPDATE_HINT = ("update the translations: see resources/translations/README.md "
               "(pyside6-lupdate, translate, pyside6-lrelease)")


@pytest.fixture
def polish(qapp) -> Iterator[str]:
    previous = QLocale()
    try:
        yield install_translators(qapp, "pl")
    finally:
        remove_translators(qapp)
        QLocale.setDefault(previous)


def messages(ts: Path) -> list[tuple[str, ET.Element]]:
    root = ET.parse(ts).getroot()
    return [(context.findtext("name") or "", message) for context in root.iter("context")
            for message in context.iter("message")]


def test_the_language_is_the_first_wanted_one_trayapp_speaks(monkeypatch: pytest.MonkeyPatch) -> None:
    assert i18n.available_languages() == ["pl"]
    assert choose_language(["pl-PL", "en-US"]) == "pl"
    assert choose_language(["pl_PL.UTF-8"]) == "pl"
    assert choose_language(["en-US", "pl-PL"]) == "en"  # English first: never the second language
    assert choose_language(["de-DE", "pl"]) == "pl"
    assert choose_language(["de-DE", "fr-FR"]) == "en"
    assert choose_language(["C"]) == "en"
    monkeypatch.setenv("TRAYAPP_LANG", "pl")
    assert choose_language() == "pl"
    monkeypatch.setenv("TRAYAPP_LANG", "en")
    assert choose_language() == "en"
    monkeypatch.delenv("TRAYAPP_LANG")
    wanted = QLocale.system().uiLanguages()
    assert choose_language() == choose_language(wanted)


def test_the_translations_are_found_in_the_checkout_and_the_package() -> None:
    assert translations_dir().resolve() == TRANSLATIONS.resolve()
    assert (ROOT / "trayapp" / "ui" / "translations" / "trayapp_pl.qm").is_file()  # the package's symlink


def test_the_polish_translation_is_complete() -> None:
    found = messages(TRANSLATIONS / "trayapp_pl.ts")
    assert len(found) > 300
    problems = []
    for context, message in found:
        source = message.findtext("source") or ""
        translation = message.find("translation")
        assert translation is not None
        if translation.get("type"):  # unfinished, vanished, obsolete
            problems.append(f"{context}: {source!r} is {translation.get('type')}")
            continue
        forms = [f.text or "" for f in translation.iter("numerusform")] if message.get("numerus") == "yes" \
            else [translation.text or ""]
        if message.get("numerus") == "yes" and len(forms) != 3:  # Polish: 1, 2-4, 5+
            problems.append(f"{context}: {source!r} has {len(forms)} plural forms, not 3")
        for form in forms:
            if not form.strip():
                problems.append(f"{context}: {source!r} has an empty translation")
            elif sorted(PLACEHOLDER.findall(form)) != sorted(PLACEHOLDER.findall(source)):
                problems.append(f"{context}: {source!r} -> {form!r} changes the placeholders")
            elif message.get("numerus") == "yes" and "%n" in source and "%n" not in form:
                problems.append(f"{context}: {source!r} -> {form!r} lost %n")
    assert not problems, "\n".join(problems)


@pytest.mark.skipif(shutil.which("pyside6-lupdate") is None, reason="pyside6-lupdate is not installed")
@pytest.mark.parametrize("language", ["pl", "en"])
def test_the_translation_sources_are_current_with_the_code(tmp_path: Path, language: str) -> None:
    """Every translatable string of trayapp/ui is in the .ts (and nothing that is gone)."""
    shipped = TRANSLATIONS / f"trayapp_{language}.ts"
    fresh = tmp_path / shipped.name
    shutil.copy(shipped, fresh)
    options = ["-pluralonly"] if language == "en" else []
    subprocess.run(["pyside6-lupdate", *map(str, UI_SOURCES), "-ts", str(fresh), "-locations", "none",
                    "-no-obsolete", "-silent", *options], check=True, capture_output=True, timeout=120)

    def keys(path: Path) -> set[tuple[str, str]]:
        return {(c, m.findtext("source") or "") for c, m in messages(path)}

    new, gone = keys(fresh) - keys(shipped), keys(shipped) - keys(fresh)
    # pyside6-lupdate 6.11 misses QCoreApplication.translate(context, text, "", obj.attr) (6.12 finds it):
    # a string still written in the code is not gone
    code = "\n".join(path.read_text(encoding="utf-8") for path in UI_SOURCES)
    gone = {(context, text) for context, text in gone if f'"{context}", "{text}"' not in code}
    assert not new and not gone, f"{UPDATE_HINT}\nnew: {sorted(new)}\ngone: {sorted(gone)}"
    # a count the extractor does not see as one (QCoreApplication.translate(ctx, "%n ...", "", variable)
    # in 6.11) would lose its plural forms at the next update: use self.tr("%n ...", "", variable)
    singular = sorted((c, m.findtext("source")) for c, m in messages(fresh)
                      if "%n" in (m.findtext("source") or "") and m.get("numerus") != "yes")
    assert not singular, f"extracted without plural forms: {singular}"
    if language != "en":  # whatever an extractor misses: each one-literal translate() call is in the .ts
        literal = set(re.findall(r'translate\(\s*"([^"]+)",\s*"((?:[^"\\]|\\.)*)"\s*[,)]', code))
        missing = {(c, t) for c, t in literal if "\\" not in t} - keys(shipped)
        assert not missing, f"{UPDATE_HINT}\nmissing: {sorted(missing)}"


@pytest.mark.skipif(shutil.which("pyside6-lrelease") is None, reason="pyside6-lrelease is not installed")
@pytest.mark.parametrize("language", ["pl", "en"])
def test_the_compiled_translations_match_their_sources(tmp_path: Path, language: str) -> None:
    compiled = tmp_path / f"trayapp_{language}.qm"
    subprocess.run(["pyside6-lrelease", "-silent", str(TRANSLATIONS / f"trayapp_{language}.ts"), "-qm",
                    str(compiled)], check=True, capture_output=True, timeout=120)
    assert compiled.read_bytes() == (TRANSLATIONS / f"trayapp_{language}.qm").read_bytes(), UPDATE_HINT


def test_the_qm_loads_and_translates(qapp) -> None:
    translator = QTranslator()
    assert translator.load(str(TRANSLATIONS / "trayapp_pl.qm"))
    assert translator.translate("TrayController", "Quit") == "Zakończ"
    assert translator.translate("Operations", "Update stock") == "Aktualizacja stanów magazynowych"
    # Polish plurals: 1 / 2-4 / 5+ (and 22-24 again the second form)
    shown = [translator.translate("HistoryWindow", "%n run(s) shown", "", n).replace("%n", str(n))
             for n in (1, 3, 5, 22, 25)]
    assert shown == ["Widoczny 1 przebieg", "Widoczne 3 przebiegi", "Widocznych 5 przebiegów",
                     "Widoczne 22 przebiegi", "Widocznych 25 przebiegów"]


def test_counts_have_polish_plural_forms(polish: str) -> None:
    from trayapp.ui.texts import counts

    run = SimpleNamespace(created=5, updated=2, failed=1)
    assert counts(run) == "utworzono 5, zaktualizowano 2, błędy: 1"
    assert counts(SimpleNamespace(created=0, updated=0, failed=0)) == "bez zmian"


def test_english_gets_real_plural_forms(qapp) -> None:
    try:
        assert install_translators(qapp, "en") == "en"
        one = QCoreApplication.translate("HistoryWindow", "%n run(s) shown", "", 1)
        many = QCoreApplication.translate("HistoryWindow", "%n run(s) shown", "", 4)
        assert (one, many) == ("1 run shown", "4 runs shown")
    finally:
        remove_translators(qapp)


def test_the_polish_translator_changes_menu_and_window_texts(
        qtbot, polish: str, make_controller, ui_service: SchedulerService, rig) -> None:
    assert polish == "pl"
    controller = make_controller(ui_service)
    controller.menu.aboutToShow.emit()
    texts = [a.text() for a in controller.menu.actions() if not a.isSeparator()]
    assert texts == ["Automatyczna synchronizacja włączona", "Wyłącz automatyczną synchronizację",
                     "Synchronizuj teraz", "Synchronizacja ręczna…", "Ustawienia…", "Historia zdarzeń…",
                     "Otwórz folder logów", "Uruchamiaj przy logowaniu", "Usługa w tle", "O programie trayapp",
                     "Zakończ"]
    assert controller.login_action.toolTip().startswith(("Uruchamiaj trayapp", "trayapp uruchamia się"))
    sub = controller.sync_menu.actions()[0].menu()
    sub.aboutToShow.emit()
    assert [a.text() for a in sub.actions() if not a.isSeparator()] == [
        "Wszystkie", "Import zamówień", "Aktualizacja statusów zamówień", "Eksport produktów",
        "Import produktów", "Aktualizacja stanów magazynowych"]

    dialog = controller.show_manual_sync()
    assert dialog.windowTitle() == "Synchronizacja ręczna – trayapp"
    assert dialog.preview_button.text() == "&Podgląd" and dialog.scope_all.text() == "Wszystkie rekordy"
    history = controller.show_history()
    assert history.windowTitle() == "Historia zdarzeń – trayapp"
    assert history.model.headerData(4, Qt.Orientation.Horizontal) == "Wynik"
    # Qt's own words too (standard buttons), and Polish number formats
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "Anuluj"


def test_the_app_starts_in_the_language_asked_for(home: Path) -> None:
    """`trayapp` (the tray app) with TRAYAPP_LANG=pl installs the Polish translation."""
    log_file = app_paths().log_dir / "trayapp.log"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", TRAYAPP_LANG="pl")
    app = subprocess.Popen([sys.executable, "-m", "trayapp"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
    try:
        text, start = "", time.monotonic()
        while time.monotonic() - start < 30:
            text = log_file.read_text(encoding="utf-8") if log_file.exists() else ""
            if f"tray app {__version__} started" in text:
                break
            time.sleep(0.1)
        assert "user interface language: pl" in text
        app.send_signal(signal.SIGTERM)
        assert app.wait(timeout=30) == 0
    finally:
        if app.poll() is None:
            app.kill()
        app.communicate()
