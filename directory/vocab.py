"""Controlled vocabularies of the domain model (DESIGN.md §2).

Codes are stored; labels live in the translation layer so both languages stay complete.
"""

from __future__ import annotations

from functools import lru_cache

SERVICE_TYPES: tuple[str, ...] = (
    "shelter_emergency",
    "shelter_residential",
    "legal_aid",
    "psychological_counselling",
    "medical",
    "social_reintegration",
    "education",
    "family_support",
    "hotline",
    "repatriation",
)
SHELTER_TYPES: frozenset[str] = frozenset({"shelter_emergency", "shelter_residential"})
LEGAL_STATUSES: tuple[str, ...] = ("public", "ngo", "private")
SERVICE_STATUSES: tuple[str, ...] = ("active", "inactive", "defunct", "temporarily closed")
# "needs_assessment": the provider takes a child only after assessing them; ranks like unknown.
CAPACITY_STATUSES: tuple[str, ...] = (
    "available", "full", "waitlist", "unknown", "needs_assessment"
)  # fmt: skip
# Trafficking specialisations a service records; the matcher's exploitation types add "other".
SPECIALISATIONS: tuple[str, ...] = ("sexual", "online_sexual", "labour", "forced_begging")
EXPLOITATION_TYPES: tuple[str, ...] = (*SPECIALISATIONS, "other")
DISCLOSURES: tuple[str, ...] = ("public", "partners", "on_accepted_referral", "never")
GENDERS: tuple[str, ...] = ("female", "male")
ROLES: tuple[str, ...] = ("caseworker", "coordinator", "partner", "admin")
ACCESSIBILITY: tuple[str, ...] = ("wheelchair", "sign_language", "easy_read")
# A service is child-friendly only when every one of these is recorded (DESIGN.md §2).
CHILD_FRIENDLY_CRITERIA: tuple[str, ...] = (
    "trauma_informed_staff",
    "child_friendly_interview_room",
    "child_protection_policy",
    "anpdca_licensed",
)
URGENCIES: tuple[str, ...] = ("emergency", "urgent", "routine")
REFERRAL_STATUSES: tuple[str, ...] = (
    "draft",
    "sent",
    "accepted",
    "declined",
    "completed",
    "cancelled",
)
DECLINE_REASONS: tuple[str, ...] = (
    "no_capacity",
    "out_of_age_range",
    "language",
    "safety_conflict",
    "needs_assessment",
    "other",
)
# "city_sector_unknown": Bucharest as a whole (its centre) because no sector was given.
GEOCODE_PRECISIONS: tuple[str, ...] = (
    "address", "locality", "uat_seat", "uat_only", "manual", "city_sector_unknown"
)  # fmt: skip

# Romania's extent with a small margin; anything outside is a typo or swapped coordinates.
RO_LAT = (43.55, 48.35)
RO_LON = (20.15, 29.80)


@lru_cache(maxsize=256)
def language_problem(code: str) -> str | None:
    """Why ``code`` is not an accepted ISO 639 code, or None when it is.

    ISO 639-1 is required where one exists (``ro``, not ``ron``); otherwise ISO 639-3
    (``rom`` for Romani).
    """
    import pycountry  # imported late: it loads a large table that most callers never need

    if len(code) == 2:
        if pycountry.languages.get(alpha_2=code) is None:
            return f"{code!r} is not an ISO 639-1 language code"
        return None
    if len(code) == 3:
        lang = pycountry.languages.get(alpha_3=code)
        if lang is None:
            return f"{code!r} is not an ISO 639-3 language code"
        alpha_2 = getattr(lang, "alpha_2", None)
        if alpha_2:
            return f"use the two-letter ISO 639-1 code {alpha_2!r} instead of {code!r}"
        return None
    return f"{code!r} is not an ISO 639 code (use two letters such as 'ro', or 'rom' for Romani)"
