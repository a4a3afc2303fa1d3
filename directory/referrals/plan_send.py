"""Send a whole care plan at once: one case code, one consent, one referral per chosen service.

The caseworker ticks the plan's services to send (a need may be left out). Every referral
is created in ONE transaction: if any of them cannot be sent (a duplicate, a bad case code,
a service removed meanwhile), none is, so the caseworker never has to work out which half
of a plan went out. Each referral then lives on its own, with its own status and history.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

from directory.errors import NotFoundError, PlanDuplicateError, ValidationError
from directory.models import Referral, Service, ServiceAtLocation, User
from directory.referrals import guards
from directory.referrals import workflow as referrals
from directory.referrals.case_codes import check_case_code
from directory.referrals.drafts import draft_from_match
from directory.referrals.workflow import Draft
from directory.storage.store import Store
from matching.needs import Needs
from matching.rank import Match


def plan_drafts(
    needs: Needs,
    chosen: Sequence[Match],
    *,
    case_code: str,
    consent_fields: Iterable[str],
    origin_siruta: int | None,
) -> list[Draft]:
    """One draft per chosen match, all with the same case code and consent.

    Each referral carries the needs that are being sent (the ticked ones, in plan order),
    not the ones the caseworker left out.
    """
    if not chosen:
        raise ValidationError("plan", "tick at least one service of the plan to send")
    sent_needs = tuple(dict.fromkeys(m.service_type for m in chosen))
    plan_needs = dataclasses.replace(needs, needs=sent_needs)
    consent = tuple(consent_fields)
    return [
        draft_from_match(
            plan_needs, m, case_code=case_code, consent_fields=consent, origin_siruta=origin_siruta
        )
        for m in chosen
    ]


def service_name(store: Store, service_at_location_id: str) -> str:
    """The name of the service behind a service-at-location, for messages."""
    try:
        link = store.get(ServiceAtLocation, service_at_location_id)
        return store.get(Service, link.service_id).name
    except NotFoundError:
        return service_at_location_id


def plan_duplicates(store: Store, drafts: Sequence[Draft]) -> tuple[tuple[str, str], ...]:
    """(service name, open referral id) for each draft whose service already has one."""
    found = []
    for d in drafts:
        existing = guards.open_referral_for(store, d.case_code, d.service_at_location_id)
        if existing is not None:
            found.append((service_name(store, d.service_at_location_id), existing.id))
    return tuple(found)


def send_plan(
    store: Store,
    user: User,
    drafts: Sequence[Draft],
    *,
    resend_notes: Mapping[str, str] | None = None,
    now: datetime | None = None,
) -> list[Referral]:
    """Create and send every draft in one transaction: all are sent, or none.

    Raises PlanDuplicateError naming each service that already has an open referral for
    this case code, before anything is written; any other failure rolls the batch back.
    Each referral gets its own audit row and first event, as a single send would.
    ``resend_notes`` (service-at-location id -> why) keeps, in the history of a referral
    sent again to a service that had declined this case, why it was sent again.
    """
    if not drafts:
        raise ValidationError("plan", "tick at least one service of the plan to send")
    codes = {guards.normal_case_code(check_case_code(d.case_code)) for d in drafts}
    if len(codes) != 1:
        raise ValidationError("case_code", "a plan is sent under one case code")
    targets = [d.service_at_location_id for d in drafts]
    if len(set(targets)) != len(targets):
        raise ValidationError("plan", "the same service is chosen twice; untick one")
    duplicates = plan_duplicates(store, drafts)
    if duplicates:
        raise PlanDuplicateError(duplicates)
    now = now or referrals.now_utc()
    notes = resend_notes or {}
    with store.transaction():
        sent = [referrals.create(store, user, d, now=now) for d in drafts]
        for referral in sent:
            if notes.get(referral.service_at_location_id, "").strip():
                guards.note_resend(store, user, referral, notes[referral.service_at_location_id])
    return sent
