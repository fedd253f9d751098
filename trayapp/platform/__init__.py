"""Operating-system integration (no Qt): start at login (`autostart`), the background service
(`service`), and how this installation of trayapp is started (`launch`).

Everything here is importable on every OS; OS-specific modules (winreg) are imported only on that OS,
and every outside effect (registry, files under a home folder, service-manager commands) goes
through an adapter the tests replace.
"""

from __future__ import annotations

from trayapp.errors import TrayappError


class PlatformError(TrayappError):
    """Start at login or the background service could not be set up (says why and what to do)."""
