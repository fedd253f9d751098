"""`python -m trayapp.bench`: trayapp against a naive one-request-per-record client, on a local shop.

Prints progress, then a table and a JSON document (also written with --json-out). See docs/benchmark.md.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from trayapp.bench.scenarios import FULL, QUICK, SCENARIOS, Bench, Options, ScenarioResult

DEFAULT_NAIVE_LIMIT = 10_000
SHOP_NOTE = {False: "IndexedShopServer (trayapp.demo.shop_server with SKU/GTIN/variation indexes)",
             True: "the unmodified contract ShopServer (--plain-server)"}


def settings_note(plain_server: bool) -> str:
    return (f"requests_per_second = 0 (no throttle) on both sides; shop = {SHOP_NOTE[plain_server]} in the "
            "driver process on 127.0.0.1; every measured sync runs in its own child process")


def _machine() -> dict[str, Any]:
    model = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    memory = None
    with contextlib.suppress(ValueError, OSError, AttributeError):
        memory = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    return {"cpus": os.cpu_count(), "cpu_model": model, "memory_gib": memory, "platform": platform.platform(),
            "python": platform.python_version()}


def _num(value: float) -> str:
    return f"{value:,.0f}"


def _seconds(value: float) -> str:
    return f"{value:,.2f}" if value < 100 else f"{value:,.0f}"


def format_table(results: list[ScenarioResult]) -> str:
    header = ("scenario", "side", "run", "wall s", "GET", "POST", "PUT", "writes", "peak RSS MiB", "records",
              "speed-up")
    rows: list[tuple[str, ...]] = []
    for result in results:
        tray_walls = {m.label: m.wall for m in result.measurements if m.side == "trayapp"}
        for m in result.measurements:
            mark = "~" if m.extrapolated else ""
            versus = ""
            if m.side == "trayapp":
                naive = next((n for n in result.measurements if n.side == "naive" and n.label == m.label), None)
                if naive is not None and m.wall:
                    versus = f"{'~' if naive.extrapolated else ''}{naive.wall / m.wall:,.1f}x"
            elif m.label in tray_walls:
                versus = "baseline"
            requests = m.requests
            rows.append((result.name, m.side, m.label, mark + _seconds(m.wall), mark + _num(requests.get("GET", 0)),
                         mark + _num(requests.get("POST", 0)), mark + _num(requests.get("PUT", 0)),
                         mark + _num(m.writes), f"{m.peak_rss_mib:,.0f}", _num(m.records), versus))
    widths = [max(len(str(row[i])) for row in (header, *rows)) for i in range(len(header))]
    right = {3, 4, 5, 6, 7, 8, 9}

    def line(row: tuple[str, ...]) -> str:
        return "  ".join(str(cell).rjust(widths[i]) if i in right else str(cell).ljust(widths[i])
                         for i, cell in enumerate(row)).rstrip()

    out = [line(header), "  ".join("-" * w for w in widths)]
    previous = None
    for row in rows:
        if previous is not None and row[0] != previous:
            out.append("")
        out.append(line(row))
        previous = row[0]
    out.append("")
    out.append("~ = naive figure extrapolated linearly from the first --naive-limit records (see JSON 'measured').")
    out.append("writes = POST+PUT+PATCH+DELETE requests counted by the shop; RSS = the syncing process's own peak.")
    out.append("")
    out.append("Targets:")
    for result in results:
        for target in result.targets:
            status = "PASS" if target.passed else "FAIL"
            out.append(f"  [{status}] {target.name}: expected {target.expected}, got {target.actual}")
    notes = [(r.name, note) for r in results for note in r.notes]
    if notes:
        out.append("")
        out.append("Notes:")
        out.extend(f"  {name}: {note}" for name, note in notes)
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m trayapp.bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small sizes, a smoke run of well under a minute")
    parser.add_argument("--scenario", action="append", choices=list(SCENARIOS), metavar="NAME",
                        help=f"run only this scenario (repeatable): {', '.join(SCENARIOS)}")
    parser.add_argument("--json-out", type=Path, metavar="PATH", help="also write the JSON document here")
    parser.add_argument("--naive-limit", type=int, default=DEFAULT_NAIVE_LIMIT, metavar="N",
                        help="the naive baseline sends at most N records per step and its figures are "
                             f"extrapolated linearly to all of them (default {DEFAULT_NAIVE_LIMIT:,}; 0 = no limit)")
    parser.add_argument("--workdir", type=Path, metavar="DIR",
                        help="where ERP files and journals go (default: a temporary directory, removed)")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    parser.add_argument("--profile-dir", type=Path, metavar="DIR",
                        help="write cProfile statistics of every measured run there (<scenario>.<side>.<run>.prof)")
    parser.add_argument("--plain-server", action="store_true",
                        help="use the unmodified contract ShopServer (its O(n) look-ups per product then "
                             "dominate; only for small sizes)")
    args = parser.parse_args(argv)
    if args.naive_limit < 0:
        parser.error("--naive-limit must be 0 (no limit) or more")

    names = list(dict.fromkeys(args.scenario or SCENARIOS))
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="trayapp-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    sizes = QUICK if args.quick else FULL
    limit = args.naive_limit or None
    options = Options(workdir=workdir, sizes=sizes, naive_limit=limit, plain_server=args.plain_server,
                      profile_dir=args.profile_dir, log=lambda text: print(text, file=sys.stderr, flush=True))
    bench = Bench(options)
    started_at = datetime.now(UTC)
    started = time.perf_counter()
    results: list[ScenarioResult] = []
    try:
        for name in names:
            options.log(f"== {name}")
            scenario_started = time.perf_counter()
            results.append(SCENARIOS[name](bench))
            options.log(f"   done in {time.perf_counter() - scenario_started:.1f} s")
    finally:
        if not args.keep and args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    document = {
        "benchmark": "trayapp",
        "started_at": started_at.isoformat(timespec="seconds"),
        "duration_seconds": round(time.perf_counter() - started, 1),
        "machine": _machine(),
        "settings": {"quick": args.quick, "sizes": {k: getattr(sizes, k) for k in sizes.__slots__},
                     "naive_limit": limit, "requests_per_second": 0, "note": settings_note(args.plain_server),
                     "plain_server": args.plain_server},
        "scenarios": [r.as_dict() for r in results],
        "targets": [{"scenario": r.name, **t.as_dict()} for r in results for t in r.targets],
        "all_targets_passed": all(t.passed for r in results for t in r.targets),
    }
    text = json.dumps(document, indent=2)
    print(f"trayapp benchmark: {document['machine']['cpus']} CPUs ({document['machine']['cpu_model']}), "
          f"Python {document['machine']['python']}; {settings_note(args.plain_server)}.")
    print()
    print(format_table(results))
    print()
    print(text)
    if args.json_out:
        args.json_out.parent.mkdir(parents=True, exist_ok=True)
        args.json_out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
