"""Who may see a location's exact point and address. The one place this rule lives.

- ``public``: everyone.
- ``partners``: the professionals who place children (caseworkers, coordinators, admins), not
  the partner role of analysts and donors.
- ``on_accepted_referral``: a caseworker whose referral there was accepted; otherwise only by a
  logged reveal.
- ``never``: only by a logged reveal.

A reveal is allowed to an admin and to a coordinator of the owning organisation, needs a
reason, and writes an audit row.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from directory.errors import PermissionDeniedError, ValidationError
from directory.models import Location, User
from directory.storage.audit import AuditEntry
from directory.storage.store import Store

_SEES_EXACT: dict[str, frozenset[str]] = {
    "admin": frozenset({"public", "partners"}),
    "coordinator": frozenset({"public", "partners"}),
    "caseworker": frozenset({"public", "partners"}),
    "partner": frozenset({"public"}),
}
PUBLIC_ONLY = frozenset({"public"})


def sees_exact(role: str, disclosure: str, *, accepted_referral: bool = False) -> bool:
    """True when ``role`` sees the exact point at this disclosure level without a reveal."""
    if disclosure in _SEES_EXACT.get(role, PUBLIC_ONLY):
        return True
    return role == "caseworker" and disclosure == "on_accepted_referral" and accepted_referral


def can_reveal(user: User, location: Location) -> bool:
    """Admins, and coordinators of the organisation that runs the location, may reveal it."""
    if user.role == "admin":
        return True
    return user.role == "coordinator" and user.organization_id == location.organization_id


def reveal(store: Store, user: User, location_id: str, reason: str) -> Location:
    """Return the exact location after checking the right and logging who, when and why."""
    location = store.get(Location, location_id)
    if not can_reveal(user, location):
        raise PermissionDeniedError(
            f"{user.username} may not reveal location {location_id}: only an admin or a "
            "coordinator of the organisation that runs it may."
        )
    if len(reason.strip()) < 5:
        raise ValidationError("reason", "say in a few words why you need the exact address")
    store.log(AuditEntry(user.username, "reveal", "location", location_id, reason=reason[:500]))
    return location


def generalise(
    frame: pd.DataFrame, role: str, uat_points: Mapping[int, tuple[float, float]]
) -> pd.DataFrame:
    """Move every location the role may not see exactly to its UAT seat; keep its UAT only.

    The address, postal code and locality go: a village's name alone can point at a shelter
    inside a large commune, so a generalised site is known by its UAT (SIRUTA) and county.

    ``uat_points`` maps a UAT's SIRUTA code to its seat (latitude, longitude).
    """
    out = frame.copy()
    hidden = ~out["disclosure"].isin(_SEES_EXACT.get(role, PUBLIC_ONLY))
    seats = out.loc[hidden, "siruta"].map(lambda s: uat_points.get(int(s)) if pd.notna(s) else None)
    out.loc[hidden, "latitude"] = [p[0] if p else None for p in seats]
    out.loc[hidden, "longitude"] = [p[1] if p else None for p in seats]
    for column in ("address_1", "postal_code", "locality"):
        if column in out.columns:
            out.loc[hidden, column] = None
    out["location_precision"] = "exact"
    out.loc[hidden, "location_precision"] = "generalised"
    return out
