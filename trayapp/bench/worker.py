"""One measured sync, in its own process: `python -m trayapp.bench.worker` reads a JSON job on stdin and
prints a JSON result on stdout.

Jobs:
  {"side": "trayapp", "ops": [...], "erp": PATH, "journal": PATH, "locks": DIR, "shop_url": URL,
   "full_scan_every": SECONDS or null}
      runs the operations through trayapp's Engine (trigger "scheduled"), as the scheduler would;
  {"side": "naive", "tasks": [...], "erp": PATH, "shop_url": URL, "limit": N or null}
      runs the naive baseline (trayapp.bench.naive).
  Optional "profile": PATH writes cProfile statistics of the measured part there.

Peak RSS is this process's own high-water mark, VmHWM from /proc/self/status. Not ru_maxrss: on Linux
that survives fork+exec, so a child of a big parent (the benchmark driver holds the shop with 100,000
products) would report the parent's size. Elsewhere ru_maxrss is the fallback.
"""

from __future__ import annotations

import json
import logging
import resource
import sys
import time
from pathlib import Path
from typing import Any


def peak_rss_kib() -> tuple[int, str]:
    """(peak resident set size in KiB, where it was read)."""
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]), "VmHWM"
    except OSError:
        pass
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return (maxrss // 1024 if sys.platform == "darwin" else maxrss), "ru_maxrss"


def current_rss_kib() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _trayapp(job: dict[str, Any]) -> list[dict[str, Any]]:
    from trayapp.config import OPERATIONS, ErpConfig, Integration, OperationConfig, ShopConfig
    from trayapp.demo.erp import demo_connection_string
    from trayapp.engine import Engine
    from trayapp.journal import Journal

    operations = {op: OperationConfig(op) for op in OPERATIONS}
    if job.get("full_scan_every") is not None:
        operations["export-products"] = OperationConfig("export-products",
                                                        full_scan_every=float(job["full_scan_every"]))
    integration = Integration(
        name="bench", erp=ErpConfig(demo_connection_string(Path(job["erp"])), "demo"),
        shop=ShopConfig("woocommerce", job["shop_url"], requests_per_second=0, retries=2, timeout=300),
        operations=operations)
    journal = Journal(Path(job["journal"]))
    engine = Engine(journal, Path(job["locks"]))
    out = []
    try:
        for op in job["ops"]:
            started = time.perf_counter()
            result = engine.run(integration, op, trigger="scheduled")
            out.append({"op": op, "seconds": round(time.perf_counter() - started, 4), "status": result.status,
                        "created": result.created, "updated": result.updated, "skipped": result.skipped,
                        "failed": result.failed, "error": result.error,
                        "failures": [f"{k}: {r}" for k, r in result.failures[:10]]})
    finally:
        journal.close()
    return out


def _naive(job: dict[str, Any]) -> list[dict[str, Any]]:
    from trayapp.bench.naive import TASKS
    from trayapp.demo.erp import demo_connection_string

    connection = demo_connection_string(Path(job["erp"]))
    out = []
    for task in job["tasks"]:
        result = TASKS[task](connection, job["shop_url"], limit=job.get("limit"))
        out.append({"op": task, **result.as_dict()})
    return out


def run_job(job: dict[str, Any]) -> dict[str, Any]:
    logging.basicConfig(level=logging.ERROR, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    runner = _trayapp if job["side"] == "trayapp" else _naive
    # Import everything the run needs before the clock starts (both sides alike).
    import trayapp.bench.naive
    import trayapp.engine
    import trayapp.erp.database
    import trayapp.shops.woocommerce  # noqa: F401

    rss_before = current_rss_kib()
    profiler = None
    if job.get("profile"):
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    wall, cpu = time.perf_counter(), time.process_time()
    steps = runner(job)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(job["profile"])
    peak, source = peak_rss_kib()
    return {"side": job["side"], "steps": steps, "wall": round(wall, 4), "cpu": round(cpu, 4),
            "peak_rss_kib": peak, "rss_source": source, "rss_before_kib": rss_before}


def main() -> int:
    job = json.loads(sys.stdin.read())
    print(json.dumps(run_job(job)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
