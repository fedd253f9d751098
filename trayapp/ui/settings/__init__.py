"""The Settings dialog (dialog.SettingsDialog): integrations and their pages, validated with the
core's parser, saved atomically and applied to the running scheduler at once.

Modules: dialog (the window), draft (editing state, validation, the keyring plan; no widgets),
erp_page / shop_page / pages (the tabs), odbc (connection strings, drivers, database listing; no Qt),
tasks (blocking work on worker threads), widgets (shared small widgets).
"""

from trayapp.ui.settings.qtfix import keep_singletons_alive

keep_singletons_alive()  # PySide6 6.12.0 on Python 3.11 loses references to None and True (see qtfix)
