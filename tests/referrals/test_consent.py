"""Consent is enforced in create(): needs, urgency and the age band always travel, the rest
only when consented, and the receiving side sees exactly what was stored."""

from __future__ import annotations

import pytest

from directory.errors import ValidationError
from directory.referrals import workflow as referrals
from directory.referrals.consent import AGE_BANDS, CONSENT_FIELDS, age_band, apply_consent
from directory.referrals.sheet import sheet_html
from tests.referrals.conftest import REASONS, draft, send, user

COLUMNS = (
    "needs", "urgency", "age_band", "age", "gender", "languages", "requirements",
    "origin_siruta", "origin_latitude", "origin_longitude", "consent_fields",
)  # fmt: skip


@pytest.mark.parametrize(
    "age, band",
    [(0, "0-5"), (5, "0-5"), (6, "6-11"), (11, "6-11"), (12, "12-14"), (14, "12-14"),
     (15, "15-17"), (17, "15-17"), (18, "18+"), (25, "18+")],
)  # fmt: skip
def test_age_bands(age, band):
    assert age_band(age) == band


def test_nothing_consented_stores_only_needs_urgency_and_the_band(db, home_sal):
    # The form sent everything, as a tampered or buggy form would; nothing was consented to.
    ref = send(db, home_sal, consent_fields=())
    row = db.db.execute(
        f"SELECT {', '.join(COLUMNS)} FROM referral WHERE id = ?", [ref.id]
    ).fetchone()
    assert dict(zip(COLUMNS, row)) == {
        "needs": '["shelter_emergency","legal_aid"]', "urgency": "emergency",
        "age_band": "15-17", "age": None, "gender": None, "languages": "[]",
        "requirements": "[]", "origin_siruta": None, "origin_latitude": None,
        "origin_longitude": None, "consent_fields": "[]",
    }  # fmt: skip
    # The distance would reveal the starting area and the language the child's languages;
    # the capacity reveals nothing about the child.
    assert ref.reasons == (REASONS[2],)
    assert ref.age is None and ref.gender is None and ref.languages == ()


def test_every_field_consented_keeps_everything(db, home_sal):
    ref = send(db, home_sal, consent_fields=CONSENT_FIELDS)
    assert (ref.age, ref.gender, ref.languages) == (15, "female", ("ro", "rom"))
    assert ref.requirements == ("unaccompanied",) and ref.origin_siruta == 161945
    assert ref.reasons == REASONS


def test_a_language_reason_goes_only_with_the_languages(db, home_sal):
    assert send(db, home_sal, consent_fields=("age",)).reasons == (REASONS[2],)
    both = send(db, home_sal, consent_fields=("languages",), case_code="VS-2026-0143")
    assert both.reasons == (REASONS[1], REASONS[2]) and both.languages == ("ro", "rom")


def test_unknown_consent_names_are_refused(db, home_sal):
    with pytest.raises(ValidationError, match="unknown fields: name"):
        send(db, home_sal, consent_fields=("age", "name"))
    assert db.db["referral"].count == 0


def test_the_receiver_sees_exactly_what_was_stored(db, home_sal):
    ref = send(db, home_sal, consent_fields=())
    coordinator = user(db, "demo-coordinator")
    seen = next(r for r in referrals.visible_to(db, coordinator) if r.id == ref.id)
    assert seen == ref
    labels = {k: k for k in ("title", "reasons", "footer", "case_code", "status", "urgency")}
    labels |= {k: k for k in ("due", "needs", "age", "age_band", "languages", "service")}
    labels |= {k: k for k in ("organization", "locality", "phone", "referral_process")}
    labels["schedule"] = "schedule"
    html = sheet_html(seen, {}, labels)
    assert "15-17" in html and ">15<" not in html and "rom" not in html


def test_age_band_values_are_the_five_bands():
    assert AGE_BANDS == ("0-5", "6-11", "12-14", "15-17", "18+")


def test_the_band_follows_the_age_not_what_the_draft_claims():
    assert apply_consent(draft("sal", age=9, age_band="15-17")).age_band == "6-11"
    assert apply_consent(draft("sal", age=None, age_band="12-14")).age_band == "12-14"
