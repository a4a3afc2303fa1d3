"""The same workloads on SQLite and PostgreSQL in one run.

Loading the services frame, a 10,000-row spreadsheet import (the importer's commit of a
previewed county file, the database's part of an import), a 10,000-service bulk insert and
50 capacity updates from 2 processes at once. Each PostgreSQL
row's "baseline" is SQLite's median of the same workload, so ``ratio`` > 1 means PostgreSQL
was faster. PostgreSQL is the server of ``PUNTE_TEST_DATABASE_URL``, else a throwaway one
started here (durability off, like the tests' server: the figures show query cost, not fsync).
"""

from __future__ import annotations

import multiprocessing
import os
import random
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from directory.listings.importer import commit, preview
from directory.models import Service
from directory.storage.frame import services_frame
from directory.storage.store import Store

from .import_bench import DATA_DIR, coordinators_csv
from .store_bench import synthetic_directory
from .timing import measure, row

UPDATES, PROCESSES = 50, 2


def _capacity_updates(target: str, ids: list[str], seed: int) -> list[float]:
    """One coordinator's process: report capacity on each service, timing each save."""
    rng = random.Random(seed)
    times = []
    with Store(target) as store:
        for sid in ids:
            start = time.perf_counter()
            svc = store.get(Service, sid)
            store.update(
                svc.replace(
                    capacity_status="available",
                    beds_available=rng.randint(1, 9),
                    capacity_as_of=date(2026, 11, 23),
                ),
                actor=f"bench-{seed}",
            )
            times.append((time.perf_counter() - start) * 1000)
    return times


def _concurrent_updates(target: str) -> tuple[list[float], float]:
    ids = [f"svc-{i}" for i in range(UPDATES)]
    shares = [ids[i::PROCESSES] for i in range(PROCESSES)]
    ctx = multiprocessing.get_context("spawn")
    start = time.perf_counter()
    with ctx.Pool(PROCESSES) as pool:
        results = pool.starmap(
            _capacity_updates, [(target, share, i) for i, share in enumerate(shares)]
        )
    wall = (time.perf_counter() - start) * 1000
    with Store(target) as store:
        assert store.verify_audit().ok, "the audit chain forked under concurrent writers"
    return [t for r in results for t in r], wall


def _imports(fresh: Any, n: int, repeat: int) -> list[float]:
    """Commit a previewed n-row county file into an empty database; the preview (parsing
    and geocoding, the same on both backends) is not timed."""
    data, times = coordinators_csv(n), []
    for _ in range(repeat):
        with Store.init(fresh()) as store:
            report = preview(data, name="judet.csv", store=store, data_dir=str(DATA_DIR))
            start = time.perf_counter()
            commit(store, report, actor="bench")
            times.append((time.perf_counter() - start) * 1000)
    return times


def _workloads(target: str, fresh: Any, records: list, n: int, quick: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    with Store.init(target) as store:
        store.bulk_insert(records, actor="bench")
        out["frame"] = measure(lambda: services_frame(store), 3 if quick else 5)
    small = synthetic_directory(10_000, seed=11)

    def bulk() -> None:
        with Store.init(fresh()) as store:
            store.bulk_insert(small, actor="bench")

    out["bulk"] = measure(bulk, 1 if quick else 3)
    out["import"] = _imports(fresh, 2_000 if quick else 10_000, 1 if quick else 3)
    out["updates"], out["updates_wall"] = _concurrent_updates(target)
    return out


def run(quick: bool) -> list[dict[str, Any]]:
    from tests.pg_server import PgServer

    n = 10_000 if quick else 100_000
    # A database at a URL takes its audit key from the environment (the spawned writers too).
    os.environ.setdefault("PUNTE_AUDIT_KEY", "bench-audit-key-0123456789abcdef0123456789")
    records = synthetic_directory(n)
    server = PgServer().start()
    results = {}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            counter = iter(range(100))

            def sqlite_file() -> str:
                return str(Path(tmp) / f"b{next(counter)}.db")

            def pg_database() -> str:
                return server.new_database("punte_bench")

            results["sqlite"] = _workloads(sqlite_file(), sqlite_file, records, n, quick)
            results["postgresql"] = _workloads(pg_database(), pg_database, records, n, quick)
    finally:
        server.stop()
    rows = []
    for backend, r in results.items():
        lite = results["sqlite"]
        base = None if backend == "sqlite" else lite
        rows.append(_row(f"{backend}_load_frame", n, r["frame"], base and base["frame"]))
        rows.append(_row(f"{backend}_bulk_insert", 10_000, r["bulk"], base and base["bulk"]))
        rows.append(
            _row(
                f"{backend}_import_commit",
                2_000 if quick else 10_000,
                r["import"],
                base and base["import"],
            )
        )
        rows.append(
            _row(
                f"{backend}_capacity_updates",
                UPDATES,
                r["updates"],
                base and base["updates"],
                wall_ms=round(r["updates_wall"], 1),
            )
        )
    return rows


def _row(name: str, n: int, times: list[float], base: list[float] | None, **kw: Any) -> dict:
    import statistics

    baseline = None if base is None else statistics.median(base)
    return row(name, n, times, baseline, baseline="sqlite, same run" if base else None, **kw)


if __name__ == "__main__":
    for r in run(quick=True):
        print(r)
