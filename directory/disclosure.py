"""Who may see a location's exact point and address. The one place this rule lives."""

from __future__ import annotations

from typing import Mapping

import pandas as pd

# Which disclosure levels each role sees exactly, whatever organisation it belongs to.
_SEES_EXACT: dict[str, frozenset[str]] = {
    "admin": frozenset({"public", "partners", "on_accepted_referral", "never"}),
    "coordinator": frozenset({"public", "partners"}),
    "caseworker": frozenset({"public", "partners"}),
    "partner": frozenset({"public"}),
    "system": frozenset({"public"}),
}


def sees_exact(
    role: str,
    disclosure: str,
    *,
    same_organization: bool = False,
    accepted_referral: bool = False,
) -> bool:
    """True when ``role`` may see the exact point of a location with ``disclosure``."""
    if disclosure in _SEES_EXACT.get(role, frozenset({"public"})):
        return True
    if role == "coordinator" and same_organization and disclosure != "never":
        return True
    return disclosure == "on_accepted_referral" and accepted_referral


def generalise(
    frame: pd.DataFrame,
    role: str,
    uat_points: Mapping[int, tuple[float, float]],
    user_organization: str | None = None,
) -> pd.DataFrame:
    """Move every location the role may not see exactly to its UAT seat and drop its address.

    ``uat_points`` maps a UAT's SIRUTA code to its seat (latitude, longitude).
    """
    out = frame.copy()
    exact = out["disclosure"].isin(_SEES_EXACT.get(role, frozenset({"public"})))
    if role == "coordinator" and user_organization is not None:
        own = out["organization_id"] == user_organization
        exact |= own & (out["disclosure"] != "never")
    hidden = ~exact
    seats = out.loc[hidden, "siruta"].map(lambda s: uat_points.get(int(s)) if pd.notna(s) else None)
    out.loc[hidden, "latitude"] = [p[0] if p else None for p in seats]
    out.loc[hidden, "longitude"] = [p[1] if p else None for p in seats]
    for column in ("address_1", "postal_code"):
        if column in out.columns:
            out.loc[hidden, column] = None
    out["location_precision"] = "exact"
    out.loc[hidden, "location_precision"] = "generalised"
    return out
