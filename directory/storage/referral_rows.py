"""The referral tables: reads named for what they return, and writes that keep their events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypedDict

from directory.models import Referral, User
from directory.storage import audit

if TYPE_CHECKING:
    from sqlite_utils import Database

CLOSED_STATUSES = ("declined", "completed", "cancelled")


@dataclass(frozen=True)
class ReferralEvent:
    """One status change of a referral: who, when, from what to what, and why."""

    referral_id: str
    at: datetime
    actor: str
    from_status: str | None
    to_status: str
    reason_code: str | None = None
    note: str | None = None


class EventRow(TypedDict):
    at: str
    actor: str
    from_status: str | None
    to_status: str
    reason_code: str | None
    note: str | None


class ReferralRows:
    """Mixed into Store: every SQL statement about referrals and their events."""

    db: Database
    audit_key: bytes

    if TYPE_CHECKING:  # provided by Store

        def insert(self, record: Any, actor: str, reason: str | None = None) -> Any: ...
        def update(self, record: Any, actor: str, reason: str | None = None) -> Any: ...

    def insert_referral(self, referral: Referral, event: ReferralEvent) -> Referral:
        """Save a new referral and its first event in one transaction."""
        with self.db.atomic():
            self.insert(referral, actor=event.actor)
            self._add_event(event)
        return referral

    def save_referral_change(
        self, referral: Referral, event: ReferralEvent, reason: str | None = None
    ) -> Referral:
        """Save a changed referral (optimistic lock on its loaded version) and its event."""
        with self.db.atomic():
            saved = self.update(referral, actor=event.actor, reason=reason)
            self._add_event(event)
        return saved

    def add_referral_event(self, event: ReferralEvent) -> None:
        """Add a note-only event (no status change) to a referral's history."""
        self._add_event(event)

    def _add_event(self, event: ReferralEvent) -> None:
        self.db.table("referral_event").insert(
            {
                "referral_id": event.referral_id,
                "at": event.at.isoformat(),
                "actor": event.actor,
                "from_status": event.from_status,
                "to_status": event.to_status,
                "reason_code": event.reason_code,
                "note": event.note,
            }
        )

    def referral_history(self, referral_id: str) -> list[EventRow]:
        """The events of one referral, oldest first."""
        rows = self.db.query(
            "SELECT at, actor, from_status, to_status, reason_code, note FROM referral_event "
            "WHERE referral_id = ? ORDER BY id",
            [referral_id],
        )
        return [EventRow(**r) for r in rows]  # type: ignore[typeddict-item]

    def referrals_visible_to(self, user: User) -> list[Referral]:
        """A caseworker's own and organisation's referrals; a coordinator's incoming; all for
        an admin; none for anyone else. Ordered by due date, then id."""
        base = "SELECT r.* FROM referral r"
        order = " ORDER BY r.due_at, r.id"
        if user.role == "admin":
            rows = self.db.query(base + order)
        elif user.role == "caseworker":
            rows = self.db.query(
                base + " WHERE r.created_by = ? OR (r.organization_id IS NOT NULL AND "
                "r.organization_id = ?)" + order,
                [user.username, user.organization_id],
            )
        elif user.role == "coordinator":
            rows = self.db.query(
                base + " JOIN service_at_location sal ON sal.id = r.service_at_location_id "
                "JOIN service s ON s.id = sal.service_id WHERE s.organization_id = ?" + order,
                [user.organization_id],
            )
        else:
            return []
        return [Referral.from_row(r) for r in rows]

    def tried_services(self, case_code: str) -> set[str]:
        """The service-at-location ids already referred to for this case code."""
        rows = self.db.execute(
            "SELECT service_at_location_id FROM referral WHERE case_code = ?", [case_code]
        )
        return {r[0] for r in rows}

    def open_referral_for(self, case_code: str, service_at_location_id: str) -> Referral | None:
        """The open (not closed) referral of this case code to this service, if any."""
        marks = ", ".join("?" for _ in CLOSED_STATUSES)
        rows = list(
            self.db.query(
                "SELECT * FROM referral WHERE case_code = ? AND service_at_location_id = ? "
                f"AND status NOT IN ({marks}) ORDER BY created_at, id LIMIT 1",
                [case_code, service_at_location_id, *CLOSED_STATUSES],
            )
        )
        return Referral.from_row(rows[0]) if rows else None

    def referral_statuses_for_case(self, case_code: str) -> dict[str, list[str]]:
        """For one case code: each service-at-location id and the statuses sent to it."""
        out: dict[str, list[str]] = {}
        for sal_id, status in self.db.execute(
            "SELECT service_at_location_id, status FROM referral WHERE case_code = ? ORDER BY id",
            [case_code],
        ):
            out.setdefault(sal_id, []).append(status)
        return out

    def service_type_of_link(self, service_at_location_id: str) -> str | None:
        """The type of the service behind a service-at-location, or None if it was removed."""
        row = self.db.execute(
            "SELECT s.service_type FROM service_at_location sal JOIN service s "
            "ON s.id = sal.service_id WHERE sal.id = ?",
            [service_at_location_id],
        ).fetchone()
        return row[0] if row else None

    def purge_closed_referrals(self, closed_before: datetime, reason: str) -> list[str]:
        """Delete closed referrals (and their events) closed before ``closed_before``.

        One audit row keeps only their ids. Returns the ids, sorted.
        """
        cutoff = closed_before.isoformat()
        marks = ", ".join("?" for _ in CLOSED_STATUSES)
        with self.db.atomic():
            ids = [
                r[0]
                for r in self.db.execute(
                    f"SELECT id FROM referral WHERE status IN ({marks}) AND closed_at < ? "
                    "ORDER BY id",
                    [*CLOSED_STATUSES, cutoff],
                )
            ]
            if not ids:
                return []
            id_marks = ", ".join("?" for _ in ids)
            self.db.execute(f"DELETE FROM referral_event WHERE referral_id IN ({id_marks})", ids)
            self.db.execute(f"DELETE FROM referral_notice WHERE referral_id IN ({id_marks})", ids)
            self.db.execute(f"DELETE FROM referral WHERE id IN ({id_marks})", ids)
            audit.append(
                self.db,
                [audit.AuditEntry("system", "purge", "referral", None, {"ids": ids}, None, reason)],
                key=self.audit_key,
            )
        return ids

    # ---- e-mail notices (directory/referrals/notify.py) ----------------------------------

    def notice_addresses(self, referral: Referral) -> tuple[str | None, str | None]:
        """(the receiving organisation's intake e-mail, the sending organisation's e-mail)."""
        row = self.db.execute(
            "SELECT o.email FROM service_at_location sal JOIN service s ON s.id = sal.service_id "
            "JOIN organization o ON o.id = s.organization_id WHERE sal.id = ?",
            [referral.service_at_location_id],
        ).fetchone()
        sender = self.db.execute(
            "SELECT email FROM organization WHERE id = ?", [referral.organization_id]
        ).fetchone()
        return (row[0] if row else None, sender[0] if sender else None)

    def notice_sent(self, referral_id: str, kind: str) -> bool:
        return bool(
            self.db.execute(
                "SELECT 1 FROM referral_notice WHERE referral_id = ? AND kind = ?",
                [referral_id, kind],
            ).fetchone()
        )

    def record_notice(self, referral_id: str, kind: str, at: datetime) -> None:
        """Keep that a notice went out (once per referral and kind)."""
        with self.db.atomic():
            self.db.execute(
                "INSERT INTO referral_notice (referral_id, kind, sent_at) "
                "VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                [referral_id, kind, at.isoformat()],
            )

    def open_without_notice(self, kind: str) -> list[Referral]:
        """Open (draft or sent) referrals not yet e-mailed about as ``kind``, by due time."""
        rows = self.db.query(
            "SELECT r.* FROM referral r WHERE r.status IN ('draft', 'sent') "
            "AND NOT EXISTS (SELECT 1 FROM referral_notice n WHERE n.referral_id = r.id "
            "AND n.kind = ?) ORDER BY r.due_at, r.id",
            [kind],
        )
        return [Referral.from_row(r) for r in rows]
