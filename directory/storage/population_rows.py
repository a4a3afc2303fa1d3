"""The child population an admin saved for the Coverage page (table ``population_set``)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from directory.storage import audit

if TYPE_CHECKING:
    from sqlite_utils import Database


@dataclass(frozen=True)
class SavedPopulation:
    """A saved population: who saved it, when, from which file, and the figure per UAT."""

    id: int
    level: str
    source: str
    total: float
    saved_by: str
    saved_at: str
    per_uat: dict[int, float]


class PopulationRows:
    """Mixed into Store: the saved population in use, saving one, going back to the reference."""

    db: Database
    audit_key: bytes

    def saved_population(self) -> SavedPopulation | None:
        """The population in use instead of the reference one, or None for the reference."""
        rows = list(
            self.db.query(
                "SELECT * FROM population_set WHERE withdrawn_at IS NULL ORDER BY id DESC LIMIT 1"
            )
        )
        if not rows:
            return None
        r = rows[0]
        per_uat = {int(k): float(v) for k, v in json.loads(r["per_uat"]).items()}
        return SavedPopulation(
            r["id"], r["level"], r["source"], r["total"], r["saved_by"], r["saved_at"], per_uat
        )

    def save_population(
        self, per_uat: dict[int, float], level: str, source: str, actor: str
    ) -> SavedPopulation:
        """Put a population in use for everyone (the one before is withdrawn), audited."""
        if level not in ("uat", "county"):
            raise ValueError(f"level must be 'uat' or 'county', not {level!r}")
        now = audit.utcnow()
        total = float(sum(per_uat.values()))
        with self.db.atomic():
            before = self._withdraw(actor, now)
            # RETURNING, not lastrowid: PostgreSQL's cursor has no lastrowid.
            row = self.db.execute(
                "INSERT INTO population_set (level, source, per_uat, total, saved_by, saved_at) "
                "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                [level, source, json.dumps({str(k): v for k, v in per_uat.items()}), total,
                 actor, now],
            ).fetchone()  # fmt: skip
            new_id = int(row[0])
            after = {"level": level, "source": source, "total": total, "uats": len(per_uat)}
            audit.append(
                self.db,
                [audit.AuditEntry(actor, "population_saved", "population_set", str(new_id),
                                  before, after, "child population for coverage")],
                at=now,
                key=self.audit_key,
            )  # fmt: skip
        return SavedPopulation(new_id, level, source, total, actor, now, dict(per_uat))

    def revert_population(self, actor: str) -> bool:
        """Go back to the reference population; False when it was already in use."""
        now = audit.utcnow()
        with self.db.atomic():
            before = self._withdraw(actor, now)
            if before is None:
                return False
            audit.append(
                self.db,
                [audit.AuditEntry(actor, "population_reverted", "population_set",
                                  str(before["id"]), before, None,
                                  "back to the population by domicile, 2020")],
                at=now,
                key=self.audit_key,
            )  # fmt: skip
        return True

    def _withdraw(self, actor: str, now: str) -> dict[str, object] | None:
        """Withdraw the row in use (inside the caller's transaction); its audit summary."""
        rows = list(
            self.db.query(
                "SELECT id, level, source, total FROM population_set WHERE withdrawn_at IS NULL"
            )
        )
        if not rows:
            return None
        self.db.execute(
            "UPDATE population_set SET withdrawn_by = ?, withdrawn_at = ? "
            "WHERE withdrawn_at IS NULL",
            [actor, now],
        )
        return dict(rows[-1])
