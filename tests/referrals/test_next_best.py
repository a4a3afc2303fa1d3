"""Next-best, without Streamlit: the best service of the same type this case has not tried."""

from __future__ import annotations

from dataclasses import replace

import pytest

from directory.referrals import workflow as referrals
from directory.referrals.next_best import needs_of, next_best, next_best_draft
from directory.settings import Settings
from directory.storage.frame import services_frame
from matching.prepared import prepare
from matching.rank import rank

from ..conftest import TODAY
from .conftest import CASE, move, send, user

VASLUI = (46.63811, 27.72913)
SETTINGS = Settings.from_env({})


@pytest.fixture
def prepared(db):
    return prepare(services_frame(db, details=True), TODAY)


def test_next_best_skips_every_service_tried_for_the_case(db, home_sal, prepared):
    first = send(db, home_sal)
    best = next_best(db, first, prepared, VASLUI, SETTINGS)
    assert best is not None and best.service_type == "shelter_emergency"
    assert best.service_at_location_id != home_sal
    # The same ranking, minus what was tried: it is the first untried match.
    ranked = rank(
        prepared,
        replace(needs_of(first, VASLUI), needs=("shelter_emergency",)),
        SETTINGS.match_policy(),
    )
    untried = [m for m in ranked.matches if m.service_at_location_id != home_sal]
    assert best == untried[0]
    # Once that one is tried too, the offer moves on.
    send(db, best.service_at_location_id)
    after = next_best(db, first, prepared, VASLUI, SETTINGS)
    assert after is not None
    assert after.service_at_location_id not in {home_sal, best.service_at_location_id}


def test_no_origin_means_no_offer(db, home_sal, prepared):
    assert next_best(db, send(db, home_sal), prepared, None, SETTINGS) is None


def test_the_next_best_draft_is_the_same_case_to_the_new_service(db, home_sal, prepared):
    first = move(db, send(db, home_sal), "declined", by="demo-coordinator")
    best = next_best(db, first, prepared, VASLUI, SETTINGS)
    draft = next_best_draft(first, best, VASLUI)
    assert draft.service_at_location_id == best.service_at_location_id
    assert (draft.case_code, draft.needs, draft.age, draft.urgency) == (
        CASE, first.needs, first.age, first.urgency
    )  # fmt: skip
    assert draft.consent_fields == first.consent_fields
    assert draft.gender == first.gender  # "gender" was consented to in the first one
    assert draft.languages == ()  # "languages" was not
    assert draft.reasons and all(r.key.startswith("reason.") for r in draft.reasons)
    second = referrals.create(db, user(db, "demo-caseworker"), draft)
    assert referrals.tried_services(db, CASE) >= {home_sal, best.service_at_location_id}
    assert second.status == "sent"
