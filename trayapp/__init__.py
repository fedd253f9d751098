"""trayapp, the Integration Scheduler."""

__version__ = "0.1.0"
