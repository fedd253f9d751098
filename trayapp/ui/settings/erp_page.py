"""The ERP database tab: how trayapp reaches the ERP (an ODBC driver with server, database and login;
a built-in SQLite file; or a raw connection string), the password (to the keyring), the ERP profile,
and Test connection / List databases - both on worker threads."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from trayapp.erp.connection import PASSWORD_PLACEHOLDER
from trayapp.erp.profile import available_profiles
from trayapp.ui.credentials import DEFAULT_PASSWORD_SECRET, SecretField, read_secret
from trayapp.ui.settings import odbc
from trayapp.ui.settings.draft import Draft
from trayapp.ui.settings.tasks import Tasks
from trayapp.ui.settings.widgets import ERROR_COLOUR, Page, ResultLabel, html, note

MODES = ("odbc", "sqlite", "raw")


def _form() -> QFormLayout:
    form = QFormLayout()
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    return form


def _with_button(widget: QWidget, *buttons: QPushButton) -> QWidget:
    box = QWidget()
    layout = QHBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(widget, 1)
    for button in buttons:
        layout.addWidget(button)
    return box


def test_erp(connection: str, profile: str, password: str | None) -> str:
    """Open the ERP with the profile and run its reading statements (blocks: worker thread)."""
    from trayapp.erp.database import open_erp

    database = open_erp(connection, profile, password=password)
    try:
        return database.test_connection()
    finally:
        database.close()


class ErpPage(Page):
    key = "erp"
    secret_changed = Signal()  # the typed password changed (the dialog tracks unsaved credentials)

    def __init__(self, tasks: Tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self._drivers_loaded = False

        self.mode_combo = QComboBox()
        self.mode_combo.addItem(self.tr("ODBC driver (SQL Server, PostgreSQL, MariaDB, …)"), "odbc")
        self.mode_combo.addItem(self.tr("SQLite database file (built in, no driver needed)"), "sqlite")
        self.mode_combo.addItem(self.tr("Connection string (advanced)"), "raw")

        # -- ODBC builder
        self.driver_combo = QComboBox()
        self.driver_message = QLabel()
        self.driver_message.setWordWrap(True)
        self.driver_message.hide()
        self.server_edit = QLineEdit()
        self.server_edit.setPlaceholderText(self.tr("e.g. localhost\\SQLEXPRESS or db.example.local"))
        self.port_edit = QLineEdit()
        self.port_edit.setPlaceholderText(self.tr("default"))
        self.port_edit.setMaximumWidth(100)
        self.database_combo = QComboBox()
        self.database_combo.setEditable(True)
        self.database_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.list_button = QPushButton(self.tr("List databases"))
        self.list_button.setToolTip(self.tr("Ask the server which databases it has (uses the login below)"))
        self.database_browse = QPushButton(self.tr("Browse…"))
        self.auth_combo = QComboBox()
        self.auth_combo.addItem(self.tr("Database user and password"), "sql")
        self.auth_combo.addItem(self.tr("Windows authentication (this computer's user)"), "windows")
        self.user_edit = QLineEdit()
        self.options_edit = QLineEdit()
        self.options_edit.setPlaceholderText(self.tr("e.g. Encrypt=yes;TrustServerCertificate=yes"))
        # -- SQLite file
        self.sqlite_edit = QLineEdit()
        self.sqlite_edit.setPlaceholderText(self.tr("the .db / .sqlite3 file"))
        self.sqlite_browse = QPushButton(self.tr("Browse…"))

        # -- raw connection string
        self.raw_edit = QPlainTextEdit()
        self.raw_edit.setPlaceholderText("DRIVER={ODBC Driver 18 for SQL Server};Server=…;Database=…;UID=…;"
                                         "PWD={password}")
        self.raw_edit.setMaximumHeight(70)
        self.raw_note = note(self.tr("An ODBC connection string, a DSN=… or sqlite:///path. Never write the "
                                     "password here: write {password} and type the password below; it is "
                                     "kept in the keyring."))

        # -- common
        self.password = SecretField()
        self.password_entry = QLineEdit()
        self.password_entry.setToolTip(self.tr("The name of the keyring entry that holds the password "
                                               "(the configuration file keeps only this name)"))
        self.profile_combo = QComboBox()
        self.profile_combo.setEditable(True)
        self.profile_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.profile_browse = QPushButton(self.tr("Browse…"))
        self.prefix_edit = QLineEdit()
        self.prefix_edit.setMaxLength(16)
        self.prefix_edit.setPlaceholderText(self.tr("none"))
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        self.preview.setEnabled(False)
        self.test_button = QPushButton(self.tr("Test connection"))
        self.result = ResultLabel()

        for combo in (self.mode_combo, self.driver_combo, self.database_combo, self.auth_combo, self.profile_combo):
            # long entries (driver names, translations) must not widen the page
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(16)

        # one form, rows shown per mode, so every label lines up
        self.form = form = _form()
        form.addRow(self.tr("Connect with:"), self.mode_combo)
        form.addRow(self.tr("Driver:"), self.driver_combo)
        form.addRow("", self.driver_message)
        form.addRow(self.tr("Server:"), self.server_edit)
        form.addRow(self.tr("Port:"), self.port_edit)
        self.database_row = _with_button(self.database_combo, self.list_button, self.database_browse)
        form.addRow(self.tr("Database:"), self.database_row)
        form.addRow(self.tr("Log in with:"), self.auth_combo)
        form.addRow(self.tr("User:"), self.user_edit)
        form.addRow(self.tr("More options:"), self.options_edit)
        self.sqlite_row = _with_button(self.sqlite_edit, self.sqlite_browse)
        form.addRow(self.tr("Database file:"), self.sqlite_row)
        form.addRow(self.tr("Connection string:"), self.raw_edit)
        form.addRow("", self.raw_note)
        form.addRow(self.tr("Password:"), self.password)
        form.addRow(self.tr("Keyring entry:"), self.password_entry)
        form.addRow(self.tr("ERP profile:"), _with_button(self.profile_combo, self.profile_browse))
        form.addRow(self.tr("Order reference prefix:"), self.prefix_edit)
        form.addRow("", self.preview)
        self.outer.addLayout(form)
        buttons = QHBoxLayout()
        buttons.addWidget(self.test_button)
        buttons.addWidget(self.result, 1)
        self.outer.addLayout(buttons)
        self.outer.addWidget(note(self.tr(
            "The profile says where the ERP keeps products, stock and orders (shipped: demo, staging; your own "
            "in the profiles folder). The prefix goes before the shop's order number in the ERP order's "
            "reference; two integrations importing into one ERP need different prefixes.")))
        self.outer.addStretch(1)

        self.mode_combo.currentIndexChanged.connect(self._mode_changed)
        self.driver_combo.currentIndexChanged.connect(self._driver_changed)
        self.auth_combo.currentIndexChanged.connect(self._auth_changed)
        for edit in (self.server_edit, self.port_edit, self.user_edit, self.options_edit, self.sqlite_edit,
                     self.password_entry, self.prefix_edit):
            edit.textEdited.connect(self.edited)
        self.database_combo.editTextChanged.connect(self.edited)
        self.profile_combo.editTextChanged.connect(self.edited)
        self.raw_edit.textChanged.connect(self.edited)
        self.password.textChanged.connect(self._password_typed)
        self.list_button.clicked.connect(self.list_databases)
        self.database_browse.clicked.connect(self._browse_database)
        self.sqlite_browse.clicked.connect(self._browse_sqlite)
        self.profile_browse.clicked.connect(self._browse_profile)
        self.test_button.clicked.connect(self.test_connection)

    def title(self) -> str:
        return self.tr("ERP database")

    # ------------------------------------------------------------ loading

    def _load_drivers(self) -> None:
        if self._drivers_loaded:
            return
        self._drivers_loaded = True
        drivers, error = odbc.installed_drivers()
        for name in drivers:
            self.driver_combo.addItem(name, name)
        if error:
            self.driver_message.setText(f"<span style='color:{ERROR_COLOUR}'>{html(error)}</span>")
            self.driver_message.show()
        elif not drivers:
            text = self.tr("No ODBC driver is installed. Install the one for your database, e.g. Microsoft ODBC "
                           "Driver 18 for SQL Server, or on Debian/Ubuntu odbc-postgresql, odbc-mariadb, "
                           "libsqliteodbc.")
            self.driver_message.setText(f"<span style='color:{ERROR_COLOUR}'>{html(text)}</span>")
            self.driver_message.show()

    def _select_driver(self, name: str) -> None:
        index = next((i for i in range(self.driver_combo.count())
                      if str(self.driver_combo.itemData(i)).lower() == name.lower()), -1)
        if index < 0 and name:
            self.driver_combo.addItem(self.tr("%s (not installed)") % name, name)
            index = self.driver_combo.count() - 1
        self.driver_combo.setCurrentIndex(index)

    def fill(self, draft: Draft) -> None:
        self._load_drivers()
        erp = draft.raw.get("erp", {})
        connection = str(erp.get("connection", ""))
        mode = draft.erp_mode or odbc.connection_kind(connection)
        if mode == "odbc" and connection.strip() and odbc.parse_odbc(connection) is None:
            mode = "raw"
        draft.erp_mode = mode
        self.mode_combo.setCurrentIndex(MODES.index(mode))
        self.database_combo.clear()
        self._fill_fields(connection)
        self.password_entry.setText(str(erp.get("password_secret", "")))
        self.password.set_value(draft.typed.get("password", ""))
        self._fill_profiles(str(erp.get("profile", "")))
        self.prefix_edit.setText(str(draft.raw.get("order_ref_prefix", "")))
        self.result.clear_result()
        self._update_visibility()
        if mode == "odbc" and not connection.strip():
            self.store(draft)  # a new integration: the builder's string, so its checks name the empty fields

    def _fill_fields(self, connection: str) -> None:
        parts = odbc.parse_odbc(connection) or odbc.OdbcParts(driver=self._default_driver())
        self._select_driver(parts.driver)
        self.server_edit.setText(parts.server)
        self.port_edit.setText(parts.port)
        self.database_combo.setEditText(parts.database)
        self.auth_combo.setCurrentIndex(1 if parts.windows_auth else 0)
        self.user_edit.setText(parts.user)
        self.options_edit.setText(parts.options)
        self.sqlite_edit.setText(odbc.sqlite_file(connection))
        if self.raw_edit.toPlainText() != connection:
            self.raw_edit.setPlainText(connection)

    def _default_driver(self) -> str:
        names = [str(self.driver_combo.itemData(i)) for i in range(self.driver_combo.count())]
        preferred = [n for n in names if odbc.is_sqlserver(n)] + [n for n in names if "unicode" in n.lower()]
        return (preferred or names or [""])[0]

    def _fill_profiles(self, current: str) -> None:
        self.profile_combo.clear()
        try:
            names = available_profiles()
        except Exception:  # an unreadable profiles folder must not break the dialog
            names = []
        self.profile_combo.addItems(names)
        self.profile_combo.setEditText(current)

    # ------------------------------------------------------------ editing

    def mode(self) -> str:
        return str(self.mode_combo.currentData())

    def parts(self) -> odbc.OdbcParts:
        windows = self.auth_combo.currentData() == "windows"
        driver = str(self.driver_combo.currentData() or "")
        return odbc.OdbcParts(
            driver=driver, server=self.server_edit.text(), port=self.port_edit.text(),
            database=self.database_combo.currentText(), windows_auth=windows, user=self.user_edit.text(),
            password=not windows and not odbc.is_sqlite(driver), options=self.options_edit.text())

    def connection_string(self) -> str:
        mode = self.mode()
        if mode == "sqlite":
            return odbc.sqlite_connection(self.sqlite_edit.text())
        if mode == "raw":
            return self.raw_edit.toPlainText().strip()
        return self.parts().connection_string()

    def uses_password(self) -> bool:
        return PASSWORD_PLACEHOLDER in self.connection_string()

    def store(self, draft: Draft) -> None:
        erp = draft.raw.setdefault("erp", {})
        draft.erp_mode = self.mode()
        connection = self.connection_string()
        erp["connection"] = connection
        if PASSWORD_PLACEHOLDER in connection:
            entry = self.password_entry.text().strip()
            if not entry and not self.password_entry.hasFocus():
                entry = DEFAULT_PASSWORD_SECRET
                self.password_entry.setText(entry)
            erp["password_secret"] = entry
        else:
            erp["password_secret"] = ""
        erp["profile"] = self.profile_combo.currentText().strip()
        draft.raw["order_ref_prefix"] = self.prefix_edit.text().strip()
        typed = self.password.value() if PASSWORD_PLACEHOLDER in connection else ""
        if typed:
            draft.typed["password"] = typed
        else:
            draft.typed.pop("password", None)
        if self.raw_edit.toPlainText().strip() != connection and draft.erp_mode != "raw":
            was = self.raw_edit.blockSignals(True)
            self.raw_edit.setPlainText(connection)
            self.raw_edit.blockSignals(was)
        self._update_visibility()

    def _mode_changed(self) -> None:
        if self.loading or self.draft is None:
            return
        mode = self.mode()
        connection = str(self.draft.raw.get("erp", {}).get("connection", ""))
        self.loading = True
        try:  # carry over what the current connection says
            if mode == "raw":
                self.raw_edit.setPlainText(connection)
            else:
                self._fill_fields(connection)
        finally:
            self.loading = False
        self.edited()

    def _driver_changed(self) -> None:
        self._update_visibility()
        self.edited()

    def _auth_changed(self) -> None:
        self._update_visibility()
        self.edited()

    def _password_typed(self) -> None:
        self.edited()
        self.secret_changed.emit()

    def _update_visibility(self) -> None:
        mode = self.mode()
        driver = str(self.driver_combo.currentData() or "")
        sqlite_driver = odbc.is_sqlite(driver)
        windows_ok = odbc.is_sqlserver(driver)
        model = self.auth_combo.model()
        model.item(1).setEnabled(windows_ok)
        if not windows_ok and self.auth_combo.currentIndex() == 1:
            self.auth_combo.setCurrentIndex(0)
        windows = self.auth_combo.currentData() == "windows"
        odbc_mode, uses_password = mode == "odbc", self.uses_password()
        rows = {
            self.driver_combo: odbc_mode, self.driver_message: odbc_mode and bool(self.driver_message.text()),
            self.server_edit: odbc_mode and not sqlite_driver, self.port_edit: odbc_mode and not sqlite_driver,
            self.database_row: odbc_mode, self.auth_combo: odbc_mode and not sqlite_driver,
            self.user_edit: odbc_mode and not sqlite_driver and not windows, self.options_edit: odbc_mode,
            self.sqlite_row: mode == "sqlite", self.raw_edit: mode == "raw", self.raw_note: mode == "raw",
            self.password: uses_password, self.password_entry: uses_password}
        for widget, visible in rows.items():
            self.form.setRowVisible(widget, visible)
        self.list_button.setVisible(not sqlite_driver)
        self.database_browse.setVisible(sqlite_driver)
        connection = self.connection_string()
        if mode == "raw" or not connection:
            self.preview.hide()
        else:
            # a zero-width space after each ';' lets a long string wrap instead of widening the page
            self.preview.setText(self.tr("Connection string: %s") % connection.replace(";", ";\u200b"))
            self.preview.show()

    # ------------------------------------------------------------ file pickers

    def _browse_sqlite(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("SQLite database"), self.sqlite_edit.text(),
                                              self.tr("SQLite databases (*.db *.sqlite *.sqlite3);;All files (*)"))
        if path:
            self.sqlite_edit.setText(path)
            self.edited()

    def _browse_database(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("SQLite database"), self.database_combo.currentText(),
                                              self.tr("SQLite databases (*.db *.sqlite *.sqlite3);;All files (*)"))
        if path:
            self.database_combo.setEditText(path)

    def _browse_profile(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("ERP profile"), str(Path.home()),
                                              self.tr("ERP profiles (*.toml)"))
        if path:
            self.profile_combo.setEditText(path)

    # ------------------------------------------------------------ worker-thread actions

    def _password_source(self) -> tuple[str, str, str]:
        """(integration, entry, typed): where the stored password is now, and what was typed."""
        draft = self.draft
        assert draft is not None
        typed = self.password.value()
        source = draft.secret_source or ""
        entry = draft.source_names.get("password", "") if source else ""
        return source, entry, typed

    def list_databases(self) -> int | None:
        if self.draft is None:
            return None
        parts = self.parts()
        source, entry, typed = self._password_source()
        needs_password = parts.password

        def work() -> list[str]:
            password = read_secret(source, entry, typed) if needs_password else None
            return odbc.list_databases(parts, password)

        self.list_button.setEnabled(False)
        self.result.show_busy(self.tr("Asking the server for its databases…"))
        return self.tasks.run(work, self._listed, self._list_failed, name="list-databases")

    def _listed(self, names: list[str]) -> None:
        self.list_button.setEnabled(True)
        current = self.database_combo.currentText()
        was = self.database_combo.blockSignals(True)
        self.database_combo.clear()
        self.database_combo.addItems(names)
        self.database_combo.setEditText(current)
        self.database_combo.blockSignals(was)
        if names:
            self.result.show_ok(self.tr("%n database(s) on the server; pick one from the list.", "", len(names)))
            self.database_combo.showPopup() if self.isVisible() and not current else None
        else:
            self.result.show_error(self.tr("The server lists no database this user can see."))

    def _list_failed(self, error: BaseException) -> None:
        self.list_button.setEnabled(True)
        self.result.show_error(self.tr("Could not list the databases: %s") % _message(error))

    def test_connection(self) -> int | None:
        if self.draft is None:
            return None
        connection = self.connection_string()
        profile = self.profile_combo.currentText().strip()
        source, entry, typed = self._password_source()
        needs_password = PASSWORD_PLACEHOLDER in connection

        def work() -> str:
            password = read_secret(source, entry, typed) if needs_password else None
            return test_erp(connection, profile, password)

        self.test_button.setEnabled(False)
        self.result.show_busy(self.tr("Connecting to the ERP database…"))
        return self.tasks.run(work, self._tested, self._test_failed, name="test-erp")

    def _tested(self, text: str) -> None:
        self.test_button.setEnabled(True)
        self.result.show_ok(self.tr("Connected: %s") % text)

    def _test_failed(self, error: BaseException) -> None:
        self.test_button.setEnabled(True)
        self.result.show_error(self.tr("Connection failed: %s") % _message(error))

    # ------------------------------------------------------------ problems

    def field_for(self, key: str) -> tuple[QWidget, str] | None:
        mode = self.mode()
        if key in ("erp.connection", "erp"):
            widget = {"odbc": self.server_edit, "sqlite": self.sqlite_edit, "raw": self.raw_edit}[mode]
            return widget, self.tr("Connection")
        fields = {
            "erp.driver": (self.driver_combo, self.tr("Driver")),
            "erp.server": (self.server_edit, self.tr("Server")),
            "erp.database": (self.database_combo, self.tr("Database")),
            "erp.password_secret": (self.password_entry, self.tr("Keyring entry")),
            "erp.profile": (self.profile_combo, self.tr("ERP profile")),
            "order_ref_prefix": (self.prefix_edit, self.tr("Order reference prefix")),
        }
        return fields.get(key)

    def all_fields(self) -> list[QWidget]:
        return [self.driver_combo, self.server_edit, self.database_combo, self.sqlite_edit, self.raw_edit,
                self.password_entry, self.profile_combo, self.prefix_edit]


def _message(error: BaseException) -> str:
    from trayapp.errors import TrayappError

    if isinstance(error, TrayappError):
        return str(error)
    return f"{type(error).__name__}: {error}"
