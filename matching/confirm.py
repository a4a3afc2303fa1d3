"""What a match confirms about the child's eligibility, and what its provider says now.

The hard rules already passed, so these sentences repeat, in plain words, what was asked for
("takes boys 12–18", "accepts unaccompanied minors"): the caseworker sees it was checked.
A provider's current notice is always a gap (⚠): one that stops intake must never hide.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from directory.vocab import CHILD_FRIENDLY_CRITERIA

from .needs import Needs
from .prepared import Prepared
from .rules import Reason, gap, reason

CRITERIA_COLUMN = "child_friendly_criteria"  # JSON list, in the details frame only


def confirmations(p: Prepared, n: Needs, r: int) -> tuple[Reason, ...]:
    """The eligibility the child needs, confirmed for row ``r``, then the provider's alert."""
    who = n.gender or "any"
    out = [reason(f"reason.eligible.{who}", min=int(p.min_age[r]), max=int(p.max_age[r]))]
    if "unaccompanied" in n.requirements and p.unaccompanied[r]:
        out.append(reason("reason.eligible.unaccompanied"))
    if "with_parent" in n.requirements and p.parent_with_child[r]:
        out.append(reason("reason.eligible.with_parent"))
    if "wheelchair" in n.requirements and p.wheelchair[r]:
        out.append(reason("reason.eligible.wheelchair"))
    if n.is_minor and p.child_friendly[r]:
        out.append(reason("reason.eligible.child_friendly"))
    if p.alert_stops[r]:  # never hidden: it says why the service is ranked down
        out.append(gap("reason.alert.stops", text=str(p.alert[r])))
    elif p.alert[r]:
        out.append(gap("reason.alert", text=str(p.alert[r])))
    return tuple(out)


def missing_criteria(p: Prepared, r: int) -> tuple[str, ...]:
    """The child-friendly criteria row ``r`` does not meet (all of them when not listed)."""
    if CRITERIA_COLUMN not in p.frame.columns:
        return ()
    value = p.frame[CRITERIA_COLUMN].iat[r]
    met: list[str] = []
    if isinstance(value, str):
        try:
            parsed = json.loads(value)
        except ValueError:
            parsed = []
        met = [str(v) for v in parsed] if isinstance(parsed, list) else []
    elif isinstance(value, list | tuple | np.ndarray):
        met = [str(v) for v in value]
    elif value is None or (isinstance(value, float) and pd.isna(value)):
        met = []
    return tuple(c for c in CHILD_FRIENDLY_CRITERIA if c not in met)
