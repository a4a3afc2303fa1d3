"""Listing upkeep tables: organisation assignments, capacity self-update links, stale services,
and the rows that follow a duplicate merged into the record kept."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from directory.errors import NotFoundError
from directory.models import Location, Organization, Service, ServiceAtLocation, User
from directory.storage import audit

if TYPE_CHECKING:
    from sqlite_utils import Database


@dataclass(frozen=True)
class CapacityLink:
    """A provider's capacity self-update link as stored: the token's hash, never the token."""

    token_hash: str
    service_id: str
    contact: str | None
    created_by: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None = None
    revoked_by: str | None = None


def _link(row: dict) -> CapacityLink:
    times = {k: datetime.fromisoformat(row[k]) if row[k] else None for k in _TIMES}
    return CapacityLink(**{**row, **times})


_TIMES = ("created_at", "expires_at", "revoked_at")


class ListingRows:
    """Mixed into Store: who may edit which organisation, links, and the stale queue."""

    db: Database
    audit_key: bytes

    # ---- assignments -----------------------------------------------------------------

    def assigned_organizations(self, username: str) -> set[str]:
        """Organisations an admin assigned to ``username`` (their own is not listed here)."""
        rows = self.db.execute(
            "SELECT organization_id FROM organization_assignment WHERE username = ?", [username]
        )
        return {r[0] for r in rows}

    def assignments(self) -> list[tuple[str, str]]:
        """Every (username, organization_id) assignment, sorted."""
        rows = self.db.execute(
            "SELECT username, organization_id FROM organization_assignment "
            "ORDER BY username, organization_id"
        )
        return [(r[0], r[1]) for r in rows]

    def assign(self, username: str, organization_id: str, actor: str) -> None:
        """Let ``username`` edit ``organization_id`` (logged; assigning twice changes nothing)."""
        now = audit.utcnow()
        with self.db.atomic():
            exists = self.db.execute(
                "SELECT 1 FROM organization_assignment WHERE username = ? AND organization_id = ?",
                [username, organization_id],
            ).fetchone()
            if exists:
                return
            self.db.execute(
                "INSERT INTO organization_assignment VALUES (?, ?, ?, ?)",
                [username, organization_id, actor, now],
            )
            entry = audit.AuditEntry(
                actor, "assign", "user", username, None, {"organization_id": organization_id}
            )
            audit.append(self.db, [entry], at=now, key=self.audit_key)

    def unassign(self, username: str, organization_id: str, actor: str) -> None:
        with self.db.atomic():
            cursor = self.db.execute(
                "DELETE FROM organization_assignment WHERE username = ? AND organization_id = ?",
                [username, organization_id],
            )
            if cursor.rowcount:
                entry = audit.AuditEntry(
                    actor, "unassign", "user", username, {"organization_id": organization_id}
                )
                audit.append(self.db, [entry], key=self.audit_key)

    # ---- records of one organisation ------------------------------------------------

    def organizations_by_id(self, ids: set[str] | None = None) -> list[Organization]:
        """Organisations (all when ``ids`` is None), by name."""
        rows = self.db.query("SELECT * FROM organization ORDER BY name, id")
        return [Organization.from_row(r) for r in rows if ids is None or r["id"] in ids]

    def locations_of(self, organization_id: str) -> list[Location]:
        rows = self.db.query(
            "SELECT * FROM location WHERE organization_id = ? ORDER BY name, id", [organization_id]
        )
        return [Location.from_row(r) for r in rows]

    def services_of(self, organization_id: str) -> list[Service]:
        rows = self.db.query(
            "SELECT * FROM service WHERE organization_id = ? ORDER BY name, id", [organization_id]
        )
        return [Service.from_row(r) for r in rows]

    def location_ids_of_service(self, service_id: str) -> list[str]:
        rows = self.db.execute(
            "SELECT location_id FROM service_at_location WHERE service_id = ? ORDER BY id",
            [service_id],
        )
        return [r[0] for r in rows]

    def stale_services(
        self, assured_before: date, capacity_before: date, organizations: set[str] | None
    ) -> list[Service]:
        """Active services last verified before ``assured_before`` (or never), or whose
        capacity report is older than ``capacity_before`` (or missing), oldest first."""
        rows = self.db.query(
            """
            SELECT * FROM service
            WHERE status = 'active'
              AND (assured_date IS NULL OR assured_date < :assured
                   OR capacity_as_of IS NULL OR capacity_as_of < :capacity)
            ORDER BY CASE WHEN coalesce(assured_date, '') < coalesce(capacity_as_of, '')
                          THEN coalesce(assured_date, '') ELSE coalesce(capacity_as_of, '') END,
                     id
            """,
            {"assured": assured_before.isoformat(), "capacity": capacity_before.isoformat()},
        )
        return [
            Service.from_row(r)
            for r in rows
            if organizations is None or r["organization_id"] in organizations
        ]

    # ---- capacity self-update links -------------------------------------------------

    def add_capacity_link(self, link: CapacityLink) -> None:
        with self.db.atomic():
            self.db.execute(
                "INSERT INTO capacity_link VALUES (?, ?, ?, ?, ?, ?, NULL, NULL)",
                [
                    link.token_hash,
                    link.service_id,
                    link.contact,
                    link.created_by,
                    link.created_at.isoformat(timespec="seconds"),
                    link.expires_at.isoformat(timespec="seconds"),
                ],
            )
            entry = audit.AuditEntry(
                link.created_by,
                "create_link",
                "service",
                link.service_id,
                None,
                {"link": link.token_hash[:12], "expires_at": link.expires_at.isoformat()},
            )
            audit.append(self.db, [entry], key=self.audit_key)

    def capacity_link(self, token_hash: str) -> CapacityLink:
        rows = list(self.db.query("SELECT * FROM capacity_link WHERE token_hash = ?", [token_hash]))
        if not rows:
            raise NotFoundError("No such capacity link.")
        return _link(rows[0])

    def capacity_links(self, service_id: str) -> list[CapacityLink]:
        rows = self.db.query(
            "SELECT * FROM capacity_link WHERE service_id = ? ORDER BY created_at DESC",
            [service_id],
        )
        return [_link(r) for r in rows]

    def revoke_capacity_link(self, token_hash: str, actor: str, at: datetime) -> None:
        with self.db.atomic():
            link = self.capacity_link(token_hash)
            self.db.execute(
                "UPDATE capacity_link SET revoked_at = ?, revoked_by = ? WHERE token_hash = ?",
                [at.isoformat(timespec="seconds"), actor, token_hash],
            )
            entry = audit.AuditEntry(
                actor, "revoke_link", "service", link.service_id, None, {"link": token_hash[:12]}
            )
            audit.append(self.db, [entry], key=self.audit_key)

    # ---- remembered import mappings ------------------------------------------------

    def import_mapping(self, key: str) -> dict[str, str | None] | None:
        """The column mapping last used for files with this header key, if any."""
        rows = list(self.db.query("SELECT mapping FROM import_mapping WHERE key = ?", [key]))
        return json.loads(rows[0]["mapping"]) if rows else None

    def save_import_mapping(
        self, key: str, headers: Iterable[str], mapping: dict[str, str | None], actor: str
    ) -> None:
        """Remember a corrected mapping for the next file with the same headers (logged)."""
        now = audit.utcnow()
        row = {
            "key": key,
            "headers": json.dumps(list(headers), ensure_ascii=False),
            "mapping": json.dumps(mapping, ensure_ascii=False),
            "saved_by": actor,
            "saved_at": now,
        }
        with self.db.atomic():
            # ON CONFLICT rather than sqlite-utils' upsert: both backends run it.
            self.db.execute(
                'INSERT INTO import_mapping ("key", headers, mapping, saved_by, saved_at) '
                'VALUES (?, ?, ?, ?, ?) ON CONFLICT ("key") DO UPDATE SET '
                "headers = excluded.headers, mapping = excluded.mapping, "
                "saved_by = excluded.saved_by, saved_at = excluded.saved_at",
                list(row.values()),
            )
            entry = audit.AuditEntry(
                actor, "save", "import_mapping", key, None, {"mapping": mapping}
            )
            audit.append(self.db, [entry], at=now, key=self.audit_key)

    # ---- merging duplicates: the rows that follow a record merged into another ---------
    # Each move runs inside the caller's transaction and writes one audit row per row moved.

    def links_at(self, column: str, record_id: str) -> list[ServiceAtLocation]:
        """Service-at-location rows whose ``column`` (service_id or location_id) is the id."""
        if column not in ("service_id", "location_id"):
            raise ValueError(f"links_at takes service_id or location_id, not {column!r}")
        rows = self.db.query(
            f"SELECT * FROM service_at_location WHERE {column} = ? ORDER BY id", [record_id]
        )
        return [ServiceAtLocation.from_row(r) for r in rows]

    def move_link(self, link: ServiceAtLocation, column: str, to_id: str, actor: str,
                  reason: str) -> None:  # fmt: skip
        """Point one service-at-location row at another service or location (logged)."""
        if column not in ("service_id", "location_id"):
            raise ValueError(f"move_link takes service_id or location_id, not {column!r}")
        with self.db.atomic():
            self.db.execute(
                f"UPDATE service_at_location SET {column} = ? WHERE id = ?", [to_id, link.id]
            )
            before = {column: getattr(link, column)}
            entry = audit.AuditEntry(
                actor, "update", "service_at_location", link.id, before, {column: to_id}, reason
            )
            audit.append(self.db, [entry], key=self.audit_key)

    def repoint_referrals(self, from_link: str, to_link: str, actor: str, reason: str) -> int:
        """Move the referrals of one service-at-location row to another; returns how many.

        Each referral's version grows, so a form opened before the merge cannot save over it.
        """
        with self.db.atomic():
            ids = [r[0] for r in self.db.execute(
                "SELECT id FROM referral WHERE service_at_location_id = ? ORDER BY id", [from_link]
            )]  # fmt: skip
            self.db.execute(
                "UPDATE referral SET service_at_location_id = ?, version = version + 1 "
                "WHERE service_at_location_id = ?",
                [to_link, from_link],
            )
            entries = [
                audit.AuditEntry(actor, "update", "referral", rid,
                                 {"service_at_location_id": from_link},
                                 {"service_at_location_id": to_link}, reason)
                for rid in ids
            ]  # fmt: skip
            audit.append(self.db, entries, key=self.audit_key)
        return len(ids)

    def referral_count(self, link_ids: Iterable[str]) -> int:
        """How many referrals point at these service-at-location rows."""
        ids = list(link_ids)
        if not ids:
            return 0
        marks = ", ".join("?" for _ in ids)
        sql = f"SELECT count(*) FROM referral WHERE service_at_location_id IN ({marks})"
        return self.db.execute(sql, ids).fetchone()[0]

    def move_sending_organization(self, from_org: str, to_org: str, actor: str,
                                  reason: str) -> int:  # fmt: skip
        """Referrals sent by one organisation's caseworkers now read as the other's (logged)."""
        with self.db.atomic():
            ids = [r[0] for r in self.db.execute(
                "SELECT id FROM referral WHERE organization_id = ? ORDER BY id", [from_org]
            )]  # fmt: skip
            self.db.execute(
                "UPDATE referral SET organization_id = ?, version = version + 1 "
                "WHERE organization_id = ?",
                [to_org, from_org],
            )
            entries = [
                audit.AuditEntry(actor, "update", "referral", rid, {"organization_id": from_org},
                                 {"organization_id": to_org}, reason)
                for rid in ids
            ]  # fmt: skip
            audit.append(self.db, entries, key=self.audit_key)
        return len(ids)

    def move_capacity_links(self, from_service: str, to_service: str, actor: str,
                            reason: str) -> int:  # fmt: skip
        """A provider's self-update links follow their service into the one kept (logged)."""
        with self.db.atomic():
            hashes = [r[0] for r in self.db.execute(
                "SELECT token_hash FROM capacity_link WHERE service_id = ?", [from_service]
            )]  # fmt: skip
            self.db.execute(
                "UPDATE capacity_link SET service_id = ? WHERE service_id = ?",
                [to_service, from_service],
            )
            entries = [
                audit.AuditEntry(actor, "move_link", "service", to_service,
                                 {"service_id": from_service, "link": h[:12]},
                                 {"service_id": to_service, "link": h[:12]}, reason)
                for h in hashes
            ]  # fmt: skip
            audit.append(self.db, entries, key=self.audit_key)
        return len(hashes)

    def members_of(self, organization_id: str) -> list[User]:
        """Accounts that belong to the organisation, by username."""
        rows = self.db.query(
            'SELECT * FROM "user" WHERE organization_id = ? ORDER BY username', [organization_id]
        )
        return [User.from_row(r) for r in rows]

    def assignees_of(self, organization_id: str) -> list[str]:
        """Usernames an admin assigned to the organisation."""
        rows = self.db.execute(
            "SELECT username FROM organization_assignment WHERE organization_id = ? "
            "ORDER BY username",
            [organization_id],
        )
        return [r[0] for r in rows]
