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

from .needs import Needs
from .prepared import Prepared


@dataclass(frozen=True)
class Context:
    """Per-match arrays shared by the rules and the factors."""

    km: np.ndarray
    minutes: np.ndarray
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
    Rule(
        "not_child_friendly",
        "rule.not_child_friendly",
        lambda p, n, c: ~p.child_friendly if n.is_minor else np.zeros(len(p), bool),
    ),
    Rule("no_capacity", "rule.no_capacity", _no_capacity),
    Rule("avoid_area", "rule.avoid_area", lambda p, n, c: c.inside_avoid),
    Rule("too_far", "rule.too_far", lambda p, n, c: ~(c.km <= n.max_km)),
)
RULE_NAMES = tuple(r.name for r in RULES)


@dataclass(frozen=True)
class Reason:
    """A sentence to show: a translation key and its values."""

    key: str
    values: tuple[tuple[str, object], ...] = ()

    @property
    def params(self) -> dict[str, object]:
        return dict(self.values)


def reason(key: str, **values: object) -> Reason:
    return Reason(key, tuple(sorted(values.items())))


@dataclass(frozen=True)
class Factor:
    """A soft-score factor: a score in [0, 1] per row, and the sentence for one row."""

    name: str
    weight: float
    score: Callable[[Prepared, Needs, Context, np.ndarray], np.ndarray]
    explain: Callable[[Prepared, Needs, Context, int], Reason]
    applies: Callable[[Needs], bool] = lambda n: True


def _distance(p: Prepared, n: Needs, c: Context, i: np.ndarray) -> np.ndarray:
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


def _explain_distance(p: Prepared, n: Needs, c: Context, r: int) -> Reason:
    if c.approximate[r]:
        # Rounded so the sentence cannot tell how far the site is from its UAT seat.
        km = max(c.km_step, c.km_step * round(float(c.km[r]) / c.km_step))
        minutes = km * (c.minutes[r] / c.km[r]) if c.km[r] > 0 else 0.0
        minutes = max(5, int(5 * round(minutes / 5)))
        return reason("reason.distance_approximate", km=int(km), minutes=minutes)
    minutes = int(5 * round(c.minutes[r] / 5))
    return reason("reason.distance", km=round(float(c.km[r]), 1), minutes=max(minutes, 5))


def _explain_language(p: Prepared, n: Needs, c: Context, r: int) -> Reason:
    shared = [code for code in n.languages if p.speaks_at(code, r)]
    if shared:
        return reason("reason.language.speaks", languages=", ".join(shared))
    if p.interpretation[r]:
        return reason("reason.language.interpreter")
    return reason("reason.language.none")


def _explain_capacity(p: Prepared, n: Needs, c: Context, r: int) -> Reason:
    effective = CAPACITY_STATUSES[c.capacity[r]]
    reported = CAPACITY_STATUSES[p.capacity[r]]
    if effective == "unknown" and reported != "unknown" and np.isfinite(p.capacity_days[r]):
        return reason("reason.capacity.stale", days=int(p.capacity_days[r]))
    if effective == "available" and np.isfinite(p.capacity_days[r]):
        return reason("reason.capacity.available", days=int(p.capacity_days[r]))
    return reason(f"reason.capacity.{effective}")


def _explain_verified(p: Prepared, n: Needs, c: Context, r: int) -> Reason:
    days = p.assured_days[r]
    if not np.isfinite(days):
        return reason("reason.verified.never")
    key = "reason.verified.recent" if days <= c.assured_stale_days else "reason.verified.stale"
    return reason(key, days=int(days))


def _explain_flag(column: str, key: str) -> Callable[[Prepared, Needs, Context, int], Reason]:
    return lambda p, n, c, r: reason(f"{key}.{'yes' if getattr(p, column)[r] else 'no'}")


FACTORS: tuple[Factor, ...] = (
    Factor("distance", 0.30, _distance, _explain_distance),
    Factor("language", 0.25, _language, _explain_language),
    Factor("capacity", 0.15, _capacity, _explain_capacity),
    Factor(
        "trafficking",
        0.10,
        lambda p, n, c, i: p.trafficking[i].astype(float),
        _explain_flag("trafficking", "reason.trafficking"),
    ),
    Factor("verified", 0.10, _verified, _explain_verified),
    Factor(
        "intake_24_7",
        0.10,
        lambda p, n, c, i: p.intake_24_7[i].astype(float),
        _explain_flag("intake_24_7", "reason.intake"),
        applies=lambda n: n.urgency == "emergency",
    ),
)
