"""Next-best: after a decline or a missed deadline, the best service this case has not tried."""

from __future__ import annotations

from dataclasses import replace

from directory.models import Referral
from directory.referrals.consent import band_start
from directory.referrals.drafts import draft_from_match
from directory.referrals.guards import case_status_by_service
from directory.referrals.workflow import Draft, service_type_of, tried_services
from directory.settings import Settings
from directory.storage.store import Store
from matching.needs import Needs
from matching.prepared import Prepared
from matching.rank import Match, rank

DEFAULT_MAX_KM = 200.0


def age_for_search(referral: Referral) -> int:
    """The exact age when it was shared; else the youngest age of its band."""
    if referral.age is not None:
        return referral.age
    return band_start(referral.age_band) if referral.age_band else 0


def needs_of(referral: Referral, origin: tuple[float, float]) -> Needs:
    """The needs a referral was sent with, from ``origin`` (lat, lon: its UAT's seat)."""
    return Needs(
        latitude=origin[0],
        longitude=origin[1],
        age=age_for_search(referral),
        needs=referral.needs,
        gender=referral.gender,
        languages=referral.languages or ("ro",),
        urgency=referral.urgency,
        requirements=referral.requirements,
        max_km=referral.max_km or DEFAULT_MAX_KM,
    )


def next_best(
    store: Store,
    referral: Referral,
    prepared: Prepared,
    origin: tuple[float, float] | None,
    settings: Settings,
) -> Match | None:
    """The best match for the same need that this case has not been referred to yet.

    ``origin`` is the (lat, lon) of the referral's UAT, or None when no origin was shared:
    then there is nothing to rank from.
    """
    if origin is None or pending_for_need(store, referral):
        return None
    need = service_type_of(store, referral) or referral.needs[0]
    tried = tried_services(store, referral.case_code)
    needs = replace(needs_of(referral, origin), needs=(need,))
    result = rank(prepared, needs, settings.match_policy())
    return next((m for m in result.matches if m.service_at_location_id not in tried), None)


def pending_for_need(store: Store, referral: Referral) -> bool:
    """True when another referral of this case for the same need is still open.

    Then nothing more is offered for that need until it is answered: a third shelter is
    never offered while the second is pending.
    """
    need = service_type_of(store, referral) or referral.needs[0]
    return any(
        mark == "open"
        and sal_id != referral.service_at_location_id
        and store.service_type_of_link(sal_id) == need
        for sal_id, mark in case_status_by_service(store, referral.case_code).items()
    )


def next_best_draft(referral: Referral, match: Match, origin: tuple[float, float]) -> Draft:
    """The referral re-sent to ``match``, with the same case code, needs and consent.

    The age band travels as stored: the search age may be only the youngest of the band.
    """
    draft = draft_from_match(
        needs_of(referral, origin),
        match,
        case_code=referral.case_code,
        consent_fields=referral.consent_fields,
        origin_siruta=referral.origin_siruta,
    )
    return replace(draft, age=referral.age, age_band=referral.age_band)
