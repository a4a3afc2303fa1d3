"""Store benchmarks: bulk insert and loading the matching frame, against row-by-row baselines."""

from __future__ import annotations

import random
import statistics
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from directory.models import Location, Model, Organization, Service, ServiceAtLocation
from directory.storage.frame import services_frame
from directory.storage.store import Store
from directory.vocab import CAPACITY_STATUSES, SERVICE_TYPES

from .timing import measure, row


def synthetic_directory(n_services: int, seed: int = 7) -> list[Model]:
    """n services spread over n/10 locations of one organisation, in FK order."""
    rng = random.Random(seed)
    n_locations = max(1, n_services // 10)
    records: list[Model] = [Organization("bench-org", "Bench org (fictional)", "ngo")]
    for i in range(n_locations):
        records.append(
            Location(
                f"loc-{i}",
                "bench-org",
                f"Location {i}",
                rng.uniform(43.8, 48.0),
                rng.uniform(20.5, 29.5),
                "CJ",
            )
        )
    for i in range(n_services):
        status = rng.choice(CAPACITY_STATUSES)
        records.append(
            Service(
                f"svc-{i}",
                "bench-org",
                f"Service {i}",
                rng.choice(SERVICE_TYPES),
                minimum_age=rng.choice((0, 6, 12)),
                maximum_age=rng.choice((17, 18, 25)),
                languages=tuple(rng.sample(("ro", "hu", "rom", "en", "uk"), rng.randint(1, 3))),
                capacity_status=status,
                capacity_as_of=None if status == "unknown" else date(2026, 11, 1),
            )
        )
        records.append(ServiceAtLocation(f"sal-{i}", f"svc-{i}", f"loc-{i % n_locations}"))
    return records


def _row_by_row(path: Path, records: list[Model]) -> None:
    with Store.init(path) as store:
        for record in records:
            store.insert(record, actor="bench")


def _naive_frame(store: Store) -> Any:
    """Baseline: load each table, join in a Python loop, then build the frame."""
    import pandas as pd

    orgs = {r["id"]: r for r in store.db["organization"].rows}
    locs = {r["id"]: r for r in store.db["location"].rows}
    svcs = {r["id"]: r for r in store.db["service"].rows}
    out = []
    for link in store.db["service_at_location"].rows:
        s = svcs[link["service_id"]]
        if s["status"] != "active":
            continue
        loc, org = locs[link["location_id"]], orgs[s["organization_id"]]
        out.append({**s, **{f"location_{k}": v for k, v in loc.items()}, "org": org["name"]})
    return pd.DataFrame(out)


def run(quick: bool) -> list[dict[str, Any]]:
    n = 10_000 if quick else 100_000
    n_baseline = 500 if quick else 2_000
    records = synthetic_directory(n)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        base_times = measure(
            lambda: _row_by_row(tmp_path / f"base-{random.random()}.db", records[:n_baseline]),
            1,
        )
        # Row by row is far too slow to run at full size; scale its per-record time up.
        baseline_ms = statistics.median(base_times) * len(records) / n_baseline
        counter = iter(range(100))

        def bulk() -> None:
            with Store.init(tmp_path / f"bulk-{next(counter)}.db") as store:
                store.bulk_insert(records, actor="bench")

        times = measure(bulk, 1 if quick else 3)
        rows.append(
            row("store_bulk_insert", n, times, baseline_ms, baseline="row-by-row, extrapolated")
        )
        with Store(tmp_path / "bulk-0.db") as store:
            base = measure(lambda: _naive_frame(store), 1 if quick else 3)
            times = measure(lambda: services_frame(store), 5 if quick else 10)
            rows.append(
                row(
                    "store_load_frame",
                    n,
                    times,
                    statistics.median(base),
                    baseline="per-table load, Python join",
                )
            )
    return rows


if __name__ == "__main__":
    for r in run(quick=True):
        print(r)
