"""The Settings dialog: the integrations (add, duplicate, remove) and, per integration, its tabs;
the application-wide settings (event history, log detail) under the list.

Every edit is validated at once with the core's own parser (see draft.py); a problem highlights its
field, is listed on its tab and blocks Save. Save stores typed credentials in the keyring (worker
thread, via trayapp.ui.credentials), then writes the file atomically (config.save_config) and hands
the new configuration to the running SchedulerService, which reschedules at once.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Sequence

from PySide6.QtCore import QSize, Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent, QIcon
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from trayapp.config import Config, save_config
from trayapp.errors import ConfigError
from trayapp.scheduler import SchedulerService
from trayapp.ui.credentials import Credentials, Ref, SecretField, SecretPlan, SecretState
from trayapp.ui.icons import app_icon
from trayapp.ui.login import StartAtLogin
from trayapp.ui.settings.draft import (
    Draft,
    Problem,
    build_config,
    draft_of,
    duplicate_draft,
    mark_saved,
    new_draft,
    secret_plan,
    settings_dict,
    validate,
    whole,
)
from trayapp.ui.settings.erp_page import ErpPage
from trayapp.ui.settings.pages import (
    GeneralPage,
    NotificationsPage,
    OperationsPage,
    OwnershipPage,
    SchedulePage,
    ScopePage,
    StatusMapPage,
)
from trayapp.ui.settings.shop_page import ShopPage
from trayapp.ui.settings.tasks import Tasks
from trayapp.ui.settings.widgets import ERROR_COLOUR, INVALID_STYLE, OK_COLOUR, Page, html, mark_invalid
from trayapp.ui.texts import shorten

log = logging.getLogger(__name__)

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


class SettingsDialog(QDialog):
    saved = Signal(object)  # the Config now in the file and in the scheduler
    save_failed = Signal(str)  # why nothing was saved
    secrets_checked = Signal()  # the keyring was looked at (tests, screenshots)

    def __init__(self, service: SchedulerService, parent: QWidget | None = None, *,
                 login: StartAtLogin | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.service = service
        self.login = login or StartAtLogin(self)  # the tray's own (one switch), or this dialog's
        self.setWindowTitle(self.tr("trayapp settings"))
        self.setWindowIcon(app_icon())
        self.setStyleSheet(INVALID_STYLE)
        self.tasks = Tasks(self)
        self.credentials = Credentials(self)
        self.drafts: list[Draft] = []
        self.problems: list[Problem] = []
        self.saving = False
        self._secret_states: dict[Ref, SecretState] = {}
        self._keyring_error = ""
        self._snapshot: dict = {}
        self._saved_integrations: tuple = ()
        self._current = -1
        self._discard_confirmed = False
        self.login_message: QMessageBox | None = None  # why start at login could not be switched
        self._build()
        self.load(service.config)

    # ------------------------------------------------------------------ layout

    def _build(self) -> None:
        self.list = QListWidget()
        self.list.setMinimumWidth(160)
        self.list.setIconSize(QSize(16, 16))
        self.add_button = QPushButton(self.tr("Add"))
        self.duplicate_button = QPushButton(self.tr("Duplicate"))
        self.remove_button = QPushButton(self.tr("Remove"))
        list_buttons = QHBoxLayout()
        for button in (self.add_button, self.duplicate_button, self.remove_button):
            list_buttons.addWidget(button)

        self.app_group = QGroupBox(self.tr("All integrations"))
        self.history_box = QCheckBox(self.tr("Keep every run in the event history"))
        self.history_box.setToolTip(self.tr(
            "Off: runs that changed nothing are not kept (only the latest one); runs that changed something "
            "or failed always are."))
        self.log_combo = QComboBox()
        for level, text in zip(LOG_LEVELS, (self.tr("Debug (everything)"), self.tr("Normal"),
                                            self.tr("Warnings and errors"), self.tr("Errors only")), strict=True):
            self.log_combo.addItem(text, level)
        app_row = QHBoxLayout()
        app_row.addWidget(self.history_box)
        app_row.addSpacing(24)
        app_row.addWidget(QLabel(self.tr("Log detail:")))
        app_row.addWidget(self.log_combo)
        app_row.addStretch(1)
        # start at login is the system's, not the file's: it applies at once, without Save (a row of
        # its own: "switched off in the system's startup settings" makes it long)
        self.login_box = QCheckBox()
        app_layout = QVBoxLayout(self.app_group)
        app_layout.addLayout(app_row)
        app_layout.addWidget(self.login_box)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel(self.tr("<b>Integrations</b>")))
        left_layout.addWidget(self.list, 1)
        left_layout.addLayout(list_buttons)

        self.erp_page = ErpPage(self.tasks)
        self.shop_page = ShopPage(self.tasks)
        self.pages: list[Page] = [GeneralPage(), self.erp_page, self.shop_page, OperationsPage(), SchedulePage(),
                                  ScopePage(), StatusMapPage(), OwnershipPage(), NotificationsPage()]
        # the integration's pages: a list on the left of them (nine tabs would not fit in a row)
        self.page_list = QListWidget()
        self.page_list.setIconSize(QSize(16, 16))
        self.page_list.setSpacing(2)
        self.page_stack = QStackedWidget()
        for page in self.pages:
            self.page_list.addItem(QListWidgetItem(page.title()))
            scroll = QScrollArea()
            scroll.setWidget(page)
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QFrame.Shape.NoFrame)
            self.page_stack.addWidget(scroll)
            page.changed.connect(self._page_changed)
        self.page_list.setFixedWidth(max(150, self.page_list.sizeHintForColumn(0) + 24))
        self.page_list.currentRowChanged.connect(self.page_stack.setCurrentIndex)
        self.page_list.setCurrentRow(0)
        self.tabs = QWidget()
        pages_layout = QHBoxLayout(self.tabs)
        pages_layout.setContentsMargins(0, 0, 0, 0)
        pages_layout.addWidget(self.page_list)
        pages_layout.addWidget(self.page_stack, 1)
        self.erp_page.secret_changed.connect(self._update_buttons)
        self.shop_page.secret_changed.connect(self._update_buttons)

        empty = QWidget()
        empty_layout = QVBoxLayout(empty)
        self.empty_label = QLabel(self.tr(
            "<p><b>No integration yet.</b></p><p>An integration connects one ERP database with one shop. "
            "Add one, fill in the ERP database and the shop, test both connections and save.</p>"))
        self.empty_label.setWordWrap(True)
        self.empty_add_button = QPushButton(self.tr("Add an integration"))
        empty_layout.addStretch(1)
        empty_layout.addWidget(self.empty_label)
        empty_layout.addWidget(self.empty_add_button, 0, Qt.AlignmentFlag.AlignLeft)
        empty_layout.addStretch(2)
        self.right = QStackedWidget()
        self.right.addWidget(empty)
        self.right.addWidget(self.tabs)

        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.right)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([200, 780])

        self.file_label = QLabel()
        self.file_label.setWordWrap(True)
        self.file_label.hide()
        self.keyring_label = QLabel()
        self.keyring_label.setWordWrap(True)
        self.keyring_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.keyring_label.hide()
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.close_button = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        bottom = QHBoxLayout()
        bottom.addWidget(self.banner, 1)
        bottom.addWidget(self.buttons)

        layout = QVBoxLayout(self)
        layout.addWidget(self.file_label)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.app_group)  # application-wide: below everything integration-specific
        layout.addWidget(self.keyring_label)
        layout.addLayout(bottom)
        self.resize(980, 640)

        self.list.currentRowChanged.connect(self._select)
        self.page_list.currentRowChanged.connect(self._update_buttons)
        self.add_button.clicked.connect(self.add_integration)
        self.empty_add_button.clicked.connect(self.add_integration)
        self.duplicate_button.clicked.connect(self.duplicate_integration)
        self.remove_button.clicked.connect(self.remove_integration)
        self.history_box.toggled.connect(self._app_changed)
        self.login_box.clicked.connect(self.set_start_at_login)
        self.login.changed.connect(self._show_login)
        self._show_login()
        self.log_combo.currentIndexChanged.connect(self._app_changed)
        self.save_button.clicked.connect(self.save)
        self.close_button.clicked.connect(self.reject)

    # ------------------------------------------------------------------ loading

    def load(self, config: Config) -> None:
        """Start editing `config` (what the scheduler runs now)."""
        self.drafts = [draft_of(i) for i in config.integrations]
        self._saved_integrations = config.integrations
        self._base_config = config  # what the file held when editing started
        self._overwrite_confirmed = False
        settings = settings_dict(config)
        for widget in (self.history_box, self.log_combo):
            widget.blockSignals(True)
        self.history_box.setChecked(bool(settings.get("event_history", True)))
        self.log_combo.setCurrentIndex(max(0, self.log_combo.findData(settings.get("log_level", "INFO"))))
        for widget in (self.history_box, self.log_combo):
            widget.blockSignals(False)
        self._snapshot = copy.deepcopy(whole(self.drafts, self.app_settings()))
        error = self.service.config_error
        if error:
            text = self.tr("The configuration file has an error, so these are the last settings that worked. "
                           "Saving replaces the file with them. The error: %s") % shorten(error, 300)
            self.file_label.setText(f"<span style='color:{ERROR_COLOUR}'>⚠ {html(text)}</span>")
            self.file_label.show()
        else:
            self.file_label.hide()
        self._rebuild_list(0 if self.drafts else -1)
        self.check_secrets()

    @Slot()
    def _show_login(self) -> None:
        self.login.show_on(self.login_box)
        self.login_box.setToolTip(self.login.tooltip() + "\n" + self.tr("Applies at once (no need to Save)."))

    @Slot(bool)
    def set_start_at_login(self, on: bool) -> bool:
        error = self.login.set_enabled(on)
        if error:
            box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Start at login"), error,
                              QMessageBox.StandardButton.Close, self)
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.setModal(False)
            box.show()
            self.login_message = box
        return not error

    def app_settings(self) -> dict:
        return {"event_history": self.history_box.isChecked(), "log_level": str(self.log_combo.currentData())}

    def _rebuild_list(self, select: int) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for draft in self.drafts:
            self.list.addItem(QListWidgetItem(self._item_text(draft)))
        self.list.blockSignals(False)
        self._current = -1
        if 0 <= select < len(self.drafts):
            self.list.setCurrentRow(select)
        else:
            self._select(-1)

    def _item_text(self, draft: Draft) -> str:
        name = draft.name or self.tr("(no name)")
        return name if draft.raw.get("active", True) else self.tr("%s (inactive)") % name

    @property
    def current(self) -> Draft | None:
        return self.drafts[self._current] if 0 <= self._current < len(self.drafts) else None

    @Slot(int)
    def _select(self, row: int) -> None:
        self._current = row if 0 <= row < len(self.drafts) else -1
        draft = self.current
        self.right.setCurrentIndex(1 if draft is not None else 0)
        self.duplicate_button.setEnabled(draft is not None)
        self.remove_button.setEnabled(draft is not None)
        if draft is not None:
            for page in self.pages:
                page.load(draft)
            self._apply_secret_states()
        self.revalidate()

    def page(self, key: str) -> Page:
        return next(p for p in self.pages if p.key == key)

    def show_page(self, key: str) -> Page:
        page = self.page(key)
        self.page_list.setCurrentRow(self.pages.index(page))
        return page

    def current_page(self) -> Page:
        return self.pages[self.page_stack.currentIndex()]

    def select_integration(self, name: str) -> None:
        index = next(i for i, d in enumerate(self.drafts) if d.name == name)
        self.list.setCurrentRow(index)

    # ------------------------------------------------------------------ editing

    @Slot()
    def _page_changed(self) -> None:
        self._banner_note = ""
        draft = self.current
        if draft is not None:
            item = self.list.item(self._current)
            if item is not None:
                item.setText(self._item_text(draft))
        self.revalidate()

    @Slot()
    def _app_changed(self) -> None:
        self._banner_note = ""
        self.revalidate()

    def add_integration(self) -> Draft:
        draft = new_draft([d.name for d in self.drafts])
        self.drafts.append(draft)
        self._rebuild_list(len(self.drafts) - 1)
        self.show_page("general")
        self.page("general").name_edit.setFocus()
        self.page("general").name_edit.selectAll()
        self._note(self.tr("Added '%s': fill in the ERP database and the shop, then Save.") % draft.name)
        return draft

    def duplicate_integration(self) -> Draft | None:
        source = self.current
        if source is None:
            return None
        draft = duplicate_draft(source, [d.name for d in self.drafts])
        self.drafts.insert(self._current + 1, draft)
        self._rebuild_list(self._current + 1)
        self._note(self.tr("Duplicated '%(source)s' as '%(copy)s': its passwords and keys are copied in the keyring "
                           "on Save.") % {"source": source.name, "copy": draft.name})
        return draft

    def remove_integration(self) -> None:
        draft = self.current
        if draft is None:
            return
        index = self._current
        del self.drafts[index]
        self._rebuild_list(min(index, len(self.drafts) - 1))
        self._note(self.tr("Removed '%s'. Save to apply (its passwords and keys then leave the keyring too); "
                           "Close without saving to keep it.") % draft.name)

    # ------------------------------------------------------------------ validation

    def revalidate(self) -> list[Problem]:
        self.problems = validate(self.drafts, self.app_settings())
        self._show_problems()
        self._update_buttons()
        return self.problems

    def _show_problems(self) -> None:
        warning = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        by_index: dict[int | None, list[Problem]] = {}
        for problem in self.problems:
            by_index.setdefault(problem.index, []).append(problem)
        for row in range(self.list.count()):
            item = self.list.item(row)
            mine = by_index.get(row, [])
            item.setIcon(warning if mine else QIcon())
            item.setToolTip("\n".join(p.message for p in mine))
        per_page: dict[int, list[tuple[QWidget | None, str, str]]] = {id(p): [] for p in self.pages}
        for problem in by_index.get(self._current, []) if self._current >= 0 else []:
            for page in self.pages:
                found = page.field_for(problem.key)
                if found is not None:
                    per_page[id(page)].append((found[0], found[1], problem.message))
                    break
            else:
                per_page[id(self.pages[0])].append((None, problem.key, problem.message))
        for index, page in enumerate(self.pages):
            shown = per_page[id(page)]
            page.show_problems(shown)
            self.page_list.item(index).setIcon(warning if shown else QIcon())
        app = by_index.get(None, [])
        mark_invalid(self.history_box, next((p.message for p in app if p.key.endswith("event_history")), None))
        mark_invalid(self.log_combo, next((p.message for p in app if p.key.endswith("log_level")), None))

    def _first_problem(self) -> Problem:
        """The one the banner names: on the page in view if there is one there."""
        page = self.current_page()
        for problem in self.problems:
            if problem.index == self._current and page.field_for(problem.key) is not None:
                return problem
        return next((p for p in self.problems if p.index == self._current), self.problems[0])

    def problem_text(self, problem: Problem) -> str:
        if problem.index is None:
            return f"{problem.key}: {problem.message}" if problem.key else problem.message
        draft = self.drafts[problem.index]
        for page in self.pages:
            if problem.index == self._current:
                found = page.field_for(problem.key)
                if found is not None:
                    return f"{draft.name or '?'} › {page.title()} › {found[1]}: {problem.message}"
        return f"{draft.name or '?'} › {problem.key or self.tr('integration')}: {problem.message}"

    # ------------------------------------------------------------------ state

    def typed_secrets(self) -> bool:
        return any(d.typed for d in self.drafts)

    def is_dirty(self) -> bool:
        return self.typed_secrets() or whole(self.drafts, self.app_settings()) != self._snapshot

    @Slot()
    def _update_buttons(self) -> None:
        self.save_button.setEnabled(not self.problems and not self.saving and self.is_dirty())
        if self.problems:
            first = self.problem_text(self._first_problem())
            more = len(self.problems) - 1
            text = self.tr("Fix the highlighted fields before saving: %s") % first
            if more:
                text += " " + self.tr("(+%n more)", "", more)
            self._set_banner(text, ERROR_COLOUR, "⚠")
        elif self.saving:
            self._set_banner(self.tr("Saving…"), "", "")
        elif self._banner_note:
            self._set_banner(self._banner_note, "", "")
        elif self.is_dirty():
            self._set_banner(self.tr("Unsaved changes."), "", "")
        else:
            self._set_banner("", "", "")

    _banner_note = ""

    def _note(self, text: str) -> None:
        self._banner_note = text
        self._update_buttons()

    def _set_banner(self, text: str, colour: str, mark: str) -> None:
        if not text:
            self.banner.clear()
            return
        body = html(text)
        if colour:
            body = f"<span style='color:{colour}'>{mark} {body}</span>"
        self.banner.setText(body)

    # ------------------------------------------------------------------ credentials

    def _refs(self) -> list[Ref]:
        refs: list[Ref] = []
        for draft in self.drafts:
            if draft.secret_source:
                refs += [(draft.secret_source, n) for n in draft.source_names.values() if n]
        return refs

    def check_secrets(self) -> int | None:
        """Look in the keyring (worker thread) which credentials are stored, for the fields' hints."""
        refs = self._refs()
        for ref in refs:
            self._secret_states.setdefault(ref, SecretState.CHECKING)
        self._apply_secret_states()
        return self.credentials.check(refs, self._secrets_checked, self._secrets_check_failed)

    def _secrets_checked(self, states: dict[Ref, SecretState]) -> None:
        self._keyring_error = ""
        self._secret_states.update(states)
        self.keyring_label.hide()
        self._apply_secret_states()
        self.secrets_checked.emit()

    def _secrets_check_failed(self, error: BaseException) -> None:
        self._keyring_error = str(error)
        for ref in list(self._secret_states):
            self._secret_states[ref] = SecretState.UNAVAILABLE
        self._show_keyring_problem(self.tr("Passwords and keys cannot be stored: %s") % error)
        self._apply_secret_states()
        self.secrets_checked.emit()

    def _show_keyring_problem(self, text: str) -> None:
        self.keyring_label.setText(f"<span style='color:{ERROR_COLOUR}'>⚠ {html(text)}</span>")
        self.keyring_label.show()

    def _apply_secret_states(self) -> None:
        draft = self.current
        if draft is None:
            return
        fields: dict[str, SecretField] = {"password": self.erp_page.password, "key": self.shop_page.key_field,
                                          "secret": self.shop_page.secret_field}
        for role, field in fields.items():
            name = draft.source_names.get(role, "")
            if self._keyring_error:
                field.set_state(SecretState.UNAVAILABLE, self._keyring_error)
            elif draft.secret_source and name:
                field.set_state(self._secret_states.get((draft.secret_source, name), SecretState.UNKNOWN))
            else:
                field.set_state(SecretState.MISSING if draft.secret_name(role) else SecretState.UNKNOWN)

    # ------------------------------------------------------------------ saving

    @Slot()
    def save(self) -> bool:
        """Validate; store typed credentials in the keyring (worker thread); then write the file and
        reload the scheduler. Returns False when it could not start (problems, already saving)."""
        if self.saving:
            return False
        if self.revalidate():
            self._focus_first_problem()
            return False
        try:
            config = build_config(self.drafts, self.app_settings(), self.service.config_path)
        except ConfigError as exc:  # validate() should have caught it; never write what cannot load
            self._failed(str(exc))
            return False
        if self.service.config != self._base_config and not self._overwrite_confirmed:
            # changed by someone else meanwhile (the CLI, an editor, the demo): say so once
            self._overwrite_confirmed = True
            self._failed(self.tr("The configuration was changed elsewhere since this window opened (e.g. with "
                                 "'trayapp integration add'). Save again to replace it with what is shown here, "
                                 "or close this window and open Settings again to start from the new one."))
            return False
        plan = secret_plan(self.drafts, self._saved_integrations)
        self.saving = True
        self._banner_note = ""
        self._update_buttons()
        if plan:
            self.credentials.store(plan, lambda done: self._write(config, done), self._secrets_failed)
        else:
            self._write(config, plan)
        return True

    def _write(self, config: Config, plan: SecretPlan) -> None:
        try:
            saved = save_config(config, self.service.config_path)
        except (OSError, ConfigError) as exc:
            self._failed(self.tr("The configuration file could not be written: %s") % exc)
            return
        self.service.reload(saved)  # reschedule now, not at the watchdog's next look at the file
        log.info("settings saved: %s", ", ".join(i.name for i in saved.integrations) or "no integrations")
        mark_saved(self.drafts)
        self._saved_integrations = saved.integrations
        self._base_config, self._overwrite_confirmed = saved, False
        self._snapshot = copy.deepcopy(whole(self.drafts, self.app_settings()))
        self.saving = False
        for page in (self.erp_page, self.shop_page):
            if self.current is not None:
                page.load(self.current)
        self._banner_note = self.tr("Saved. The scheduler uses the new settings now.")
        self._update_buttons()
        self.banner.setText(f"<span style='color:{OK_COLOUR}'>✔ {html(self._banner_note)}</span>")
        self.check_secrets()
        self.saved.emit(saved)

    def _secrets_failed(self, error: BaseException) -> None:
        self._show_keyring_problem(str(error))
        self._failed(self.tr("Nothing was saved: the passwords and keys could not be stored in the keyring (%s). "
                             "No password is ever written to the configuration file; to save the other settings "
                             "now, clear the password and key fields.") % shorten(str(error), 160))

    def _failed(self, message: str) -> None:
        self.saving = False
        log.warning("settings not saved: %s", message)
        self._update_buttons()
        self.banner.setText(f"<span style='color:{ERROR_COLOUR}'>✖ {html(message)}</span>")
        self.save_failed.emit(message)

    def _focus_first_problem(self) -> None:
        first = self.problems[0]
        if first.index is not None and first.index != self._current:
            self.list.setCurrentRow(first.index)
        for page in self.pages:
            found = page.field_for(first.key)
            if found is not None:
                self.show_page(page.key)
                found[0].setFocus()
                return

    # ------------------------------------------------------------------ closing

    def _may_close(self) -> bool:
        return self._discard_confirmed or self.saving or not self.is_dirty()

    def closeEvent(self, event: QCloseEvent) -> None:
        """The window's own close button with unsaved changes: ask first (without a nested event loop).
        A programmatic close - quitting the app, a session ending - is never held up."""
        if event.spontaneous() and not self._may_close():
            event.ignore()
            self._ask_discard()
            return
        self._discard_confirmed = True  # QDialog.closeEvent calls reject()
        try:
            super().closeEvent(event)
        finally:
            self._discard_confirmed = False

    def reject(self) -> None:
        """Escape, or the window's close: the same question as Close."""
        if not self._may_close():
            self._ask_discard()
            return
        super().reject()

    def _ask_discard(self) -> QMessageBox:
        box = QMessageBox(QMessageBox.Icon.Question, self.windowTitle(),
                          self.tr("Discard the changes you have not saved?"),
                          QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.button(QMessageBox.StandardButton.Discard).clicked.connect(self.discard_and_close)
        box.open()  # window-modal, never a nested event loop
        self.discard_box = box
        return box

    @Slot()
    def discard_and_close(self) -> None:
        """Close without saving (also what quitting the app does)."""
        self._discard_confirmed = True
        try:
            self.close()
        finally:
            self._discard_confirmed = False

    def bring_forward(self) -> None:
        self.login.refresh()  # changed elsewhere meanwhile (the tray menu, trayapp autostart, the OS's settings)
        self.show()
        self.setWindowState(self.windowState() & ~Qt.WindowState.WindowMinimized)
        self.raise_()
        self.activateWindow()


def open_settings(service: SchedulerService, existing: SettingsDialog | None = None) -> SettingsDialog:
    """The one settings dialog: the open one brought forward, or a new one."""
    dialog = existing if existing is not None and existing.isVisible() else SettingsDialog(service)
    dialog.bring_forward()
    return dialog


def problem_keys(problems: Sequence[Problem]) -> list[tuple[int | None, str]]:
    return [(p.index, p.key) for p in problems]
