"""What the receiving side is shown of a referral: exactly what it stores, in the reader's words.

Needs and urgency always travel; the child's other fields only when the caseworker ticked
them as consented, so the screen and the printed sheet never show more than was agreed.
"""

from __future__ import annotations

from directory.demo.names import shown_name
from directory.errors import NotFoundError
from directory.i18n import DEFAULT_LANGUAGE, translate
from directory.models import Referral, User
from directory.reasons import Reason
from directory.storage.store import Store

# Which consent box each reason needs before it may be shown: a reason naming the child's
# languages, or the distance from where the child is, says something about the child.
# Reasons not listed describe only the service. Legacy sentences may mention anything.
REASON_CONSENT = {
    "reason.language.speaks": "languages",
    "reason.language.interpreter": "languages",
    "reason.language.none": "languages",
    "reason.distance": "origin_area",
    "reason.distance_approximate": "origin_area",
    "reason.legacy": "languages",
}


def packet_rows(referral: Referral, lang: str = DEFAULT_LANGUAGE) -> list[tuple[str, str]]:
    """(label, value) pairs in ``lang``: needs, urgency, then each consented field stored."""

    def tr(key: str) -> str:
        return translate(key, lang)

    consented = set(referral.consent_fields)
    rows = [
        (tr("find.needs"), ", ".join(tr("type." + n) for n in referral.needs)),
        (tr("find.urgency"), tr("urgency." + referral.urgency)),
    ]
    if referral.age_band:  # always stored: the receiver cannot act without a rough age
        rows.append((tr("ref.age_band"), referral.age_band))
    if "age" in consented and referral.age is not None:
        rows.append((tr("find.age"), str(referral.age)))
    if "gender" in consented and referral.gender:
        rows.append((tr("find.gender"), tr("gender." + referral.gender)))
    if "languages" in consented and referral.languages:
        rows.append((tr("find.languages"), ", ".join(tr("lang." + c) for c in referral.languages)))
    if "requirements" in consented and referral.requirements:
        names = ", ".join(tr("requirement." + r) for r in referral.requirements)
        rows.append((tr("find.requirements"), names))
    return rows


def consented_reasons(referral: Referral) -> tuple[Reason, ...]:
    """The match reasons that reveal nothing the caseworker did not agree to share."""
    consented = set(referral.consent_fields)
    return tuple(
        r
        for r in referral.reasons
        if r.key not in REASON_CONSENT or REASON_CONSENT[r.key] in consented
    )


def display_names(
    store: Store, usernames: set[str], lang: str = DEFAULT_LANGUAGE
) -> dict[str, str]:
    """Each known username's display name in ``lang``; unknown ones (removed accounts) are
    left out."""
    names: dict[str, str] = {}
    for username in usernames:
        try:
            user = store.get(User, username)
        except NotFoundError:
            continue
        names[username] = shown_name(username, user.display_name, user.is_demo, lang)
    return names
