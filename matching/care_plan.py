"""A care plan: one provider per need, the shelter first, the rest ranked from the shelter."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from directory.vocab import SHELTER_TYPES

from .needs import Needs
from .policy import MatchPolicy
from .prepared import Prepared
from .rank import Match, MatchResult, rank
from .rules import Reason, reason

SHELTER_ORDER = ("shelter_emergency", "shelter_residential")


@dataclass(frozen=True)
class PlanItem:
    need: str
    result: MatchResult
    pick: int  # index of the chosen match in result.matches
    ranked_from: str  # "origin" or "shelter"

    @property
    def choice(self) -> Match | None:
        matches = self.result.matches
        return matches[self.pick] if self.pick < len(matches) else None

    @property
    def unmet_reason(self) -> Reason | None:
        """Why nothing fits this need: the rule that excluded most services of its type."""
        if self.choice is not None:
            return None
        counts = self.result.excluded_counts(needed_types_only=True)
        if not counts:
            return reason("plan.unmet.none")
        rule, count = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        return reason("plan.unmet.rule", rule=rule, count=count)


@dataclass(frozen=True)
class CarePlan:
    items: tuple[PlanItem, ...]
    anchor: tuple[float, float]  # (latitude, longitude) the non-shelter needs are ranked from
    anchored_on_shelter: bool

    @property
    def total_km(self) -> float:
        """Origin to the shelter, plus the shelter (or origin) to each other chosen service."""
        return sum(item.choice.km for item in self.items if item.choice is not None)

    @property
    def total_minutes(self) -> float:
        return sum(item.choice.minutes for item in self.items if item.choice is not None)

    @property
    def unmet(self) -> tuple[str, ...]:
        return tuple(item.need for item in self.items if item.choice is None)


def care_plan(
    p: Prepared,
    needs: Needs,
    policy: MatchPolicy,
    *,
    picks: Mapping[str, int] | None = None,
) -> CarePlan:
    """One match per need; ``picks`` swaps a need's choice for its n-th candidate.

    The other needs are ranked from the shelter's point as the viewer may see it (its UAT
    seat when generalised), so their distances cannot be used to locate it.
    """
    picks = picks or {}
    shelter_needs = [n for n in SHELTER_ORDER if n in needs.needs]
    items: list[PlanItem] = []
    anchor = (needs.latitude, needs.longitude)
    anchored = False
    if shelter_needs:
        # The child will live at the shelter, so it is chosen first, from where the child is.
        need = shelter_needs[0]
        item = _item(p, needs.only(need), need, picks, "origin", policy)
        items.append(item)
        if item.choice is not None:
            row = item.choice.row
            anchor = (float(p.lat[row]), float(p.lon[row]))
            anchored = True
    for need in needs.needs:
        if items and need == items[0].need:
            continue
        here = needs.only(need).with_origin(*anchor)
        items.append(_item(p, here, need, picks, "shelter" if anchored else "origin", policy))
    by_need = {item.need: item for item in items}
    ordered = tuple(by_need[n] for n in _plan_order(needs.needs))
    return CarePlan(ordered, anchor, anchored)


def _plan_order(needs: tuple[str, ...]) -> list[str]:
    shelters = [n for n in SHELTER_ORDER if n in needs]
    return shelters + [n for n in needs if n not in SHELTER_TYPES]


def _item(
    p: Prepared,
    needs: Needs,
    need: str,
    picks: Mapping[str, int],
    ranked_from: str,
    policy: MatchPolicy,
) -> PlanItem:
    result = rank(p, needs, policy)
    pick = max(0, min(picks.get(need, 0), max(len(result.matches) - 1, 0)))
    return PlanItem(need, result, pick, ranked_from)
