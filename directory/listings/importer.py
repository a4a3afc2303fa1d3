"""Import listings: preview a file (every row valid, invalid, out of scope or a duplicate),
then commit the valid rows in one transaction. Importing the same file twice changes nothing.

Shaped for the listings page as well as the CLI: plain data in, plain data out, and an
optional ``progress(done, total)`` callback.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, TypeVar

from directory.errors import NotFoundError
from directory.listings import columns as cols
from directory.listings.cells import fold
from directory.listings.duplicates import DuplicatePair, Listing, probable_duplicates
from directory.listings.problems import FileProblemError, Problem
from directory.listings.read_file import read_table
from directory.listings.rows import RowContext, RowResult, read_row
from directory.models import Location, Model, Organization, Service, ServiceAtLocation

Progress = Callable[[int, int], None]
M = TypeVar("M", bound=Model)
STATUSES = ("valid", "invalid", "out_of_scope", "duplicate", "blank")
ALERT_COLUMNS = ("alert", "alert_expires", "alert_stops_intake")  # also the model's fields
# Which model fields each template column sets: an update changes only what the file says,
# so a record's verification, criteria or confidentiality survive an import without them.
_SETS: dict[str, dict[str, tuple[str, ...]]] = {
    "organization": {
        "organization": ("name",), "legal_status": ("legal_status",), "cui": ("cui",),
        "website": ("website",), "email": ("email",),
    },
    "location": {
        "location_name": ("name",), "address": ("address_1",), "postal_code": ("postal_code",),
        "disclosure": ("disclosure",),
        **{c: ("latitude", "longitude", "county_code", "siruta", "locality", "geocode_source",
               "geocode_precision") for c in ("locality", "county", "latitude", "longitude")},
    },
    "service": {
        "service_name": ("name",), "service_type": ("service_type",),
        "service_code": ("service_type", "trafficking_specialised"),
        "description": ("description",), "minimum_age": ("minimum_age",),
        "maximum_age": ("maximum_age",), "genders": ("genders",), "languages": ("languages",),
        "phone": ("intake_phone",), "capacity": ("beds_total",),
        **{c: ("capacity_status", "beds_available", "capacity_as_of")
           for c in ("beds_available", "capacity_status", "capacity_as_of")},
        "trafficking_specialised": ("trafficking_specialised",),
        "specialisations": ("specialisations",),
        "emergency_intake_24_7": ("emergency_intake_24_7",), "schedule": ("schedule",),
        # Checked together (an alert needs its end; only an alert can stop intake).
        **{c: ALERT_COLUMNS for c in ALERT_COLUMNS},
    },
}  # fmt: skip


@dataclass
class Plan:
    creates: list[Model] = field(default_factory=list)
    updates: list[Model] = field(default_factory=list)
    unchanged: list[Model] = field(default_factory=list)

    def counts(self, table: str = "service") -> dict[str, int]:
        def n(records: list[Model]) -> int:
            return sum(1 for r in records if r.table == table)

        return {
            "created": n(self.creates),
            "updated": n(self.updates),
            "unchanged": n(self.unchanged),
        }


@dataclass
class ImportReport:
    source: str
    format: str
    headers: tuple[str, ...]
    mapping: cols.Mapping
    rows: list[RowResult]
    encoding: str | None = None
    delimiter: str | None = None
    file_warnings: list[Problem] = field(default_factory=list)
    mapping_source: str = "suggested"  # suggested | remembered | given
    duplicates: list[DuplicatePair] = field(default_factory=list)
    plan: Plan = field(default_factory=Plan)

    @property
    def mapping_key(self) -> str:
        return cols.mapping_key(self.headers)

    def counts(self) -> dict[str, int]:
        counts = {s: sum(1 for r in self.rows if r.status == s) for s in STATUSES}
        counts["rows"] = len(self.rows)
        counts["warnings"] = len(self.warnings())
        counts["probable_duplicates"] = len(self.duplicates)
        return counts

    def warnings(self) -> list[Problem]:
        return self.file_warnings + [w for r in self.rows for w in r.warnings]

    def rows_with(self, status: str) -> list[RowResult]:
        return [r for r in self.rows if r.status == status]


def preview(
    source: str | Path | bytes,
    *,
    name: str = "",
    fmt: str | None = None,
    columns: str | cols.Mapping | None = None,
    organization_id: str | None = None,
    store: Any = None,
    data_dir: str = "data",
    geocoder: Any = None,
    progress: Progress | None = None,
    editable: set[str] | None = None,
) -> ImportReport:
    """Read, map and check every row; with a store, plan what a commit would change.

    ``editable`` holds the stored organisations the importer may change (None: all); a row
    for any other stored organisation is invalid, and says so.
    """
    label = name or (Path(source).name if not isinstance(source, bytes) else "file")
    table = read_table(source, label, fmt)
    remembered = store.import_mapping(cols.mapping_key(table.headers)) if store else None
    if remembered:  # the same headers as a file imported before: its corrected mapping
        by_fold = {fold(h): f for h, f in remembered.items()}
        remembered = {h: by_fold.get(fold(h)) for h in table.headers}
    source = "given" if columns else ("remembered" if remembered else "suggested")
    if isinstance(columns, dict):
        mapping = {h: columns.get(h) for h in table.headers}
    elif columns:
        mapping = cols.parse_columns(columns, table.headers, remembered)
    else:
        mapping = remembered or cols.suggest_mapping(table.headers)
    try:
        cols.check_mapping(mapping, fixed_organization=organization_id is not None)
    except FileProblemError as e:
        e.mapping = (table.headers, mapping, source)  # so the page can offer to correct it
        raise
    organization = None
    if organization_id is not None:
        if store is None:
            raise FileProblemError("import.organization_unknown", id=organization_id)
        try:
            organization = store.get(Organization, organization_id)
        except NotFoundError:
            raise FileProblemError("import.organization_unknown", id=organization_id) from None
    if geocoder is None:
        from directory.places.geocoder import shared_geocoder

        geocoder = shared_geocoder(str(data_dir))
    ctx = RowContext(geocoder, str(data_dir), organization)
    fields = [(i, f) for i, f in enumerate(mapping[h] for h in table.headers) if f]
    results: list[RowResult] = []
    total = len(table.rows)
    for i, cells in enumerate(table.rows):
        result = read_row({f: cells[j] for j, f in fields}, i + 2, ctx)
        extra = (table.overflow or {}).get(i)
        if extra:
            result.warnings.append(Problem("import.warn.extra_cells", {"n": extra}, i + 2))
        results.append(result)
        if progress and (i % 500 == 499 or i == total - 1):
            progress(i + 1, total)
    report = ImportReport(
        label,
        table.format, table.headers, mapping, results, table.encoding, table.delimiter,
    )  # fmt: skip
    report.mapping_source = source
    if table.cedillas_fixed:
        report.file_warnings.append(Problem("import.warn.cedillas", {"n": table.cedillas_fixed}))
    ignored = [h for h in table.headers if not mapping.get(h)]
    if ignored:
        report.file_warnings.append(Problem("import.warn.ignored_columns",
                                            {"columns": ", ".join(ignored)}))  # fmt: skip
    return finish(report, store, {f for f in mapping.values() if f}, editable)


def finish(
    report: ImportReport, store: Any, mapped: set[str], editable: set[str] | None = None
) -> ImportReport:
    """Mark duplicates, match rows to stored records, and plan the commit (CSV and HSDS)."""
    _mark_exact_duplicates(report.rows)
    existing = _Existing(store)
    _resolve_ids(report.rows, existing)
    if editable is not None:
        _refuse_others(report.rows, existing, editable)
    _shared_records_agree(report.rows)
    report.duplicates = _probable(report.rows, existing)
    report.plan = _plan(report.rows, existing, mapped)
    return report


def commit(
    store: Any,
    report: ImportReport,
    actor: str,
    progress: Progress | None = None,
    assign_new: bool = False,
):
    """Write the report's plan in one transaction; returns created/updated/unchanged counts.

    With ``assign_new`` (a coordinator's import) each new organisation is assigned to the
    importer in the same transaction, so they can go on editing what they brought in.
    """
    plan = report.plan
    with store.transaction():
        store.apply_import(
            plan.creates, plan.updates, actor, reason=f"import {report.source}", progress=progress
        )
        if assign_new:
            for record in plan.creates:
                if isinstance(record, Organization):
                    store.assign(actor, record.id, actor=actor)
    if report.headers and report.mapping_source == "given":
        store.save_import_mapping(report.mapping_key, report.headers, report.mapping, actor)
    return plan.counts()


def _mark_exact_duplicates(results: list[RowResult]) -> None:
    """A second row with the same service id (given, or the same name at the same place)."""
    first: dict[str, int] = {}
    for r in results:
        if r.status != "valid" or r.service is None:
            continue
        given = bool(r.cells.get("service_id"))
        seen = first.get(r.service.id)
        if seen is None:
            first[r.service.id] = r.row
            continue
        r.status = "duplicate"
        key = "import.row.duplicate_id" if given else "import.row.duplicate_row"
        column = "service_id" if given else "service_name"
        r.problems.append(Problem(key, {"id": r.service.id, "first": seen}, r.row, column))


def _shared_records_agree(results: list[RowResult]) -> None:
    """Rows naming the same organisation (or site) with other details: the first row's are
    kept, and every later row that disagrees says so instead of being overruled silently."""
    first: dict[tuple[str, str], tuple[int, Model]] = {}
    for r in results:
        if r.status != "valid":
            continue
        shared: list[Organization | Location | None] = [r.organization]
        if r.cells.get("location_name"):
            shared.append(r.location)
        for record in shared:
            if record is None:
                continue
            key = (record.table, record.id)
            seen = first.setdefault(key, (r.row, record))
            if seen[1] != record:
                column = "organization" if record.table == "organization" else "location_name"
                r.warnings.append(Problem(f"import.warn.{record.table}_differs",
                                          {"first": seen[0]}, r.row, column))  # fmt: skip


class _Existing:
    """The stored directory, indexed for matching an import's rows by id or by name."""

    def __init__(self, store: Any) -> None:
        def load(model: type[Model]) -> list[Any]:
            return store.all(model) if store is not None else []

        self.orgs = {o.id: o for o in load(Organization)}
        self.locations = {x.id: x for x in load(Location)}
        self.services = {s.id: s for s in load(Service)}
        self.links = {x.id: x for x in load(ServiceAtLocation)}
        self.org_by_name = {fold(o.name): o.id for o in self.orgs.values()}
        self.loc_by_place = {_place_key(x): x.id for x in self.locations.values()}
        self.svc_by_name: dict[tuple[str, str, str], str] = {}
        for link in self.links.values():
            s = self.services.get(link.service_id)
            if s is not None:
                self.svc_by_name[(s.organization_id, fold(s.name), link.location_id)] = s.id
        self.link_by_pair = {(x.service_id, x.location_id): x.id for x in self.links.values()}


def _place_key(x: Location) -> tuple[str, str, str]:
    return (x.organization_id, str(x.siruta or fold(x.locality or "")), fold(x.address_1 or ""))


def _resolve_ids(results: list[RowResult], existing: _Existing) -> None:
    """Rows without ids take the id of the stored record they match by name and place."""
    for r in results:
        if r.status != "valid":
            continue
        org, loc, svc = r.organization, r.location, r.service
        assert org is not None and loc is not None and svc is not None
        if not r.cells.get("organization_id") and org.id not in existing.orgs:
            org = _with(org, id=existing.org_by_name.get(fold(org.name), org.id))
        loc = _with(loc, organization_id=org.id)
        if not r.cells.get("location_id") and loc.id not in existing.locations:
            loc = _with(loc, id=existing.loc_by_place.get(_place_key(loc), loc.id))
        svc = _with(svc, organization_id=org.id)
        if not r.cells.get("service_id") and svc.id not in existing.services:
            key = (org.id, fold(svc.name), loc.id)
            svc = _with(svc, id=existing.svc_by_name.get(key, svc.id))
        link_id = existing.link_by_pair.get((svc.id, loc.id), r.link.id if r.link else "")
        r.organization, r.location, r.service = org, loc, svc
        r.link = (_with(r.link, id=link_id, service_id=svc.id, location_id=loc.id) if r.link
                  else ServiceAtLocation(link_id, svc.id, loc.id))  # fmt: skip


def _refuse_others(results: list[RowResult], existing: _Existing, editable: set[str]) -> None:
    """Rows that would change a stored organisation the importer may not edit are invalid."""
    for r in results:
        org = r.organization
        stored = org is not None and org.id in existing.orgs
        if r.status == "valid" and stored and org.id not in editable:  # type: ignore[union-attr]
            r.status = "invalid"
            values = {"organization": org.name}  # type: ignore[union-attr]
            r.problems.append(Problem("import.row.not_editable", values, r.row, "organization"))


def _with(record: M, **changes: Any) -> M:
    """``record.replace`` only when something changes: replacing re-validates the model."""
    if all(getattr(record, k) == v for k, v in changes.items()):
        return record
    return record.replace(**changes)


def _probable(results: list[RowResult], existing: _Existing) -> list[DuplicatePair]:
    """Similar names nearby, between file rows or a row and a stored service (not itself)."""
    listings, row_of = [], {}
    for r in results:
        if r.status == "valid" and r.service and r.location:
            key = f"row {r.row}"
            row_of[key] = r.service.id
            listings.append(Listing(key, r.service.name, r.location.latitude,
                                    r.location.longitude, r.service.service_type))  # fmt: skip
    if not listings:
        return []
    in_file = set(row_of.values())
    for link in existing.links.values():
        s, loc = existing.services.get(link.service_id), existing.locations.get(link.location_id)
        if s is not None and loc is not None and s.id not in in_file:
            listings.append(Listing(s.id, s.name, loc.latitude, loc.longitude, s.service_type))
    return [
        p
        for p in probable_duplicates(listings)
        if (p.a in row_of or p.b in row_of) and row_of.get(p.a) != row_of.get(p.b, "")
    ]


def _plan(results: list[RowResult], existing: _Existing, mapped: set[str]) -> Plan:
    plan = Plan()
    seen: set[tuple[str, str]] = set()
    stored = {
        "organization": existing.orgs,
        "location": existing.locations,
        "service": existing.services,
        "service_at_location": existing.links,
    }
    for r in results:
        if r.status != "valid":
            continue
        for record in (r.organization, r.location, r.service, r.link, *r.extra):
            if record is None or (record.table, record.id) in seen:
                continue
            seen.add((record.table, record.id))
            before = stored[record.table].get(record.id)
            if before is None:
                plan.creates.append(record)
                continue
            changes = _changes(record, before, mapped)
            if changes:
                plan.updates.append(before.replace(**changes))
            else:
                plan.unchanged.append(before)
    return plan


def _changes(record: Model, before: Model, mapped: set[str]) -> dict[str, Any]:
    touched = {f for col, fs in _SETS.get(record.table, {}).items() if col in mapped for f in fs}
    if record.table == "location":
        touched.add("organization_id")
    return {f: getattr(record, f) for f in touched if getattr(record, f) != getattr(before, f)}
