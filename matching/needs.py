"""What a child needs, as the caseworker enters it. Never stored, except as a referral snapshot."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from directory import vocab
from directory.errors import ValidationError

EXPLOITATION_TYPES = vocab.EXPLOITATION_TYPES
# Placement with a sibling is not offered: no listing field records it yet, and a requirement
# the matcher cannot check would silently be ignored.
# "interpreter": staff speak one of the child's languages, or the service offers interpretation.
REQUIREMENTS = ("wheelchair", "with_parent", "unaccompanied", "interpreter")
MAX_KM_LIMIT = 1000.0
MAX_MINUTES_LIMIT = 1200.0
# The avoid area is tested on a confidential site's true point; a smaller area could be used
# to find where a shelter is by watching it drop out of the results.
MIN_AVOID_RADIUS_KM = 2.0
MAX_AVOID_RADIUS_KM = 200.0
# A polygon must cover at least what the smallest circle covers (π·2² km²), for the same reason.
MIN_AVOID_AREA_KM2 = math.pi * MIN_AVOID_RADIUS_KM**2


@dataclass(frozen=True)
class AvoidArea:
    """A place the child must not be sent near: a circle, or a polygon of (lat, lon) points."""

    latitude: float | None = None
    longitude: float | None = None
    radius_km: float | None = None
    polygon: tuple[tuple[float, float], ...] = ()

    def __post_init__(self) -> None:
        circle = None not in (self.latitude, self.longitude, self.radius_km)
        if circle == bool(self.polygon):
            raise ValidationError("avoid", "give either a circle (centre and radius) or a polygon")
        if circle and not MIN_AVOID_RADIUS_KM <= (self.radius_km or 0) <= MAX_AVOID_RADIUS_KM:
            raise ValidationError(
                "avoid",
                f"the radius must be between {MIN_AVOID_RADIUS_KM:.0f} and "
                f"{MAX_AVOID_RADIUS_KM:.0f} km (a smaller area could locate a confidential site)",
            )
        if self.polygon and len(self.polygon) < 3:
            raise ValidationError("avoid", "a polygon needs at least 3 points")
        if self.polygon and _area_km2(self.polygon) < MIN_AVOID_AREA_KM2:
            raise ValidationError(
                "avoid",
                f"the polygon must cover at least {MIN_AVOID_AREA_KM2:.1f} km² (a circle of "
                f"{MIN_AVOID_RADIUS_KM:.0f} km): a smaller area could locate a confidential site",
            )


def _area_km2(polygon: tuple[tuple[float, float], ...]) -> float:
    """Shoelace area on a local flat projection: exact enough at the size of a county."""
    mid_lat = math.radians(sum(lat for lat, _ in polygon) / len(polygon))
    xs = [lon * 111.32 * math.cos(mid_lat) for _, lon in polygon]
    ys = [lat * 110.57 for lat, _ in polygon]
    twice = sum(xs[i] * ys[i - 1] - xs[i - 1] * ys[i] for i in range(len(xs)))
    return abs(twice) / 2


@dataclass(frozen=True)
class Needs:
    latitude: float
    longitude: float
    age: int
    needs: tuple[str, ...]
    gender: str | None = None
    languages: tuple[str, ...] = ("ro",)
    urgency: str = "routine"
    exploitation: str | None = None
    requirements: tuple[str, ...] = ()
    max_km: float = 200.0
    max_minutes: float | None = None  # when given, the limit is in minutes (by road) instead
    accept_waitlist: bool = False
    avoid: AvoidArea | None = None
    origin_label: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not 0 <= self.age <= 25:
            raise ValidationError("age", "must be between 0 and 25")
        if not self.needs:
            raise ValidationError("needs", "choose at least one service the child needs")
        for need in self.needs:
            if need not in vocab.SERVICE_TYPES:
                raise ValidationError("needs", f"{need!r} is not a service type")
        if len(set(self.needs)) != len(self.needs):
            raise ValidationError("needs", "each service type may be chosen once")
        if self.gender is not None and self.gender not in vocab.GENDERS:
            raise ValidationError("gender", f"{self.gender!r} is not one of female, male")
        if self.urgency not in vocab.URGENCIES:
            raise ValidationError("urgency", f"{self.urgency!r} is not one of {vocab.URGENCIES}")
        if self.exploitation is not None and self.exploitation not in EXPLOITATION_TYPES:
            raise ValidationError("exploitation", f"{self.exploitation!r} is not a known type")
        for req in self.requirements:
            if req not in REQUIREMENTS:
                raise ValidationError("requirements", f"{req!r} is not a known requirement")
        for code in self.languages:
            problem = vocab.language_problem(code)
            if problem:
                raise ValidationError("languages", problem)
        if not 1 <= self.max_km <= MAX_KM_LIMIT:
            raise ValidationError("max_km", f"must be between 1 and {MAX_KM_LIMIT:.0f} km")
        if self.max_minutes is not None and not 1 <= self.max_minutes <= MAX_MINUTES_LIMIT:
            raise ValidationError(
                "max_minutes", f"must be between 1 and {MAX_MINUTES_LIMIT:.0f} minutes"
            )
        lat_lo, lat_hi = vocab.RO_LAT
        lon_lo, lon_hi = vocab.RO_LON
        if not (lat_lo <= self.latitude <= lat_hi and lon_lo <= self.longitude <= lon_hi):
            raise ValidationError("origin", "the starting point must be in Romania")

    @property
    def is_minor(self) -> bool:
        return self.age < 18

    def with_origin(self, latitude: float, longitude: float) -> Needs:
        from dataclasses import replace

        return replace(self, latitude=latitude, longitude=longitude)

    def only(self, need: str) -> Needs:
        from dataclasses import replace

        return replace(self, needs=(need,))
