"""A referral draft from the child's needs, the chosen match and what was consented to."""

from __future__ import annotations

from collections.abc import Iterable

from directory.reasons import as_reasons
from directory.referrals.workflow import Draft
from matching.needs import Needs
from matching.rank import Match


def draft_from_match(
    needs: Needs,
    match: Match,
    *,
    case_code: str,
    consent_fields: Iterable[str],
    origin_siruta: int | None,
) -> Draft:
    """The draft the caseworker confirms: only the optional fields consented to are kept.

    Reasons are kept as keys with values, so each reader sees them in their own language.
    ``workflow.create`` validates and saves it.
    """
    consent = tuple(consent_fields)
    return Draft(
        case_code=case_code,
        service_at_location_id=match.service_at_location_id,
        needs=needs.needs,
        age=needs.age,
        urgency=needs.urgency,
        gender=needs.gender if "gender" in consent else None,
        languages=needs.languages if "languages" in consent else (),
        requirements=needs.requirements if "requirements" in consent else (),
        max_km=needs.max_km,
        score=match.score,
        reasons=as_reasons(match.reasons),
        consent_fields=consent,
        origin_siruta=origin_siruta if "origin_area" in consent else None,
    )
