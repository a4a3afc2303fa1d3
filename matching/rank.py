"""Rank the services that pass every hard rule, and say why the others were excluded."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from directory.vocab import CAPACITY_STATUSES, SERVICE_TYPES
from travel import METHODS, legs

from .avoid import inside_avoid
from .confirm import confirmations, missing_criteria
from .needs import Needs
from .policy import MatchPolicy
from .prepared import Prepared
from .rules import CAPACITY, FACTORS, RULES, Context, Reason, reason

ELIGIBLE = -1


@dataclass(frozen=True)
class Match:
    service_at_location_id: str
    service_type: str
    score: float
    km: float  # as shown: rounded when ``approximate``
    minutes: float  # from the travel seam; ``method`` says how (by road, or a fallback)
    reasons: tuple[Reason, ...]
    factors: tuple[tuple[str, float], ...]
    row: int
    approximate: bool = False  # a generalised point: km and minutes are rounded
    method: str = "straight_line"
    weights: tuple[tuple[str, float], ...] = ()  # each factor's share of the score
    demoted: bool = False  # full, waitlisted or intake stopped: ranked below those with room
    # The eligibility asked for, confirmed, and the provider's current alert (a gap).
    confirmed: tuple[Reason, ...] = ()

    @property
    def explained(self) -> tuple[Reason, ...]:
        """Everything said about the match: distance, eligibility, the factors, the alert."""
        eligible = tuple(r for r in self.confirmed if not r.gap)
        alerts = tuple(r for r in self.confirmed if r.gap)
        return (*self.reasons[:1], *eligible, *self.reasons[1:], *alerts)

    @property
    def fits(self) -> tuple[Reason, ...]:
        return tuple(r for r in self.explained if not r.gap)

    @property
    def gaps(self) -> tuple[Reason, ...]:
        return tuple(r for r in self.explained if r.gap)

    def score_parts(self) -> tuple[tuple[str, float, float], ...]:
        """(factor, points earned, points possible), summing to the score: the score explained."""
        total = sum(w for _, w in self.weights) or 1.0
        weight = dict(self.weights)
        return tuple((name, part * weight[name] / total, weight[name] / total)
                     for name, part in self.factors)  # fmt: skip


class ExplainedLater(Match):
    """A match whose sentences are written when first read.

    A care plan keeps 50 matches for each need but shows a few: writing every sentence of
    all 200 took more time than ranking them. The sentences are the same either way.
    """

    _explain_with: tuple[Any, ...]

    def __init__(self, explain_with: tuple[Any, ...], **fields: Any) -> None:
        for name, value in fields.items():
            object.__setattr__(self, name, value)
        object.__setattr__(self, "_explain_with", explain_with)

    @cached_property
    def reasons(self) -> tuple[Reason, ...]:
        p, needs, ctx, factors, r = self._explain_with
        return tuple(f.explain(p, needs, ctx, r) for f in factors)

    @cached_property
    def confirmed(self) -> tuple[Reason, ...]:
        p, needs, _, _, r = self._explain_with
        return confirmations(p, needs, r)


@dataclass(frozen=True)
class Excluded:
    service_at_location_id: str
    service_type: str
    rule: str
    reason: Reason
    km: float  # as shown: rounded when the point is generalised
    row: int


@dataclass(frozen=True)
class MatchResult:
    matches: tuple[Match, ...]
    rule_index: np.ndarray  # per row: the first rule it failed, or ELIGIBLE
    km: np.ndarray  # to the visible point, unrounded: for ordering, never shown as it is
    minutes: np.ndarray  # likewise
    prepared: Prepared
    needs: Needs
    step_km: float  # the rounding of a generalised point's shown distance

    def excluded(self, *, needed_types_only: bool = True, limit: int | None = None):
        """Excluded services with the rule each failed, nearest first.

        By default only services of a needed type: the rest failed ``wrong_type``.
        """
        rows = np.flatnonzero(self.rule_index != ELIGIBLE)
        if needed_types_only:
            # By type, not by rule: an inactive service of another type fails "inactive" first.
            rows = rows[self._needed_type[rows]]
        order = np.lexsort((rows, self.km[rows]))
        rows = rows[order][:limit]
        return tuple(self._excluded(int(r)) for r in rows)

    def excluded_counts(self, *, needed_types_only: bool = False) -> dict[str, int]:
        """How many services each rule excluded (first failing rule only)."""
        failed = self.rule_index >= 0
        if needed_types_only:
            failed &= self._needed_type
        counts = np.bincount(self.rule_index[failed], minlength=len(RULES))
        return {rule.name: int(n) for rule, n in zip(RULES, counts) if n}

    @property
    def _needed_type(self) -> np.ndarray:
        wanted = np.zeros(len(SERVICE_TYPES), bool)
        wanted[[SERVICE_TYPES.index(t) for t in self.needs.needs]] = True
        return wanted[self.prepared.type_code]

    def _excluded(self, r: int) -> Excluded:
        rule = RULES[self.rule_index[r]]
        p = self.prepared
        km = float(self.km[r])
        if p.approximate[r]:  # rounded, and "≈" says it is approximate
            km = float(_round_km(np.array([km]), self.step_km)[0])
        shown: object = f"≈{km:.0f}" if p.approximate[r] else round(km, 1)
        values: dict[str, object] = {"km": shown}
        if rule.name == "age":
            values |= {"min": int(p.min_age[r]), "max": int(p.max_age[r]), "age": self.needs.age}
        key = rule.text_key
        if rule.name == "too_far" and self.needs.max_minutes is not None:
            key = "rule.too_far.minutes"
            values["max_minutes"] = int(self.needs.max_minutes)
            values["minutes"] = _shown_minutes(self.minutes[r], p.approximate[r], km, self.km[r])
        elif rule.name == "too_far":
            values["max_km"] = int(self.needs.max_km)
        elif rule.name == "no_capacity":
            values["status"] = CAPACITY_STATUSES[p.capacity[r]]
        elif rule.name == "interpreter":
            values["languages"] = ", ".join(self.needs.languages)
        elif rule.name == "not_child_friendly":
            missing = missing_criteria(p, r)
            if missing:  # by name: what the provider would have to add
                key = "rule.not_child_friendly.missing"
                values["criteria"] = ", ".join(missing)
        return Excluded(
            service_at_location_id=str(p.ids[r]),
            service_type=SERVICE_TYPES[p.type_code[r]],
            rule=rule.name,
            reason=reason(key, **values),
            km=km,
            row=r,
        )


_UNKNOWN = CAPACITY_STATUSES.index("unknown")


def _shown_minutes(minutes: float, approximate: bool, shown_km: float, km: float) -> int:
    """Minutes to the nearest 5; for a generalised site, scaled to its rounded km."""
    if approximate and km > 0:
        minutes = minutes * shown_km / km
    return max(5, int(5 * round(float(minutes) / 5)))


def effective_capacity(p: Prepared, stale_days: int) -> np.ndarray:
    """Capacity as reported, except that a report older than ``stale_days`` reads 'unknown'."""
    return np.where(p.capacity_days <= stale_days, p.capacity, _UNKNOWN).astype(np.int8)


def _round_km(km: np.ndarray, step_km: float) -> np.ndarray:
    return np.maximum(step_km, np.round(km / step_km) * step_km)


def shown_distance(
    km: np.ndarray, minutes: np.ndarray, approximate: np.ndarray, step_km: float
) -> tuple[np.ndarray, np.ndarray]:
    """km and minutes as shown: for a generalised point, rounded to ``step_km`` (never 0)
    and the minutes scaled to match, so neither tells how far the site is from its UAT seat."""
    rounded = _round_km(km, step_km)
    with np.errstate(invalid="ignore", divide="ignore"):
        per_km = np.where(km > 0, minutes / km, 0.0)
    return np.where(approximate, rounded, km), np.where(approximate, rounded * per_km, minutes)


def rank(p: Prepared, needs: Needs, policy: MatchPolicy) -> MatchResult:
    """Matches ranked by score, then distance, then frame row (the frame is in id order).

    The same input always gives the same order. The avoid area (safety) is tested on each
    site's true point; the maximum distance and the score (preferences) on the point the
    viewer may see, so no setting of the distance limit can locate a generalised site.
    """
    # Distances only for services of a needed type: the rest fail `wrong_type` whatever
    # their distance, and the trigonometry was half the time of a match at 100,000 rows.
    typed = np.flatnonzero(p.type_mask(needs.needs))
    trip = legs((needs.latitude, needs.longitude), p.places, typed)
    km = np.full(len(p), np.nan)
    minutes = np.full(len(p), np.nan)
    method = np.zeros(len(p), dtype=np.int8)
    km[typed], minutes[typed], method[typed] = trip.km, trip.minutes, trip.method
    ctx = Context(
        km=km,
        minutes=minutes,
        method=method,
        capacity=effective_capacity(p, policy.capacity_stale_days),
        inside_avoid=inside_avoid(needs.avoid, p.true_lat, p.true_lon),
        assured_stale_days=policy.assured_stale_days,
        approximate=p.approximate,
        km_step=policy.approximate_km_step,
    )
    rule_index = np.full(len(p), ELIGIBLE, dtype=np.int8)
    for i, rule in enumerate(RULES):
        open_rows = rule_index == ELIGIBLE
        rule_index[open_rows & rule.fails(p, needs, ctx)] = i
    rows = np.flatnonzero(rule_index == ELIGIBLE)
    factors = [f for f in FACTORS if f.applies(needs)]
    total_weight = sum(f.weight for f in factors)
    parts = np.array([f.score(p, needs, ctx, rows) for f in factors]).reshape(len(factors), -1)
    weights = np.array([f.weight for f in factors])[:, None]
    scores = (parts * weights).sum(axis=0) / total_weight
    # A service that is not a shelter but reports itself full (or a waiting list the child
    # cannot accept), or whose current alert stops intake, stays in the list, below every one
    # with room, and says why.
    demoted = _demoted(p, needs, ctx.capacity[rows]) | p.alert_stops[rows]
    # Rows follow the frame's id order, so the row number is the deterministic tie-break.
    order = np.lexsort((rows, ctx.km[rows], -np.round(scores, 9), demoted))[: policy.limit]
    picked = rows[order]  # rounded for the matches only: rounding every row cost ~1 ms
    shown_km, shown_minutes = shown_distance(
        km[picked], minutes[picked], p.approximate[picked], policy.approximate_km_step
    )
    names = tuple((f.name, f.weight) for f in factors)
    matches = tuple(
        ExplainedLater(
            (p, needs, ctx, tuple(factors), int(rows[k])),
            service_at_location_id=str(p.ids[rows[k]]),
            service_type=SERVICE_TYPES[p.type_code[rows[k]]],
            score=float(scores[k]),
            km=float(shown_km[i]),
            minutes=float(shown_minutes[i]),
            factors=tuple((f.name, float(parts[j, k])) for j, f in enumerate(factors)),
            row=int(rows[k]),
            approximate=bool(p.approximate[rows[k]]),
            method=trip_method(method[rows[k]]),
            weights=names,
            demoted=bool(demoted[k]),
        )
        for i, k in enumerate(order)
    )
    return MatchResult(matches, rule_index, km, minutes, p, needs, policy.approximate_km_step)


def _demoted(p: Prepared, needs: Needs, capacity: np.ndarray) -> np.ndarray:
    closed = capacity == CAPACITY["full"]
    if not needs.accept_waitlist:
        closed |= capacity == CAPACITY["waitlist"]
    return closed


def trip_method(code: np.integer | int) -> str:
    return METHODS[int(code)]
