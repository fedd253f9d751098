"""Journal: bindings, hashes, watermarks, runs and open failures survive reopening."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

from trayapp.journal import Journal


def test_state_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    journal = Journal(path)
    journal.bind("a", "order", [("101", "ERP-1"), ("102", "ERP-2")])
    journal.set_hashes("a", "stock", [("SKU1", "5"), ("SKU2", "0")])
    mark = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)
    journal.set_watermark("a", "import-orders", mark)
    journal.close()

    again = Journal(path)
    assert again.binding("a", "order", "101") == "ERP-1"
    assert again.binding("b", "order", "101") is None  # per integration
    assert again.hashes("a", "stock") == {"SKU1": "5", "SKU2": "0"}
    assert again.watermark("a", "import-orders") == mark


def test_rebinding_an_erp_key_replaces_the_old_shop_id(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.sqlite3")
    journal.bind("a", "product", [("11", "SKU1")])
    journal.bind("a", "product", [("12", "SKU1")])
    assert journal.erp_bindings("a", "product") == {"SKU1": "12"}
    assert journal.bindings("a", "product") == {"12": "SKU1"}


def test_runs_failures_and_pruning(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.sqlite3")
    start = datetime.now(UTC) - timedelta(days=100)
    old = journal.start_run("a", "update-stock", "scheduled", "", start)
    journal.finish_run(old, status="ok", finished_at=start, created=0, updated=1, skipped=2, failed=0,
                       duration=0.1, error="")
    run = journal.start_run("a", "import-orders", "manual", "all", datetime.now(UTC))
    journal.finish_run(run, status="partial", finished_at=datetime.now(UTC), created=3, updated=0, skipped=0,
                       failed=1, duration=1.5, error="", failures=[("105", "unknown SKU X")])
    assert journal.run_failures(run) == [("105", "unknown SKU X")]
    assert journal.last_runs()[("a", "import-orders")].status == "partial"
    assert journal.prune_runs(datetime.now(UTC) - timedelta(days=90)) == 1
    assert [r.id for r in journal.runs()] == [run]


def test_interrupted_runs_are_marked_per_operation(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.sqlite3")
    a = journal.start_run("a", "import-orders", "scheduled", "", datetime.now(UTC))
    b = journal.start_run("a", "update-stock", "scheduled", "", datetime.now(UTC))
    assert journal.mark_interrupted_runs("a", "import-orders") == 1
    statuses = {r.id: r.status for r in journal.runs()}
    assert statuses == {a: "interrupted", b: "running"}


def test_open_failures_count_attempts_and_clear(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.sqlite3")
    journal.note_failures("a", "import-orders", [("7", "bad")])
    journal.note_failures("a", "import-orders", [("7", "still bad"), ("8", "bad")])
    assert journal.open_failures("a", "import-orders") == {"7": "still bad", "8": "bad"}
    journal.clear_failures("a", "import-orders", ["7"])
    assert journal.open_failures("a", "import-orders") == {"8": "bad"}


def test_quiet_runs_are_dropped_when_history_is_off(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.sqlite3")
    ids = []
    for updated in (0, 3, 0, 0):
        run = journal.start_run("a", "update-stock", "scheduled", "", datetime.now(UTC))
        journal.finish_run(run, status="ok", finished_at=datetime.now(UTC), created=0, updated=updated,
                           skipped=0, failed=0, duration=0.0, error="")
        ids.append(run)
    journal.drop_older_quiet_runs(ids[-1])
    assert sorted(r.id for r in journal.runs()) == [ids[1], ids[3]]


def test_concurrent_writers_from_threads(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.sqlite3")

    def writer(n: int) -> None:
        for i in range(50):
            journal.set_hashes("a", "stock", [(f"T{n}-{i}", str(i))])

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(journal.hashes("a", "stock")) == 200


def test_renaming_an_integration_keeps_its_state(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.sqlite3")
    journal.bind("old", "order", [("101", "ERP-1")])
    journal.set_hashes("old", "stock", [("SKU1", "5")])
    journal.set_watermark("old", "import-orders", datetime(2026, 1, 1, tzinfo=UTC))
    run = journal.start_run("old", "update-stock", "scheduled", "", datetime.now(UTC))
    journal.note_failures("old", "import-orders", [("7", "bad")])
    journal.rename_integration("old", "new")
    assert journal.binding("new", "order", "101") == "ERP-1" and journal.binding("old", "order", "101") is None
    assert journal.hashes("new", "stock") == {"SKU1": "5"}
    assert journal.watermark("new", "import-orders") is not None
    assert journal.runs(integration="new")[0].id == run
    assert journal.open_failures("new", "import-orders") == {"7": "bad"}
