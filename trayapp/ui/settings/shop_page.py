"""The shop tab: platform, address, API key and secret (to the keyring), Test connection on a
worker thread, and the HTTP behaviour for those who need it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QToolButton,
    QWidget,
)

from trayapp.config import PLATFORMS
from trayapp.shops.base import ShopSettings
from trayapp.ui.credentials import DEFAULT_KEY_SECRET, DEFAULT_SECRET_SECRET, SecretField, read_secret
from trayapp.ui.settings.draft import Draft
from trayapp.ui.settings.erp_page import _message
from trayapp.ui.settings.tasks import Tasks
from trayapp.ui.settings.widgets import Page, ResultLabel, note

TEST_TIMEOUT = 20.0  # seconds per request while testing (the configured timeout may be minutes)
TEST_RETRIES = 1


def platform_label(platform: str) -> str:
    return {"woocommerce": "WooCommerce"}.get(platform, platform)


def test_shop(settings: ShopSettings) -> str:
    """One cheap authenticated request (blocks: worker thread)."""
    from trayapp.shops.registry import open_shop

    connector = open_shop(settings)
    try:
        return connector.test_connection()
    finally:
        close = getattr(connector, "close", None)
        if close is not None:
            close()


class ShopPage(Page):
    key = "shop"
    secret_changed = Signal()

    def __init__(self, tasks: Tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.platform_combo = QComboBox()
        for platform in PLATFORMS:
            self.platform_combo.addItem(platform_label(platform), platform)
        self.url_edit = QLineEdit()
        self.url_edit.setPlaceholderText("https://shop.example.com")
        self.key_field = SecretField()
        self.secret_field = SecretField()
        self.key_entry = QLineEdit()
        self.secret_entry = QLineEdit()
        self.test_button = QPushButton(self.tr("Test connection"))
        self.result = ResultLabel()

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.tr("Platform:"), self.platform_combo)
        form.addRow(self.tr("Shop address:"), self.url_edit)
        form.addRow(self.tr("Consumer key:"), self.key_field)
        form.addRow(self.tr("Consumer secret:"), self.secret_field)
        self.outer.addLayout(form)
        self.outer.addWidget(note(self.tr(
            "WooCommerce → Settings → Advanced → REST API → Add key, with Read/Write permission. The key (ck_…) and "
            "secret (cs_…) are kept in the system keyring, never in the configuration file.")))
        buttons = QHBoxLayout()
        buttons.addWidget(self.test_button)
        buttons.addWidget(self.result, 1)
        self.outer.addLayout(buttons)

        self.advanced_button = QToolButton()
        self.advanced_button.setText(self.tr("Advanced"))
        self.advanced_button.setCheckable(True)
        self.advanced_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.advanced_button.setArrowType(Qt.ArrowType.RightArrow)
        self.advanced_button.setAutoRaise(True)
        self.advanced = QWidget()
        self.timeout = QDoubleSpinBox()
        self.timeout.setRange(1, 3600)
        self.timeout.setDecimals(0)
        self.timeout.setSuffix(self.tr(" s"))
        self.rate = QDoubleSpinBox()
        self.rate.setRange(0, 1000)
        self.rate.setDecimals(1)
        self.rate.setSpecialValueText(self.tr("unlimited"))
        self.batch = QSpinBox()
        self.batch.setRange(1, 100)
        self.retries = QSpinBox()
        self.retries.setRange(0, 20)
        self.insecure = QCheckBox(self.tr("Allow plain http:// to a shop on another computer (unencrypted)"))
        advanced_form = QFormLayout(self.advanced)
        advanced_form.addRow(self.tr("Timeout per request:"), self.timeout)
        advanced_form.addRow(self.tr("Requests per second:"), self.rate)
        advanced_form.addRow(self.tr("Objects per batch:"), self.batch)
        advanced_form.addRow(self.tr("Retries:"), self.retries)
        advanced_form.addRow(self.tr("Keyring entry (key):"), self.key_entry)
        advanced_form.addRow(self.tr("Keyring entry (secret):"), self.secret_entry)
        advanced_form.addRow("", self.insecure)
        advanced_form.setContentsMargins(24, 0, 0, 0)
        self.advanced_button.toggled.connect(self._show_advanced)
        self._show_advanced(False)
        self.outer.addWidget(self.advanced_button)
        self.outer.addWidget(self.advanced)
        self.outer.addStretch(1)

        self.platform_combo.currentIndexChanged.connect(self.edited)
        for edit in (self.url_edit, self.key_entry, self.secret_entry):
            edit.textEdited.connect(self.edited)
        for spin in (self.timeout, self.rate, self.batch, self.retries):
            spin.valueChanged.connect(self.edited)
        self.insecure.toggled.connect(self.edited)
        self.key_field.textChanged.connect(self._secret_typed)
        self.secret_field.textChanged.connect(self._secret_typed)
        self.test_button.clicked.connect(self.test_connection)

    def title(self) -> str:
        return self.tr("Shop")

    def _show_advanced(self, on: bool) -> None:
        self.advanced_button.setChecked(on)
        self.advanced_button.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)
        self.advanced.setVisible(on)

    def fill(self, draft: Draft) -> None:
        self._autofilled: set[str] = set()
        shop = draft.raw.get("shop", {})
        index = self.platform_combo.findData(shop.get("platform", "woocommerce"))
        self.platform_combo.setCurrentIndex(max(index, 0))
        self.url_edit.setText(str(shop.get("url", "")))
        self.key_entry.setText(str(shop.get("key_secret", "")))
        self.secret_entry.setText(str(shop.get("secret_secret", "")))
        self.key_field.set_value(draft.typed.get("key", ""))
        self.secret_field.set_value(draft.typed.get("secret", ""))
        self.timeout.setValue(float(shop.get("timeout", 60)))
        self.rate.setValue(float(shop.get("requests_per_second", 10)))
        self.batch.setValue(int(shop.get("batch_size", 100)))
        self.retries.setValue(int(shop.get("retries", 5)))
        self.insecure.setChecked(bool(shop.get("allow_insecure_http", False)))
        self.result.clear_result()

    def store(self, draft: Draft) -> None:
        shop = draft.raw.setdefault("shop", {})
        shop["platform"] = str(self.platform_combo.currentData())
        shop["url"] = self.url_edit.text().strip()
        for role, field, entry, default in (("key", self.key_field, self.key_entry, DEFAULT_KEY_SECRET),
                                            ("secret", self.secret_field, self.secret_entry, DEFAULT_SECRET_SECRET)):
            typed = field.value()
            if typed and not entry.text().strip():
                entry.setText(default)  # a typed key needs an entry to live in
                self._autofilled.add(role)
            elif not typed and role in self._autofilled and entry.text() == default:
                entry.setText("")  # typed and cleared again: back to no authentication
                self._autofilled.discard(role)
            shop[f"{role}_secret"] = entry.text().strip()
            if typed:
                draft.typed[role] = typed
            else:
                draft.typed.pop(role, None)
        shop["timeout"] = _number(self.timeout.value())
        shop["requests_per_second"] = _number(self.rate.value())
        shop["batch_size"] = self.batch.value()
        shop["retries"] = self.retries.value()
        shop["allow_insecure_http"] = self.insecure.isChecked()

    def _secret_typed(self) -> None:
        self.edited()
        self.secret_changed.emit()

    def shop_settings(self) -> ShopSettings:
        """What Test connection uses (credentials filled in on the worker thread)."""
        return ShopSettings(platform=str(self.platform_combo.currentData()), url=self.url_edit.text().strip(),
                            timeout=min(self.timeout.value(), TEST_TIMEOUT), requests_per_second=0,
                            batch_size=self.batch.value(), retries=min(self.retries.value(), TEST_RETRIES),
                            backoff_factor=0.2, allow_insecure_http=self.insecure.isChecked())

    def test_connection(self) -> int | None:
        draft = self.draft
        if draft is None:
            return None
        settings = self.shop_settings()
        source = draft.secret_source or ""
        key_ref = (source, draft.source_names.get("key", "") if source else "", self.key_field.value())
        secret_ref = (source, draft.source_names.get("secret", "") if source else "", self.secret_field.value())
        wants_key = bool(self.key_entry.text().strip() or key_ref[2])
        wants_secret = bool(self.secret_entry.text().strip() or secret_ref[2])

        def work() -> str:
            from dataclasses import replace

            key = read_secret(*key_ref) if wants_key else None
            secret = read_secret(*secret_ref) if wants_secret else None
            return test_shop(replace(settings, key=key, secret=secret))

        self.test_button.setEnabled(False)
        self.result.show_busy(self.tr("Connecting to the shop…"))
        return self.tasks.run(work, self._tested, self._test_failed, name="test-shop")

    def _tested(self, text: str) -> None:
        self.test_button.setEnabled(True)
        self.result.show_ok(self.tr("Connected: %s") % text)

    def _test_failed(self, error: BaseException) -> None:
        self.test_button.setEnabled(True)
        self.result.show_error(self.tr("Connection failed: %s") % _message(error))

    def field_for(self, key: str) -> tuple[QWidget, str] | None:
        fields = {
            "shop.platform": (self.platform_combo, self.tr("Platform")),
            "shop.url": (self.url_edit, self.tr("Shop address")),
            "shop.key_secret": (self.key_entry, self.tr("Keyring entry (key)")),
            "shop.secret_secret": (self.secret_entry, self.tr("Keyring entry (secret)")),
            "shop.timeout": (self.timeout, self.tr("Timeout")),
            "shop.requests_per_second": (self.rate, self.tr("Requests per second")),
            "shop.batch_size": (self.batch, self.tr("Objects per batch")),
            "shop.retries": (self.retries, self.tr("Retries")),
        }
        found = fields.get(key)
        if found is None and key.startswith("shop"):
            found = (self.url_edit, self.tr("Shop"))
        if found is not None and found[0] in (self.timeout, self.rate, self.batch, self.retries, self.key_entry,
                                              self.secret_entry):
            self._show_advanced(True)
        return found

    def all_fields(self) -> list[QWidget]:
        return [self.platform_combo, self.url_edit, self.key_entry, self.secret_entry, self.timeout, self.rate,
                self.batch, self.retries]


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value
