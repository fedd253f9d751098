"""trayapp's own state, in SQLite: bindings, content hashes, watermarks, run history, open failures.

The journal sits beside the ERP, not inside it, so it can never be the only guard against
duplicate orders (the ERP's external reference is). It is written in WAL mode with
synchronous=NORMAL: a killed process loses nothing that was committed (only a power cut could
drop the last transactions, which the ERP-side checks then repair).

One connection per thread; every public method is its own transaction unless noted.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS bindings (
    integration TEXT NOT NULL, entity TEXT NOT NULL, shop_id TEXT NOT NULL, erp_key TEXT NOT NULL,
    updated_at TEXT NOT NULL, PRIMARY KEY (integration, entity, shop_id));
CREATE INDEX IF NOT EXISTS bindings_by_erp ON bindings (integration, entity, erp_key);
CREATE TABLE IF NOT EXISTS hashes (
    integration TEXT NOT NULL, direction TEXT NOT NULL, key TEXT NOT NULL, hash TEXT NOT NULL,
    PRIMARY KEY (integration, direction, key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS watermarks (
    integration TEXT NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL, updated_at TEXT NOT NULL,
    PRIMARY KEY (integration, name));
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY, integration TEXT NOT NULL, operation TEXT NOT NULL, trigger TEXT NOT NULL,
    scope TEXT NOT NULL DEFAULT '', started_at TEXT NOT NULL, finished_at TEXT, status TEXT NOT NULL,
    created INTEGER NOT NULL DEFAULT 0, updated INTEGER NOT NULL DEFAULT 0,
    skipped INTEGER NOT NULL DEFAULT 0, failed INTEGER NOT NULL DEFAULT 0,
    duration REAL, error TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS runs_by_op ON runs (integration, operation, id);
CREATE TABLE IF NOT EXISTS run_failures (
    run_id INTEGER NOT NULL, record_key TEXT NOT NULL, reason TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS run_failures_by_run ON run_failures (run_id);
CREATE TABLE IF NOT EXISTS open_failures (
    integration TEXT NOT NULL, operation TEXT NOT NULL, record_key TEXT NOT NULL, reason TEXT NOT NULL,
    first_seen TEXT NOT NULL, last_seen TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (integration, operation, record_key));
"""

RUN_STATUSES = ("running", "ok", "partial", "failed", "cancelled", "interrupted")


def now_utc() -> datetime:
    return datetime.now(UTC)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _parse(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


@dataclass(slots=True)
class RunRecord:
    id: int
    integration: str
    operation: str
    trigger: str
    scope: str
    started_at: datetime
    finished_at: datetime | None
    status: str
    created: int
    updated: int
    skipped: int
    failed: int
    duration: float | None
    error: str

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id, "integration": self.integration, "operation": self.operation,
            "trigger": self.trigger, "scope": self.scope, "started_at": _iso(self.started_at),
            "finished_at": _iso(self.finished_at) if self.finished_at else None, "status": self.status,
            "created": self.created, "updated": self.updated, "skipped": self.skipped,
            "failed": self.failed, "duration": self.duration, "error": self.error,
        }


class Journal:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._db().executescript(SCHEMA)

    # -- connection handling

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA busy_timeout=30000")
            self._local.db = db
        return db

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        db = self._db()
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None

    # -- bindings: shop record <-> ERP record

    def binding(self, integration: str, entity: str, shop_id: str) -> str | None:
        row = self._db().execute(
            "SELECT erp_key FROM bindings WHERE integration=? AND entity=? AND shop_id=?",
            (integration, entity, shop_id)).fetchone()
        return row[0] if row else None

    def bindings(self, integration: str, entity: str) -> dict[str, str]:
        """shop_id -> erp_key for the whole entity."""
        rows = self._db().execute("SELECT shop_id, erp_key FROM bindings WHERE integration=? AND entity=?",
                                  (integration, entity))
        return dict(rows)

    def erp_bindings(self, integration: str, entity: str) -> dict[str, str]:
        """erp_key -> shop_id for the whole entity (products: SKU -> shop ref)."""
        rows = self._db().execute("SELECT erp_key, shop_id FROM bindings WHERE integration=? AND entity=?",
                                  (integration, entity))
        return dict(rows)

    def bind(self, integration: str, entity: str, pairs: Iterable[tuple[str, str]]) -> None:
        """(shop_id, erp_key) pairs; an existing binding of the same ERP key is replaced."""
        stamp = _iso(now_utc())
        with self._tx() as db:
            for shop_id, erp_key in pairs:
                db.execute("DELETE FROM bindings WHERE integration=? AND entity=? AND erp_key=? AND shop_id<>?",
                           (integration, entity, erp_key, shop_id))
                db.execute("INSERT OR REPLACE INTO bindings VALUES (?,?,?,?,?)",
                           (integration, entity, shop_id, erp_key, stamp))

    # -- content hashes: what was last sent, per record and direction

    def hashes(self, integration: str, direction: str) -> dict[str, str]:
        rows = self._db().execute("SELECT key, hash FROM hashes WHERE integration=? AND direction=?",
                                  (integration, direction))
        return dict(rows)

    def set_hashes(self, integration: str, direction: str, items: Iterable[tuple[str, str]]) -> None:
        with self._tx() as db:
            db.executemany("INSERT OR REPLACE INTO hashes VALUES (?,?,?,?)",
                           ((integration, direction, key, value) for key, value in items))

    def forget_hashes(self, integration: str, direction: str, keys: Iterable[str] | None = None) -> None:
        """Forget what was sent (all, or these keys): the next run sends them again."""
        with self._tx() as db:
            if keys is None:
                db.execute("DELETE FROM hashes WHERE integration=? AND direction=?", (integration, direction))
            else:
                db.executemany("DELETE FROM hashes WHERE integration=? AND direction=? AND key=?",
                               ((integration, direction, k) for k in keys))

    # -- watermarks (UTC)

    def watermark(self, integration: str, name: str) -> datetime | None:
        row = self._db().execute("SELECT value FROM watermarks WHERE integration=? AND name=?",
                                 (integration, name)).fetchone()
        return _parse(row[0]) if row else None

    def set_watermark(self, integration: str, name: str, value: datetime) -> None:
        with self._tx() as db:
            db.execute("INSERT OR REPLACE INTO watermarks VALUES (?,?,?,?)",
                       (integration, name, _iso(value), _iso(now_utc())))

    # -- run history

    def start_run(self, integration: str, operation: str, trigger: str, scope: str,
                  started_at: datetime) -> int:
        with self._tx() as db:
            cursor = db.execute(
                "INSERT INTO runs (integration, operation, trigger, scope, started_at, status) "
                "VALUES (?,?,?,?,?, 'running')", (integration, operation, trigger, scope, _iso(started_at)))
            return int(cursor.lastrowid or 0)

    def finish_run(self, run_id: int, *, status: str, finished_at: datetime, created: int, updated: int,
                   skipped: int, failed: int, duration: float, error: str,
                   failures: Iterable[tuple[str, str]] = ()) -> None:
        with self._tx() as db:
            db.execute("UPDATE runs SET status=?, finished_at=?, created=?, updated=?, skipped=?, failed=?, "
                       "duration=?, error=? WHERE id=?",
                       (status, _iso(finished_at), created, updated, skipped, failed, duration, error, run_id))
            db.executemany("INSERT INTO run_failures VALUES (?,?,?)",
                           ((run_id, key, reason) for key, reason in failures))

    def mark_interrupted_runs(self, integration: str, operation: str) -> int:
        """Runs of this operation left 'running' by a process that died. Call only while holding the
        operation's run lock (then nobody else can be running it)."""
        with self._tx() as db:
            return db.execute("UPDATE runs SET status='interrupted', error='the process stopped during the run' "
                              "WHERE status='running' AND integration=? AND operation=?",
                              (integration, operation)).rowcount

    def drop_older_quiet_runs(self, run_id: int) -> None:
        """Event history off: of the runs that changed nothing, keep only the latest (this one)."""
        with self._tx() as db:
            row = db.execute("SELECT integration, operation FROM runs WHERE id=?", (run_id,)).fetchone()
            if row is not None:
                db.execute("DELETE FROM runs WHERE integration=? AND operation=? AND id<? AND status='ok' "
                           "AND created=0 AND updated=0 AND failed=0", (row[0], row[1], run_id))

    def prune_runs(self, before: datetime) -> int:
        with self._tx() as db:
            count = db.execute("DELETE FROM runs WHERE started_at < ? AND status <> 'running'",
                               (_iso(before),)).rowcount
            db.execute("DELETE FROM run_failures WHERE run_id NOT IN (SELECT id FROM runs)")
            return count

    def runs(self, *, limit: int = 100, integration: str | None = None, operation: str | None = None,
             status: str | None = None, after_id: int = 0) -> list[RunRecord]:
        clauses, params = ["id > ?"], [after_id]
        for column, value in (("integration", integration), ("operation", operation), ("status", status)):
            if value:
                clauses.append(f"{column} = ?")
                params.append(value)
        rows = self._db().execute(
            "SELECT id, integration, operation, trigger, scope, started_at, finished_at, status, created, "
            f"updated, skipped, failed, duration, error FROM runs WHERE {' AND '.join(clauses)} "
            "ORDER BY id DESC LIMIT ?", (*params, limit)).fetchall()
        return [_run(row) for row in rows]

    def last_runs(self) -> dict[tuple[str, str], RunRecord]:
        """The latest run of each (integration, operation)."""
        rows = self._db().execute(
            "SELECT id, integration, operation, trigger, scope, started_at, finished_at, status, created, "
            "updated, skipped, failed, duration, error FROM runs WHERE id IN "
            "(SELECT MAX(id) FROM runs GROUP BY integration, operation)").fetchall()
        return {(r[1], r[2]): _run(r) for r in rows}

    def last_finished_run(self, integration: str, operation: str) -> RunRecord | None:
        row = self._db().execute(
            "SELECT id, integration, operation, trigger, scope, started_at, finished_at, status, created, "
            "updated, skipped, failed, duration, error FROM runs WHERE integration=? AND operation=? "
            "AND status NOT IN ('running') ORDER BY id DESC LIMIT 1", (integration, operation)).fetchone()
        return _run(row) if row else None

    def run_failures(self, run_id: int) -> list[tuple[str, str]]:
        return list(self._db().execute("SELECT record_key, reason FROM run_failures WHERE run_id=?", (run_id,)))

    # -- open failures: records that failed and must be retried

    def open_failures(self, integration: str, operation: str) -> dict[str, str]:
        rows = self._db().execute(
            "SELECT record_key, reason FROM open_failures WHERE integration=? AND operation=?",
            (integration, operation))
        return dict(rows)

    def note_failures(self, integration: str, operation: str, failures: Iterable[tuple[str, str]]) -> None:
        stamp = _iso(now_utc())
        with self._tx() as db:
            for key, reason in failures:
                db.execute(
                    "INSERT INTO open_failures VALUES (?,?,?,?,?,?,1) ON CONFLICT "
                    "(integration, operation, record_key) DO UPDATE SET reason=excluded.reason, "
                    "last_seen=excluded.last_seen, attempts=attempts+1",
                    (integration, operation, key, reason, stamp, stamp))

    def clear_failures(self, integration: str, operation: str, keys: Iterable[str]) -> None:
        with self._tx() as db:
            db.executemany("DELETE FROM open_failures WHERE integration=? AND operation=? AND record_key=?",
                           ((integration, operation, k) for k in keys))

    def rename_integration(self, old: str, new: str) -> None:
        """Carry an integration's whole state (bindings, hashes, watermarks, history) over to a new name."""
        with self._tx() as db:
            for table in ("bindings", "hashes", "watermarks", "open_failures", "runs"):
                db.execute(f"UPDATE {table} SET integration=? WHERE integration=?", (new, old))

    def forget_integration(self, integration: str) -> None:
        with self._tx() as db:
            for table in ("bindings", "hashes", "watermarks", "open_failures"):
                db.execute(f"DELETE FROM {table} WHERE integration=?", (integration,))


def _run(row: tuple) -> RunRecord:
    return RunRecord(row[0], row[1], row[2], row[3], row[4], datetime.fromisoformat(row[5]), _parse(row[6]),
                     row[7], row[8], row[9], row[10], row[11], row[12], row[13])
