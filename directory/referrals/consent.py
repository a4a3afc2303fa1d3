"""What a referral carries: needs, urgency and an age band always; the rest only with consent.

The receiver cannot act without the needs, the urgency and a rough age, so those always
travel. Every other detail about the child (exact age, gender, languages, special
requirements, the starting area) is kept only when the child and guardian agreed to share
it, and so are the match reasons that would give it away (a "staff speak Romani" reason
reveals the child's language). The exploitation type is never stored on a referral.

:func:`apply_consent` is pure: ``create()`` calls it, so no form can skip it.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from directory.errors import ValidationError
from directory.reasons import as_reasons

ALWAYS_SHARED = ("needs", "urgency", "age_band")
CONSENT_FIELDS = ("age", "gender", "languages", "requirements", "origin_area")
AGE_BANDS = ("0-5", "6-11", "12-14", "15-17", "18+")
_BAND_STARTS = (0, 6, 12, 15, 18)
# Reason keys (prefix match) that reveal a field about the child.
REASON_REVEALS = {
    "reason.language": "languages",
    "reason.distance": "origin_area",
    "reason.gender": "gender",
    "reason.age": "age",
    "reason.requirement": "requirements",
    "reason.exploitation": "exploitation",
}

if TYPE_CHECKING:  # a runtime import would be circular: workflow calls this module
    from directory.referrals.workflow import Draft


def age_band(age: int) -> str:
    """The band of ``age``: 0–5, 6–11, 12–14, 15–17 or 18+."""
    if age < 0:
        raise ValidationError("age", "must not be negative")
    return next(band for band, start in zip(AGE_BANDS[::-1], _BAND_STARTS[::-1]) if age >= start)


def band_start(band: str) -> int:
    """The youngest age in a band, for a search that needs one number."""
    return _BAND_STARTS[AGE_BANDS.index(band)]


def reveals(reason_key: str) -> str | None:
    """The child's field a reason gives away, or None when it says only about the service."""
    return next((f for p, f in REASON_REVEALS.items() if reason_key.startswith(p)), None)


def check_consent_fields(fields: tuple[str, ...]) -> tuple[str, ...]:
    """The consented fields, without the always-shared ones; unknown names are refused."""
    unknown = set(fields) - set(CONSENT_FIELDS) - set(ALWAYS_SHARED)
    if unknown:
        raise ValidationError("consent_fields", f"unknown fields: {', '.join(sorted(unknown))}")
    return tuple(f for f in CONSENT_FIELDS if f in fields)


def apply_consent(draft: Draft) -> Draft:
    """The draft as it may be stored: what was not consented to is blanked out.

    A reason is kept only when it reveals nothing that was not consented to; reasons are
    stored as keys with values (directory/reasons.py), so each one names what it says.
    """
    consent = check_consent_fields(draft.consent_fields)
    age = draft.age
    # The band follows the age whenever the age is known, so the two can never disagree.
    band = age_band(age) if age is not None else draft.age_band
    reasons = tuple(r for r in as_reasons(draft.reasons) if reveals(r.key) in (None, *consent))
    has = consent.__contains__
    return dataclasses.replace(
        draft,
        age=age if has("age") else None,
        age_band=band,
        gender=draft.gender if has("gender") else None,
        languages=draft.languages if has("languages") else (),
        requirements=draft.requirements if has("requirements") else (),
        origin_siruta=draft.origin_siruta if has("origin_area") else None,
        reasons=reasons,
        consent_fields=consent,
    )
