"""Listing import benchmarks: preview + commit of 10,000 CSV rows with addresses to geocode,
HSDS export of 10,000 services, and duplicate detection against a naive all-pairs loop.

Run with `python -m bench.import_bench [--quick]` from the project root.
"""

from __future__ import annotations

import csv
import io
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from directory.listings.duplicates import (
    Listing,
    probable_duplicates,
    probable_duplicates_naive,
)
from directory.listings.hsds import export_hsds
from directory.listings.importer import commit, preview
from directory.models import Location, Service, ServiceAtLocation
from directory.storage.store import Store

from .timing import measure, row

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
SEED = 13
TYPES = ("Consiliere psihologică", "Asistență juridică", "legal aid", "", "Medical", "education")
CODES = ("8790CR-C-II", "8899CZ-VTP-I", "8891CZ-C-II")


def _places() -> list[tuple[str, str]]:
    """(locality, county) pairs: every UAT and village, as a county's list would name them."""
    with (DATA_DIR / "ro_uat.csv").open(encoding="utf-8") as f:
        uats = list(csv.DictReader(f))
    county = {u["siruta"]: u["county_name"] for u in uats}
    places = [(u["name"], u["county_name"]) for u in uats]
    with (DATA_DIR / "ro_localities.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r.get("uat_siruta") in county:
                places.append((r["name"], county[r["uat_siruta"]]))
    return places


def coordinators_csv(n: int, seed: int = SEED) -> bytes:
    """n rows as a county directorate's export: `;`, Windows-1250, Romanian headers."""
    rng = random.Random(seed)
    places = _places()
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Nr. crt.", "Denumire", "Furnizor", "Adresa", "Localitate", "Județ",
                     "Telefon", "Cod serviciu", "Tip serviciu", "Vârsta minimă",
                     "Vârsta maximă", "Capacitate"])  # fmt: skip
    for i in range(n):
        locality, county = rng.choice(places)
        kind = rng.choice(TYPES)
        writer.writerow([
            i + 1, f"Serviciul {i} {locality}", f"Asociația {rng.randrange(n // 5)}",
            f"Str. Principală nr. {rng.randrange(1, 200)}", locality, county,
            f"07{rng.randrange(20, 90)} {rng.randrange(100, 999)} {rng.randrange(100, 999)}",
            "" if kind else rng.choice(CODES), kind, rng.choice(("0", "6", "12")), "17",
            rng.choice(("", "8", "12")),
        ])  # fmt: skip
    return out.getvalue().translate(str.maketrans("șț", "şţ")).encode("cp1250", "replace")


def run(quick: bool) -> list[dict[str, Any]]:
    n = 2_000 if quick else 10_000
    n_naive = 500 if quick else 2_000
    data = coordinators_csv(n)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        counter = iter(range(100))
        counts: dict[str, int] = {}

        def import_once() -> None:
            with Store.init(tmp_path / f"import-{next(counter)}.db") as store:
                report = preview(data, name="judet.csv", store=store, data_dir=str(DATA_DIR))
                counts.update(report.counts())
                commit(store, report, actor="bench")

        times = measure(import_once, 1 if quick else 3)
        rows.append(row("import_preview_commit", n, times, valid=counts.get("valid"),
                        invalid=counts.get("invalid")))  # fmt: skip
        with Store(tmp_path / "import-0.db") as store:
            times = measure(lambda: _reimport(store, data), 1 if quick else 3)
            rows.append(row("import_same_file_again", n, times))
            services = store.counts()["service"]
            for fmt, name in (("hsds-json", "out.json"), ("hsds-csv", "pkg.zip")):
                times = measure(
                    lambda fmt=fmt, name=name: export_hsds(
                        store, tmp_path / name, fmt, data_dir=str(DATA_DIR)
                    ),
                    1 if quick else 3,
                )
                rows.append(row(f"export_{fmt.replace('-', '_')}", services, times))
            listings = _listings(store)
    naive = measure(lambda: probable_duplicates_naive(listings[:n_naive]), 1)
    baseline = naive[0] * (len(listings) / n_naive) ** 2  # all pairs: quadratic
    times = measure(lambda: probable_duplicates(listings), 3)
    rows.append(row("duplicates", len(listings), times, baseline,
                    baseline=f"naive all pairs on {n_naive}, extrapolated"))  # fmt: skip
    return rows


def _reimport(store: Store, data: bytes) -> None:
    report = preview(data, name="judet.csv", store=store, data_dir=str(DATA_DIR))
    assert report.plan.counts()["created"] == 0, report.plan.counts()
    commit(store, report, actor="bench")


def _listings(store: Store) -> list[Listing]:
    locations = {x.id: x for x in store.all(Location)}
    services = {s.id: s for s in store.all(Service)}
    out = []
    for link in store.all(ServiceAtLocation):
        s, loc = services[link.service_id], locations[link.location_id]
        out.append(Listing(s.id, s.name, loc.latitude, loc.longitude, s.service_type))
    return out


if __name__ == "__main__":
    started = time.perf_counter()
    for r in run("--quick" in sys.argv):
        print(r)
    print(f"done in {time.perf_counter() - started:.1f} s", file=sys.stderr)
