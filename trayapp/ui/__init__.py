"""The tray app: a thin Qt (PySide6) layer over trayapp.scheduler.SchedulerService and trayapp.engine.

Only this package imports Qt. Jobs run on the scheduler's worker threads; their results reach the GUI
thread through `bridge.EngineBridge` (Qt signals, queued), never by touching widgets from a job.
"""
