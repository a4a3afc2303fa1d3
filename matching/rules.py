"""The matching rules and score factors, declared in one table each.

A hard rule excludes a service and names itself; a factor adds to the soft score with its
weight. Each carries the translation key of its sentence, so the explanation comes from the
same row as the logic. The UI and the CLI translate the keys; this module never does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from directory.vocab import CAPACITY_STATUSES
from travel import METHODS, ROAD_METHOD

from .needs import EXPLOITATION_TYPES, Needs
from .prepared import Prepared


@dataclass(frozen=True)
class Context:
    """Per-match arrays shared by the rules and the factors."""

    km: np.ndarray
    minutes: np.ndarray
    method: np.ndarray  # per row: index into travel.METHODS (road, or straight-line fallback)
    capacity: np.ndarray  # effective status code: stale reports read as "unknown"
    inside_avoid: np.ndarray  # tested on the true points
    assured_stale_days: int
    approximate: np.ndarray  # the viewer sees a generalised point: show km rounded
    km_step: float  # the rounding step of an approximate distance


@dataclass(frozen=True)
class Rule:
    name: str
    text_key: str
    fails: Callable[[Prepared, Needs, Context], np.ndarray]


def _gender_fails(p: Prepared, n: Needs, c: Context) -> np.ndarray:
    if n.gender == "female":
        return ~p.serves_female
    if n.gender == "male":
        return ~p.serves_male
    return np.zeros(len(p), bool)


def _requirement(need: str, column: str) -> Callable[[Prepared, Needs, Context], np.ndarray]:
    def fails(p: Prepared, n: Needs, c: Context) -> np.ndarray:
        if need not in n.requirements:
            return np.zeros(len(p), bool)
        ok = getattr(p, column)
        return ~ok if column == "wheelchair" else p.shelter & ~ok

    return fails


CAPACITY = {name: i for i, name in enumerate(CAPACITY_STATUSES)}


def _no_capacity(p: Prepared, n: Needs, c: Context) -> np.ndarray:
    closed = c.capacity == CAPACITY["full"]
    if not n.accept_waitlist:
        closed |= c.capacity == CAPACITY["waitlist"]
    return p.shelter & closed


def _no_shared_language(p: Prepared, n: Needs, c: Context) -> np.ndarray:
    """The interpreter requirement: staff speak one of the child's languages, or interpret."""
    if "interpreter" not in n.requirements:
        return np.zeros(len(p), bool)
    ok = p.interpretation.copy()
    every = np.arange(len(p))
    for code in n.languages:
        ok |= p.speaks(code, every)
    return ~ok


def _too_far(p: Prepared, n: Needs, c: Context) -> np.ndarray:
    if n.max_minutes is not None:
        return ~(c.minutes <= n.max_minutes)
    return ~(c.km <= n.max_km)


def _wrong_type(p: Prepared, n: Needs, c: Context) -> np.ndarray:
    return ~p.type_mask(n.needs)


RULES: tuple[Rule, ...] = (
    Rule("inactive", "rule.inactive", lambda p, n, c: ~p.active),
    Rule("wrong_type", "rule.wrong_type", _wrong_type),
    Rule(
        "age",
        "rule.age",
        lambda p, n, c: (p.min_age > n.age) | (p.max_age < n.age),
    ),
    Rule("gender", "rule.gender", _gender_fails),
    Rule("unaccompanied", "rule.unaccompanied", _requirement("unaccompanied", "unaccompanied")),
    Rule("with_parent", "rule.with_parent", _requirement("with_parent", "parent_with_child")),
    Rule("wheelchair", "rule.wheelchair", _requirement("wheelchair", "wheelchair")),
    Rule("interpreter", "rule.interpreter", _no_shared_language),
    Rule(
        "not_child_friendly",
        "rule.not_child_friendly",
        lambda p, n, c: ~p.child_friendly if n.is_minor else np.zeros(len(p), bool),
    ),
    Rule("no_capacity", "rule.no_capacity", _no_capacity),
    Rule("avoid_area", "rule.avoid_area", lambda p, n, c: c.inside_avoid),
    Rule("too_far", "rule.too_far", _too_far),
)
RULE_NAMES = tuple(r.name for r in RULES)


@dataclass(frozen=True)
class Reason:
    """A sentence to show: a translation key and its values."""

    key: str
    values: tuple[tuple[str, object], ...] = ()
    gap: bool = False  # a gap (⚠) the caseworker should weigh, rather than a fit (✓)

    @property
    def params(self) -> dict[str, object]:
        return dict(self.values)


def reason(key: str, **values: object) -> Reason:
    """A fit: something that speaks for the service."""
    return Reason(key, tuple(sorted(values.items())))


def gap(key: str, **values: object) -> Reason:
    """A gap: something the caseworker should know before referring."""
    return Reason(key, tuple(sorted(values.items())), gap=True)


@dataclass(frozen=True)
class Factor:
    """A soft-score factor: a score in [0, 1] per row, and the sentence for one row."""

    name: str
    weight: float
    score: Callable[[Prepared, Needs, Context, np.ndarray], np.ndarray]
    explain: Callable[[Prepared, Needs, Context, int], Reason]
    applies: Callable[[Needs], bool] = lambda n: True


def _distance(p: Prepared, n: Needs, c: Context, i: np.ndarray) -> np.ndarray:
    if n.max_minutes is not None:
        return np.clip(1.0 - c.minutes[i] / n.max_minutes, 0.0, 1.0)
    return np.clip(1.0 - c.km[i] / n.max_km, 0.0, 1.0)


def _language(p: Prepared, n: Needs, c: Context, i: np.ndarray) -> np.ndarray:
    speaks = np.zeros(len(i), bool)
    for code in n.languages:
        speaks |= p.speaks(code, i)
    return np.where(speaks, 1.0, np.where(p.interpretation[i], 0.5, 0.0))


CAPACITY_SCORE = {
    "available": 1.0, "unknown": 0.4, "needs_assessment": 0.4, "waitlist": 0.2, "full": 0.0
}  # fmt: skip
_CAPACITY_SCORES = np.array([CAPACITY_SCORE[name] for name in CAPACITY_STATUSES])


def _capacity(p: Prepared, n: Needs, c: Context, i: np.ndarray) -> np.ndarray:
    return _CAPACITY_SCORES[c.capacity[i]]


def _verified(p: Prepared, n: Needs, c: Context, i: np.ndarray) -> np.ndarray:
    days = p.assured_days[i]
    return np.where(days <= c.assured_stale_days, 1.0, np.where(np.isfinite(days), 0.3, 0.0))


def _specialised(p: Prepared, n: Needs, c: Context, i: np.ndarray) -> np.ndarray:
    """Specialised in the child's exploitation type: 1; in trafficking only: 0.5 when the
    listing says its types (it does not cover this one), 1 when it does not say; else 0."""
    general = p.trafficking[i].astype(float)
    if n.exploitation in (None, "other") or not p.has_specialisations:
        return general  # no listing names "other": only the general flag can speak to it
    bit = 1 << EXPLOITATION_TYPES.index(n.exploitation)
    listed = p.specialisations[i]
    # An empty list says nothing about the types: the general flag counts in full.
    return np.where(listed & bit, 1.0, np.where(listed != 0, general * 0.5, general))


def _explain_distance(p: Prepared, n: Needs, c: Context, r: int) -> Reason:
    by_road = METHODS[int(c.method[r])] == ROAD_METHOD
    # Without a graph every distance is an estimate from the straight line, and says so; with
    # one, a site the roads do not reach is that same estimate, flagged as a gap.
    no_road = not by_road and p.places.road is not None
    suffix = ".road" if by_road else ".no_road" if no_road else ""
    if c.approximate[r]:
        # Rounded so the sentence cannot tell how far the site is from its UAT seat.
        km = max(c.km_step, c.km_step * round(float(c.km[r]) / c.km_step))
        minutes = km * (c.minutes[r] / c.km[r]) if c.km[r] > 0 else 0.0
        minutes = max(5, int(5 * round(minutes / 5)))
        make = gap if no_road else reason
        return make("reason.distance_approximate" + suffix, km=int(km), minutes=minutes)
    minutes = max(int(5 * round(c.minutes[r] / 5)), 5)
    make = gap if no_road else reason
    return make("reason.distance" + suffix, km=round(float(c.km[r]), 1), minutes=minutes)


def _explain_language(p: Prepared, n: Needs, c: Context, r: int) -> Reason:
    shared = [code for code in n.languages if p.speaks_at(code, r)]
    if shared:
        return reason("reason.language.speaks", languages=", ".join(shared))
    wanted = ", ".join(n.languages)
    if p.interpretation[r]:
        return gap("reason.language.interpreter_for", languages=wanted)
    return gap("reason.language.none_for", languages=wanted)


def _explain_capacity(p: Prepared, n: Needs, c: Context, r: int) -> Reason:
    effective = CAPACITY_STATUSES[c.capacity[r]]
    reported = CAPACITY_STATUSES[p.capacity[r]]
    days = int(p.capacity_days[r]) if np.isfinite(p.capacity_days[r]) else None
    if effective == "unknown" and reported != "unknown" and days is not None:
        return gap("reason.capacity.stale", days=days)
    if effective == "available" and days is not None:
        return reason("reason.capacity.available", days=days)
    if effective in ("full", "waitlist") and days is not None:
        # Only services that are not shelters get here when full: they rank below those
        # with room (a full shelter is excluded by its rule).
        return gap(f"reason.capacity.{effective}.dated", days=days)
    if effective == "available":
        return reason("reason.capacity.available.undated")
    return gap(f"reason.capacity.{effective}")


def _explain_verified(p: Prepared, n: Needs, c: Context, r: int) -> Reason:
    days = p.assured_days[r]
    if not np.isfinite(days):
        return gap("reason.verified.never")
    if days <= c.assured_stale_days:
        return reason("reason.verified.recent", days=int(days))
    return gap("reason.verified.stale", days=int(days))


def _explain_specialised(p: Prepared, n: Needs, c: Context, r: int) -> Reason:
    if n.exploitation not in (None, "other") and p.has_specialisations and p.specialisations[r]:
        kind = n.exploitation
        if p.specialisations[r] & (1 << EXPLOITATION_TYPES.index(kind)):
            return reason("reason.specialised.yes", exploitation=kind)
        if p.trafficking[r]:
            return gap("reason.specialised.other", exploitation=kind)
        return gap("reason.specialised.no", exploitation=kind)
    return reason("reason.trafficking.yes") if p.trafficking[r] else gap("reason.trafficking.no")


def _explain_intake(p: Prepared, n: Needs, c: Context, r: int) -> Reason:
    return reason("reason.intake.yes") if p.intake_24_7[r] else gap("reason.intake.no")


FACTORS: tuple[Factor, ...] = (
    Factor("distance", 0.30, _distance, _explain_distance),
    Factor("language", 0.25, _language, _explain_language),
    Factor("capacity", 0.15, _capacity, _explain_capacity),
    Factor("trafficking", 0.10, _specialised, _explain_specialised),
    Factor("verified", 0.10, _verified, _explain_verified),
    Factor(
        "intake_24_7", 0.10,
        lambda p, n, c, i: p.intake_24_7[i].astype(float), _explain_intake,
        applies=lambda n: n.urgency == "emergency",
    ),
)  # fmt: skip
