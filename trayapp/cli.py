"""The command line: `trayapp` with no command starts the tray app; subcommands do what its windows do.

Exit codes: 0 success, 1 some records failed, 2 configuration or connection error.
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import signal
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from trayapp import __version__
from trayapp.config import (
    OPERATIONS,
    PLATFORMS,
    Config,
    ErpConfig,
    Integration,
    OperationConfig,
    ShopConfig,
    load_config,
    parse_duration,
    save_config,
)
from trayapp.errors import ConfigError, TrayappError
from trayapp.operations.base import RunResult, Scope
from trayapp.paths import AppPaths, app_paths

EXIT_OK, EXIT_PARTIAL, EXIT_ERROR = 0, 1, 2
DEFAULT_OPERATIONS = ("import-orders", "update-order-statuses", "export-products", "update-stock")
log = logging.getLogger("trayapp")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="trayapp",
        description="trayapp, the Integration Scheduler: keeps an ERP database and online shops in sync. "
                    "Without a command, starts the tray app.",
        epilog="Exit codes: 0 success, 1 some records failed, 2 configuration or connection error. "
               "TRAYAPP_HOME=<dir> keeps config, data and logs under <dir>.")
    parser.add_argument("--version", action="version", version=f"trayapp {__version__}")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("-v", "--verbose", action="store_true", help="also log to the terminal")
    parser.add_argument("--home", metavar="DIR",
                        help="keep configuration, data and logs under DIR (as TRAYAPP_HOME=DIR does)")
    parser.add_argument("--autostart", action="store_true",
                        help="started at login: the tray app starts minimised to the tray, without a window")
    # --json and -v are accepted before or after the command ("trayapp status --json")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="machine-readable output")
    common.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS,
                        help="also log to the terminal")
    sub = _Subcommands(parser.add_subparsers(dest="command", metavar="COMMAND"), common)

    demo = sub.add_parser("demo", help="create the demo ERP, shop and integration, and run them",
                          description="Creates (once) a demo ERP database (SQLite) with a few hundred products and a "
                                      "demo integration, starts a WooCommerce-compatible demo shop on 127.0.0.1 that "
                                      "places random orders now and then, and runs the scheduler.")
    demo.add_argument("--no-gui", action="store_true", help="run headless in this terminal (no tray)")
    demo.add_argument("--port", type=int, default=0, help="demo shop port (default: a free one)")
    demo.add_argument("--order-every", type=float, default=20.0, metavar="SECONDS",
                      help="a random customer order this often (default 20; 0 = never)")
    demo.add_argument("--duration", type=float, default=0.0, metavar="SECONDS",
                      help="stop after this long (default: until Ctrl+C)")
    demo.add_argument("--reset", action="store_true", help="start from a fresh demo ERP, shop and journal")

    run = sub.add_parser("run", help="run the scheduler until stopped (SIGINT/SIGTERM)")
    run.add_argument("--headless", action="store_true", help="without the tray (background mode)")

    sync = sub.add_parser("sync", help="synchronise now (manual run)",
                          description="Runs operations of one integration now. Manual runs never move the "
                                      "watermarks of scheduled runs.")
    sync.add_argument("integration")
    sync.add_argument("operations", nargs="*", metavar="OPERATION",
                      help=f"one or more of: {', '.join(OPERATIONS)} (default: the enabled ones)")
    scope = sync.add_mutually_exclusive_group()
    scope.add_argument("--all", action="store_true", help="all records, not only changes")
    scope.add_argument("--since", metavar="DATE", help="records changed since DATE (ISO, local time if no zone)")
    scope.add_argument("--range", metavar="FROM..TO", help="record numbers FROM..TO (order ids; SKUs for products)")
    sync.add_argument("--force", action="store_true", help="send records even if unchanged since the last sync")
    sync.add_argument("--dry-run", action="store_true", help="list what would change; write nothing")

    sub.add_parser("status", help="integrations, their operations, last and next runs")

    history = sub.add_parser("history", help="the run history")
    history.add_argument("--integration")
    history.add_argument("--operation", choices=OPERATIONS)
    history.add_argument("--status", choices=("ok", "partial", "failed", "cancelled", "interrupted"))
    history.add_argument("--limit", type=int, default=30)
    history.add_argument("--run", type=int, metavar="ID", help="one run with its failed records")

    integ = sub.add_parser("integration", help="add, list or remove integrations")
    integ_sub = integ.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = integ_sub.add_parser("add", help="add (or replace with --replace) an integration")
    add.add_argument("name")
    add.add_argument("--erp", required=True, metavar="CONNECTION",
                     help="ODBC connection string (use {password} for the password) or sqlite:///path")
    add.add_argument("--profile", default="demo", help="ERP profile name or path (default: demo)")
    add.add_argument("--erp-password-secret", default="", metavar="NAME",
                     help="keyring entry holding the database password")
    add.add_argument("--platform", default="woocommerce", choices=PLATFORMS)
    add.add_argument("--url", required=True, help="shop address, e.g. https://shop.example.com")
    add.add_argument("--key-secret", default="", metavar="NAME", help="keyring entry holding the API key")
    add.add_argument("--secret-secret", default="", metavar="NAME", help="keyring entry holding the API secret")
    add.add_argument("--operations", nargs="+", choices=OPERATIONS, default=list(DEFAULT_OPERATIONS))
    add.add_argument("--interval", default="5m", help="interval of every operation (default 5m)")
    add.add_argument("--inactive", action="store_true", help="add it switched off")
    add.add_argument("--replace", action="store_true", help="replace an integration of the same name")
    integ_sub.add_parser("list", help="list integrations")
    remove = integ_sub.add_parser("remove", help="remove an integration")
    remove.add_argument("name")
    remove.add_argument("--forget", action="store_true", help="also forget its bindings, hashes and watermarks")

    secret = sub.add_parser("secret", help="store secrets in the OS keyring")
    secret_sub = secret.add_subparsers(dest="action", metavar="ACTION", required=True)
    secret_set = secret_sub.add_parser("set", help="store a secret (read from stdin when it is not a terminal)")
    secret_set.add_argument("integration")
    secret_set.add_argument("name")
    secret_del = secret_sub.add_parser("delete", help="delete a secret")
    secret_del.add_argument("integration")
    secret_del.add_argument("name")

    config = sub.add_parser("config", help="check the configuration or show where files are")
    config_sub = config.add_subparsers(dest="action", metavar="ACTION", required=True)
    config_sub.add_parser("check", help="validate the configuration file")
    config_sub.add_parser("paths", help="where configuration, data and logs are")

    autostart = sub.add_parser("autostart", help="start the tray app at login: enable, disable, status",
                               description="Start the tray app (minimised to the tray) when you log in: a "
                                           "per-user entry (Windows: HKCU Run; Linux: ~/.config/autostart; "
                                           "macOS: ~/Library/LaunchAgents). The tray menu's 'Start at login' "
                                           "does the same.")
    autostart_sub = autostart.add_subparsers(dest="action", metavar="ACTION", required=True)
    autostart_sub.add_parser("enable", help="start the tray app at login")
    autostart_sub.add_parser("disable", help="do not start it at login")
    autostart_sub.add_parser("status", help="whether it starts at login, and with which command")

    service = sub.add_parser("service", help="the background service: the scheduler with nobody logged in",
                             description="Registers 'trayapp run --headless' with the operating system so it "
                                         "starts with the computer and runs with nobody logged in (Linux: a "
                                         "systemd unit; Windows: a Task Scheduler task at startup; macOS: "
                                         "launchd). The tray app then shows it and does not schedule itself.")
    service_sub = service.add_subparsers(dest="action", metavar="ACTION", required=True)
    install = service_sub.add_parser("install", help="register the service and start it",
                                     description="Linux: as root a system unit (User= --run-as, default the "
                                                 "sudo user), else a user unit (then: sudo loginctl "
                                                 "enable-linger USER). Secrets come from "
                                                 "TRAYAPP_SECRET_<INTEGRATION>_<NAME> in the unit's 0600 "
                                                 "environment file. Windows: run as administrator; asks for "
                                                 "the user's password.")
    install.add_argument("--no-start", action="store_true", help="register it, but start it only at the next boot")
    install.add_argument("--run-as", metavar="USER",
                         help="the user whose configuration the service runs (default: the sudo user / you)")
    remove_service = service_sub.add_parser("remove", help="stop and unregister the service")
    remove_service.add_argument("--purge", action="store_true", help="also delete its secrets file")
    service_start = service_sub.add_parser("start", help="start the service now")
    service_stop = service_sub.add_parser("stop", help="stop it (running operations finish their current record)")
    service_status = service_sub.add_parser("status", help="installed, running, and which integrations a "
                                                           "scheduler drives")
    for action in (install, remove_service, service_start, service_stop, service_status):
        action.add_argument("--scope", choices=("system", "user"),
                            help="Linux/macOS: system-wide (root) or this user's (default: the installed one; "
                                 "system when root)")
    return parser


class _Subcommands:
    """add_parser with the common options (--json, -v) on every command and sub-command."""

    def __init__(self, action, common: argparse.ArgumentParser) -> None:
        self._action, self._common = action, common

    def add_parser(self, name: str, **kwargs):
        parser = self._action.add_parser(name, parents=[self._common], **kwargs)
        original = parser.add_subparsers

        def add_subparsers(**options):
            return _Subcommands(original(**options), self._common)

        parser.add_subparsers = add_subparsers  # type: ignore[method-assign]
        return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.home:
        import os

        os.environ["TRAYAPP_HOME"] = str(Path(args.home).expanduser().resolve())
    paths = app_paths().ensure()
    from trayapp.logs import setup_logging

    setup_logging(paths.log_dir, console_level="INFO" if args.verbose else None)
    if args.command is None:
        return _start_ui(paths, autostart=args.autostart)
    handler = {"demo": cmd_demo, "run": cmd_run, "sync": cmd_sync, "status": cmd_status, "history": cmd_history,
               "integration": cmd_integration, "secret": cmd_secret, "config": cmd_config,
               "autostart": cmd_autostart, "service": cmd_service}[args.command]
    try:
        return handler(args, paths)
    except TrayappError as exc:
        _fail(args, str(exc))
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130


# ---------------------------------------------------------------- helpers

def _out(args: argparse.Namespace, data: Any, text: str) -> None:
    if args.json:
        print(json.dumps(data, indent=2, default=str, ensure_ascii=False))
    elif text:
        print(text)


def _fail(args: argparse.Namespace, message: str) -> None:
    if getattr(args, "json", False):
        print(json.dumps({"error": message}, ensure_ascii=False))
    else:
        print(f"trayapp: error: {message}", file=sys.stderr)


def _config(paths: AppPaths) -> Config:
    return load_config(paths.config_file)


def _engine(paths: AppPaths, config: Config | None = None):
    from trayapp.engine import Engine
    from trayapp.journal import Journal

    engine = Engine(Journal(paths.journal_file), paths.locks_dir)
    if config is not None:
        engine.keep_quiet_runs = config.settings.event_history
    return engine


def _local(moment: datetime | None) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S") if moment else "-"


def _parse_since(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ConfigError(f"--since {text!r}: expected a date like 2026-11-01 or 2026-11-01T08:00") from None
    if moment.tzinfo is None:
        moment = moment.astimezone()  # local wall time, as the user means it
    return moment.astimezone(UTC)


def exit_code(results: list[RunResult]) -> int:
    if any(r.status in ("failed", "busy") for r in results):
        return EXIT_ERROR
    if any(r.status in ("partial", "cancelled") for r in results):
        return EXIT_PARTIAL
    return EXIT_OK


def format_result(result: RunResult) -> str:
    head = (f"{result.integration} {result.operation}: {result.status} in {result.duration:.1f}s — "
            f"created {result.created}, updated {result.updated}, skipped {result.skipped}, failed {result.failed}")
    lines = [head]
    if result.error:
        lines.append(f"  error: {result.error}")
    for key, reason in result.failures[:50]:
        lines.append(f"  failed {key}: {reason}")
    if len(result.failures) > 50:
        lines.append(f"  ... and {len(result.failures) - 50} more (trayapp history --run {result.run_id})")
    if result.dry_run:
        for change in result.planned:
            if change.action != "fail":
                lines.append(f"  would {change.action:<6} {change.key}  {change.detail}")
    return "\n".join(lines)


# ---------------------------------------------------------------- commands

def cmd_sync(args: argparse.Namespace, paths: AppPaths) -> int:
    config = _config(paths)
    integration = config.integration(args.integration)
    operations = args.operations or [op for op in OPERATIONS if integration.operation(op).enabled]
    unknown = [op for op in operations if op not in OPERATIONS]
    if unknown:
        raise ConfigError(f"unknown operation(s) {', '.join(unknown)}; expected: {', '.join(OPERATIONS)}")
    if not operations:
        raise ConfigError(f"integration {integration.name} has no enabled operation; name the ones to run")
    if args.all:
        scope = Scope("all", force=args.force)
    elif args.since:
        scope = Scope("since", since=_parse_since(args.since), force=args.force)
    elif args.range:
        first, sep, last = args.range.partition("..")
        if not sep or not first or not last:
            raise ConfigError(f"--range {args.range!r}: expected FROM..TO, e.g. 1000..1200")
        scope = Scope("range", first=first, last=last, force=args.force)
    else:
        scope = Scope(force=args.force)
    engine = _engine(paths, config)
    results = []
    for op in operations:
        result = engine.run(integration, op, trigger="manual", scope=scope, dry_run=args.dry_run)
        results.append(result)
        if not args.json:
            print(format_result(result), flush=True)
    if args.json:
        _out(args, {"results": [r.as_dict() for r in results], "exit_code": exit_code(results)}, "")
    return exit_code(results)


def cmd_status(args: argparse.Namespace, paths: AppPaths) -> int:
    from trayapp.scheduler import is_driven

    config = _config(paths)
    engine = _engine(paths)
    last = engine.journal.last_runs()
    data: dict[str, Any] = {"version": __version__, "config_file": str(paths.config_file),
                            "data_dir": str(paths.data_dir), "log_dir": str(paths.log_dir), "integrations": []}
    lines = [f"trayapp {__version__}", f"config: {paths.config_file}", f"data:   {paths.data_dir}",
             f"logs:   {paths.log_dir}", ""]
    if not config.integrations:
        lines.append("No integration configured. Try: trayapp demo   (or: trayapp integration add --help)")
    for integration in config.integrations:
        driven = is_driven(engine.lock_path(integration.name, "driver"))
        scheduled = integration.active and integration.automatic_sync
        entry: dict[str, Any] = {"name": integration.name, "active": integration.active,
                                 "automatic_sync": integration.automatic_sync, "scheduler_running": driven,
                                 "shop": integration.shop.url, "operations": []}
        state = "scheduler running" if driven else "no scheduler running"
        flags = "active" if integration.active else "inactive"
        flags += ", automatic sync on" if integration.automatic_sync else ", automatic sync off"
        lines.append(f"{integration.name}  ({flags}; {state})  -> {integration.shop.url}")
        for op in OPERATIONS:
            cfg = integration.operation(op)
            run = last.get((integration.name, op))
            next_run = None
            if driven and scheduled and cfg.enabled:
                scheduled_run = engine.journal.runs(limit=1, integration=integration.name, operation=op)
                base = scheduled_run[0].started_at if scheduled_run else None
                next_run = base + _seconds(cfg.interval) if base else None
            entry["operations"].append({
                "operation": op, "enabled": cfg.enabled, "interval": cfg.interval,
                "last_run": run.as_dict() if run else None,
                "next_run": next_run.isoformat() if next_run else None})
            if not cfg.enabled and run is None:
                continue
            summary = "never run" if run is None else (
                f"last {_local(run.started_at)} {run.status}: {run.created} created, {run.updated} updated, "
                f"{run.skipped} skipped, {run.failed} failed" + (f" - {run.error}" if run.error else ""))
            every = f"every {_duration_text(cfg.interval)}" if cfg.enabled else "disabled"
            upcoming = f"; next ~{_local(next_run)}" if next_run else ""
            lines.append(f"  {op:<22} {every:<12} {summary}{upcoming}")
        data["integrations"].append(entry)
    _out(args, data, "\n".join(lines))
    return EXIT_OK


def _seconds(value: float):
    from datetime import timedelta

    return timedelta(seconds=value)


def _duration_text(seconds: float) -> str:
    if seconds >= 3600 and seconds % 3600 == 0:
        return f"{int(seconds // 3600)}h"
    if seconds >= 60 and seconds % 60 == 0:
        return f"{int(seconds // 60)}m"
    return f"{seconds:g}s"


def cmd_history(args: argparse.Namespace, paths: AppPaths) -> int:
    engine = _engine(paths)
    journal = engine.journal
    if args.run:
        runs = [r for r in journal.runs(limit=1, after_id=args.run - 1) if r.id == args.run]
        if not runs:
            raise ConfigError(f"no run with id {args.run}")
        run = runs[0]
        failures = journal.run_failures(run.id)
        data = {**run.as_dict(), "failures": [{"key": k, "reason": r} for k, r in failures]}
        text = [f"run {run.id}: {run.integration} {run.operation} ({run.trigger}) {run.status}",
                f"  started {_local(run.started_at)}, {run.duration or 0:.1f}s; created {run.created}, "
                f"updated {run.updated}, skipped {run.skipped}, failed {run.failed}"]
        if run.error:
            text.append(f"  error: {run.error}")
        text += [f"  failed {k}: {r}" for k, r in failures]
        _out(args, data, "\n".join(text))
        return EXIT_OK
    runs = journal.runs(limit=args.limit, integration=args.integration, operation=args.operation,
                        status=args.status)
    lines = [f"{'id':>6}  {'started':<19}  {'integration':<12} {'operation':<22} {'trigger':<9} {'result':<11} "
             f"{'new':>5} {'upd':>5} {'skip':>6} {'fail':>5} {'secs':>6}"]
    for r in runs:
        lines.append(f"{r.id:>6}  {_local(r.started_at):<19}  {r.integration[:12]:<12} {r.operation:<22} "
                     f"{r.trigger:<9} {r.status:<11} {r.created:>5} {r.updated:>5} {r.skipped:>6} {r.failed:>5} "
                     f"{(r.duration or 0):>6.1f}" + (f"  {r.error}" if r.error else ""))
    if not runs:
        lines = ["No runs recorded yet."]
    _out(args, {"runs": [r.as_dict() for r in runs]}, "\n".join(lines))
    return EXIT_OK


def cmd_integration(args: argparse.Namespace, paths: AppPaths) -> int:
    config = _config(paths)
    if args.action == "list":
        data = [{"name": i.name, "active": i.active, "automatic_sync": i.automatic_sync, "platform": i.shop.platform,
                 "url": i.shop.url, "profile": i.erp.profile,
                 "operations": [op for op in OPERATIONS if i.operation(op).enabled]} for i in config.integrations]
        text = "\n".join(f"{d['name']}: {d['platform']} {d['url']} <- profile {d['profile']}; "
                         f"{'active' if d['active'] else 'inactive'}; operations: {', '.join(d['operations']) or '-'}"
                         for d in data) or "No integration configured."
        _out(args, {"integrations": data}, text)
        return EXIT_OK
    if args.action == "remove":
        config = config.without_integration(args.name)
        save_config(config, paths.config_file)
        if args.forget:
            _engine(paths).journal.forget_integration(args.name)
        _out(args, {"removed": args.name}, f"Removed integration {args.name}.")
        return EXIT_OK
    # add
    if not args.replace and any(i.name == args.name for i in config.integrations):
        raise ConfigError(f"an integration named '{args.name}' exists already (use --replace to overwrite it)",
                          path=str(paths.config_file))
    interval = parse_duration(args.interval, key="--interval")
    operations = {op: OperationConfig(op, enabled=op in args.operations, interval=interval) for op in OPERATIONS}
    integration = Integration(
        name=args.name, active=not args.inactive,
        erp=ErpConfig(connection=args.erp, profile=args.profile, password_secret=args.erp_password_secret),
        shop=ShopConfig(platform=args.platform, url=args.url, key_secret=args.key_secret,
                        secret_secret=args.secret_secret),
        operations=operations)
    config = save_config(config.with_integration(integration), paths.config_file)
    needed = [n for n in (args.key_secret, args.secret_secret, args.erp_password_secret) if n]
    hint = "".join(f"\n  trayapp secret set {args.name} {n}" for n in needed)
    _out(args, {"added": args.name, "config_file": str(paths.config_file), "secrets_needed": needed},
         f"Added integration {args.name} to {paths.config_file}." + (f"\nNow store its secrets:{hint}" if hint else ""))
    return EXIT_OK


def cmd_secret(args: argparse.Namespace, paths: AppPaths) -> int:
    from trayapp.secrets import delete_secret, set_secret

    if args.action == "delete":
        deleted = delete_secret(args.integration, args.name)
        _out(args, {"deleted": deleted}, "Deleted." if deleted else "There was no such secret.")
        return EXIT_OK
    if sys.stdin.isatty():
        value = getpass.getpass(f"Secret '{args.name}' for {args.integration}: ")
    else:
        value = sys.stdin.readline().rstrip("\r\n")
    set_secret(args.integration, args.name, value)
    _out(args, {"stored": args.name, "integration": args.integration},
         f"Stored secret '{args.name}' for {args.integration} in the keyring.")
    return EXIT_OK


def cmd_config(args: argparse.Namespace, paths: AppPaths) -> int:
    if args.action == "paths":
        data = {"config_file": str(paths.config_file), "profiles_dir": str(paths.profiles_dir),
                "data_dir": str(paths.data_dir), "journal": str(paths.journal_file), "log_dir": str(paths.log_dir)}
        _out(args, data, "\n".join(f"{k}: {v}" for k, v in data.items()))
        return EXIT_OK
    config = _config(paths)
    from trayapp.erp.profile import load_profile

    for integration in config.integrations:
        load_profile(integration.erp.profile)
    _out(args, {"ok": True, "integrations": len(config.integrations)},
         f"{paths.config_file}: OK ({len(config.integrations)} integration(s))")
    return EXIT_OK


def cmd_run(args: argparse.Namespace, paths: AppPaths) -> int:
    if not args.headless:
        return _start_ui(paths)
    service = make_service(paths)
    return serve_until_signal(service, args)


def make_service(paths: AppPaths, **options: Any):
    from trayapp.scheduler import SchedulerService

    engine = _engine(paths)
    engine.prune_history()
    return SchedulerService(engine, paths.config_file, locks_dir=paths.locks_dir, **options)


def serve_until_signal(service, args: argparse.Namespace, *, duration: float = 0.0) -> int:
    """Run the scheduler until SIGINT/SIGTERM (or `duration` seconds), then stop it gracefully."""
    stop = threading.Event()

    def on_signal(signum, _frame) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    printer = _RunPrinter(args.json)
    service.engine.add_listener(printer)
    try:
        service.start()
        if service.config_error:
            _fail(args, service.config_error)
            return EXIT_ERROR
        if not args.json:
            names = ", ".join(i.name for i in service.config.integrations) or "none"
            print(f"trayapp {__version__}: scheduler running for: {names}. Ctrl+C stops.", flush=True)
        stop.wait(duration or None)
    finally:
        if not args.json:
            print("Stopping: letting running operations finish...", flush=True)
        service.stop(wait=True)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return EXIT_OK


class _RunPrinter:
    def __init__(self, as_json: bool) -> None:
        self.as_json = as_json

    def __call__(self, event: str, result: RunResult) -> None:
        if event != "finished":
            return
        if self.as_json:
            print(json.dumps(result.as_dict(), default=str), flush=True)
        elif result.status != "ok" or result.created or result.updated:
            print(f"{_local(result.finished_at)} {format_result(result)}", flush=True)


def cmd_demo(args: argparse.Namespace, paths: AppPaths) -> int:
    from trayapp.demo.runner import DemoRunner

    runner = DemoRunner(paths, port=args.port, order_every=args.order_every, reset=args.reset)
    if not args.no_gui:
        if _display_available():
            return _start_ui(paths, demo=runner)
        print("No display found: running the demo headless (use --no-gui to say so).", flush=True)
    with runner:
        if not args.json:
            print(runner.describe(), flush=True)
        return serve_until_signal(make_service(paths), args, duration=args.duration)


def _display_available() -> bool:
    import os

    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _start_ui(paths: AppPaths, demo: Any = None, *, autostart: bool = False) -> int:
    import os

    if not _display_available() and not os.environ.get("QT_QPA_PLATFORM"):
        print("trayapp: no display found: the tray app needs a desktop session. Without one use "
              "'trayapp run --headless' (or 'trayapp demo --no-gui').", file=sys.stderr)
        return EXIT_ERROR
    try:
        from trayapp.ui.app import run_app
    except ImportError as exc:
        print(f"trayapp: the tray app cannot start ({exc}); install PySide6 (pip install PySide6-Essentials), "
              "or use 'trayapp run --headless'.", file=sys.stderr)
        return EXIT_ERROR
    _revalidate_autostart()
    import inspect

    options = {"autostart": True} if autostart and "autostart" in inspect.signature(run_app).parameters else {}
    return run_app(paths, demo=demo, **options)


def _revalidate_autostart() -> None:
    """At every tray start: an existing start-at-login entry that no longer starts this installation
    (moved, updated, reinstalled) is rewritten; never fails the start."""
    try:
        from trayapp.platform import autostart

        autostart.revalidate()
    except Exception:
        log.exception("start at login: the entry could not be checked")


# ---------------------------------------------------------------- autostart, service

def cmd_autostart(args: argparse.Namespace, paths: AppPaths) -> int:
    from trayapp.platform import autostart

    manager = autostart.default()
    if args.action == "enable":
        state = manager.enable()
    elif args.action == "disable":
        state = manager.disable()
    else:
        state = manager.status()
    _out(args, state.as_dict(), _autostart_text(state))
    return EXIT_OK


def _autostart_text(state) -> str:
    if not state.supported:
        return f"Start at login: not supported here ({state.problem})."
    if state.enabled:
        lines = [f"Start at login: on ({state.path})"]
    elif state.disabled_by_user:
        lines = [f"Start at login: off - switched off in the system's startup settings ({state.path}); "
                 "'trayapp autostart enable' switches it on again"]
    else:
        lines = ["Start at login: off"]
    if state.command is not None:
        lines.append(f"  starts: {_shell_words(state.command)}")
    if state.stale and state.expected:
        lines.append(f"  this installation would start: {_shell_words(state.expected)} "
                     "(rewritten when the tray app starts, or now with 'trayapp autostart enable')")
    if state.problem:
        lines.append(f"  problem: {state.problem}")
    return "\n".join(lines)


def _shell_words(words: list[str]) -> str:
    import shlex

    return " ".join(shlex.quote(w) for w in words)


def cmd_service(args: argparse.Namespace, paths: AppPaths) -> int:
    from trayapp.platform import PlatformError, service

    manager = service.default(paths, scope=getattr(args, "scope", None), run_as=getattr(args, "run_as", None))
    try:
        if args.action == "install":
            messages = manager.install(start=not args.no_start)
        elif args.action == "remove":
            messages = manager.remove(purge=args.purge)
        elif args.action == "start":
            messages = manager.start()
        elif args.action == "stop":
            messages = manager.stop()
        else:
            messages = []
    except PermissionError as exc:
        hint = " (a system service needs root: sudo, or --scope user)" if manager.scope == "system" else ""
        raise PlatformError(f"permission denied: {exc.filename or exc}{hint}") from None
    state = manager.status()
    _out(args, {"action": args.action, "messages": messages, **state.as_dict()},
         "\n".join([*messages, _service_text(state)]))
    return EXIT_OK


def _service_text(state) -> str:
    kind = {"systemd": f"systemd {state.scope} unit", "task-scheduler": "scheduled task",
            "launchd": "LaunchDaemon" if state.scope == "system" else "LaunchAgent"}[state.manager]
    if not state.installed:
        head = f"Background service: not installed (would be the {kind} {state.definition})"
    else:
        flags = ["enabled" if state.enabled else "not enabled" if state.enabled is False else "enabled: unknown",
                 "running" if state.running else "not running" if state.running is False else "running: unknown"]
        head = f"Background service: installed ({kind} {state.definition}), {', '.join(flags)}"
    lines = [head, f"  runs: {_shell_words(state.command)}" + (f"  (as {state.run_as})" if state.run_as else "")]
    for item in state.integrations:
        who = "a scheduler drives it (the service or a tray app)" if item["driven"] else "no scheduler drives it"
        lines.append(f"  {item['name']}: {who}")
    lines += [f"  note: {hint}" for hint in state.hints]
    return "\n".join(lines)

