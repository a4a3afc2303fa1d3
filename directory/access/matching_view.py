"""The directory as the matcher sees it for one viewer: shown points, true points for safety.

The avoid area is a safety rule, tested on every site's true point whoever looks; the
maximum distance, the score and everything shown use the point the viewer may see (the UAT
seat of a site they may not see exactly). The true points go into the prepared arrays only,
never into the frame that pages and the command line display.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import pandas as pd

from directory.access.disclosure import generalise
from directory.errors import PermissionDeniedError
from matching.prepared import Prepared, prepare
from travel.roads import RoadGraph

CLI_VIEWER = "cli"  # the command line: public points only, unless it reveals with a reason
# The partner role (analysts, donors) looks at coverage; it never places a child.
MATCHING_VIEWERS = frozenset({"caseworker", "coordinator", "admin", CLI_VIEWER})


def may_match(role: str) -> bool:
    return role in MATCHING_VIEWERS


def matching_view(
    frame: pd.DataFrame,
    role: str,
    uat_points: Mapping[int, tuple[float, float]],
    today: date,
    graph: RoadGraph | None = None,
) -> Prepared:
    """Prepared arrays of ``frame`` (real points) as ``role`` may see it, for matching.

    With a road ``graph`` distances are by road, from the visible points (a generalised site
    joins the roads at its UAT seat, so a road time cannot place it either).
    """
    if not may_match(role):
        raise PermissionDeniedError(f"the {role} role does not run matching")
    frame = frame.reset_index(drop=True)
    shown = generalise(frame, role, uat_points)
    true_points = (frame["latitude"].to_numpy(dtype=float), frame["longitude"].to_numpy(float))
    return prepare(shown, today, true_points=true_points, graph=graph)
