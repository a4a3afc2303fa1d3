"""Reasons are stored as keys with values and read in the reader's language (migration m003)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from streamlit.testing.v1 import AppTest

from directory.i18n import catalog, translate
from directory.reasons import LEGACY_KEY, Reason, legacy, parse_sentence
from directory.referrals import workflow as referrals
from directory.referrals.drafts import draft_from_match
from directory.referrals.sheet import sheet_html
from directory.storage.migrations import m003_reasons_as_keys
from matching.needs import Needs
from matching.rank import Match
from matching.rules import reason

from ..conftest import ROOT
from .conftest import CASE, user

# One reason of every key the matcher gives, with values of the kinds it uses.
SAMPLES = [
    reason("reason.distance", km=12.3, minutes=15),
    reason("reason.distance", km=0.0, minutes=5),
    reason("reason.language.speaks", languages="ro, rom"),
    reason("reason.language.interpreter"),
    reason("reason.language.none"),
    reason("reason.capacity.available", days=3),
    reason("reason.capacity.stale", days=40),
    reason("reason.capacity.unknown"),
    reason("reason.capacity.waitlist"),
    reason("reason.capacity.full"),
    reason("reason.capacity.needs_assessment"),
    reason("reason.trafficking.yes"),
    reason("reason.trafficking.no"),
    reason("reason.verified.recent", days=20),
    reason("reason.verified.stale", days=400),
    reason("reason.verified.never"),
    reason("reason.intake.yes"),
    reason("reason.intake.no"),
    reason("reason.distance_approximate", km=15, minutes=20),
]
VASLUI = (46.63811, 27.72913)
SAMPLES += [
    reason("reason.distance_approximate", km=5, minutes=10),
    # Road times, fits and gaps apart, eligibility confirmed (issues 14 and 16).
    reason("reason.distance.road", km=72.0, minutes=70),
    reason("reason.distance.no_road", km=3.5, minutes=5),
    reason("reason.distance_approximate.road", km=5, minutes=20),
    reason("reason.distance_approximate.no_road", km=10, minutes=15),
    reason("reason.language.interpreter_for", languages="uk"),
    reason("reason.language.none_for", languages="uk, ru"),
    reason("reason.capacity.available.undated"),
    reason("reason.capacity.full.dated", days=2),
    reason("reason.capacity.waitlist.dated", days=9),
    reason("reason.specialised.yes", exploitation="labour"),
    reason("reason.specialised.other", exploitation="online_sexual"),
    reason("reason.specialised.no", exploitation="sexual"),
    reason("reason.eligible.any", min=0, max=17),
    reason("reason.eligible.female", min=12, max=17),
    reason("reason.eligible.male", min=12, max=18),
    reason("reason.eligible.unaccompanied"),
    reason("reason.eligible.with_parent"),
    reason("reason.eligible.wheelchair"),
    reason("reason.eligible.child_friendly"),
    reason("reason.alert", text="Program redus până pe 12 decembrie."),
    reason("reason.alert.stops", text="Nu primim copii până pe 15 decembrie."),
]


def test_samples_cover_every_reason_key():
    keys = {k for k in catalog("en") if k.startswith("reason.") and k != LEGACY_KEY}
    assert {r.key for r in SAMPLES} == keys


@pytest.mark.parametrize("lang", ["ro", "en"])
@pytest.mark.parametrize("sample", SAMPLES, ids=lambda r: r.key)
def test_a_sentence_reads_back_as_its_key_and_values(sample, lang):
    sentence = Reason(sample.key, sample.values).text(lang)
    assert parse_sentence(sentence) == Reason(sample.key, sample.values)


@pytest.mark.parametrize("sentence", ["La 0.0 km.", "Staff speak: Klingon.", "", "{km} km away"])
def test_an_unknown_sentence_stays_as_written(sentence):
    parsed = parse_sentence(sentence)
    assert parsed == legacy(sentence)
    assert parsed.text("ro") == parsed.text("en") == sentence


def _match(sal: str) -> Match:
    return Match(
        service_at_location_id=sal, service_type="shelter_emergency", score=0.8, km=12.3,
        minutes=15.0, reasons=(SAMPLES[0], SAMPLES[2], SAMPLES[5]), factors=(), row=0,
    )  # fmt: skip


NEEDS = Needs(
    latitude=VASLUI[0], longitude=VASLUI[1], age=15, needs=("shelter_emergency",),
    gender="female", languages=("ro", "rom"), urgency="emergency",
    requirements=("unaccompanied",), max_km=150.0,
)  # fmt: skip


def test_draft_from_match_keeps_only_consented_fields(home_sal):
    full = draft_from_match(
        NEEDS, _match(home_sal), case_code=CASE, origin_siruta=161945,
        consent_fields=referrals.CONSENT_FIELDS,
    )  # fmt: skip
    assert (full.gender, full.languages, full.requirements) == (
        "female", ("ro", "rom"), ("unaccompanied",)
    )  # fmt: skip
    assert full.origin_siruta == 161945 and full.max_km == 150.0 and full.score == 0.8
    assert full.reasons == tuple(Reason(r.key, r.values) for r in _match(home_sal).reasons)
    bare = draft_from_match(
        NEEDS, _match(home_sal), case_code=CASE, origin_siruta=161945,
        consent_fields=("age", "needs", "urgency"),
    )  # fmt: skip
    assert (bare.gender, bare.languages, bare.requirements, bare.origin_siruta) == (
        None, (), (), None
    )  # fmt: skip
    assert (bare.age, bare.needs, bare.urgency) == (15, ("shelter_emergency",), "emergency")


def test_a_referral_sent_in_english_reads_in_romanian(db, home_sal):
    # The caseworker works in English; nothing in the draft depends on that language.
    draft = draft_from_match(
        NEEDS, _match(home_sal), case_code=CASE, origin_siruta=161945,
        consent_fields=referrals.CONSENT_FIELDS,
    )  # fmt: skip
    sent = referrals.create(db, user(db, "demo-caseworker"), draft)
    stored = db.db.execute("SELECT reasons FROM referral WHERE id = ?", [sent.id]).fetchone()[0]
    assert "away" not in stored and "La " not in stored  # keys and values, no sentence
    (received,) = referrals.visible_to(db, user(db, "demo-coordinator"))
    romanian = [r.text("ro") for r in received.reasons]
    assert romanian == [
        "La 12.3 km, aprox. 15 min pe drum (estimare după distanță).",
        "Personalul vorbește: română, romani.",
        translate("reason.capacity.available", "ro", days=3),
    ]
    assert received.reasons[0].text("en").startswith("12.3 km away")
    sheet = sheet_html(received, {}, {"title": "T", "reasons": "R", "footer": "F"} | _LABELS, "ro")
    assert "Personalul vorbește: română, romani." in sheet and "Staff speak" not in sheet


_LABELS = {
    k: k
    for k in (
        "case_code", "status", "urgency", "due", "needs", "age", "languages", "service",
        "organization", "locality", "phone", "referral_process", "schedule",
    )
}  # fmt: skip


def test_the_referrals_page_shows_reasons_in_the_readers_language(db, home_sal, monkeypatch):
    draft = draft_from_match(
        NEEDS, _match(home_sal), case_code=CASE, origin_siruta=161945,
        consent_fields=referrals.CONSENT_FIELDS,
    )  # fmt: skip
    referrals.create(db, user(db, "demo-caseworker"), draft)
    monkeypatch.setenv("PUNTE_DB", str(db.path))
    shown = {}
    for lang in ("ro", "en"):
        at = AppTest.from_file(str(ROOT / "ui" / "pages" / "referrals.py"), default_timeout=60)
        at.session_state["lang"] = lang
        at.session_state["auth"] = {
            "username": "demo-coordinator",
            "last_seen": datetime.now(UTC).isoformat(),
        }
        at.run()
        assert not at.exception
        shown[lang] = "\n".join(m.value for m in at.markdown).replace("\\", "")  # md escapes
    assert "Personalul vorbește: română, romani." in shown["ro"]
    assert "Staff speak: Romanian, Romani." in shown["en"]
    assert "Staff speak" not in shown["ro"]


def test_migration_turns_old_sentences_into_keys(db, home_sal):
    ref = referrals.create(
        db,
        user(db, "demo-caseworker"),
        draft_from_match(
            NEEDS, _match(home_sal), case_code=CASE, origin_siruta=161945,
            consent_fields=referrals.CONSENT_FIELDS,
        ),
    )  # fmt: skip
    # A row as the app wrote it before m003: sentences in the sender's language (English).
    old = ["12.3 km away, about 15 min by road (an estimate from distance).",
           "Staff speak: Romanian, Romani.", "Typed by hand <b>before</b>."]  # fmt: skip
    db.db.execute("UPDATE referral SET reasons = ? WHERE id = ?", [json.dumps(old), ref.id])
    m003_reasons_as_keys(db.db)
    migrated = referrals.get(db, ref.id).reasons
    assert migrated == (
        Reason("reason.distance", (("km", 12.3), ("minutes", 15))),
        Reason("reason.language.speaks", (("languages", "ro, rom"),)),
        legacy("Typed by hand <b>before</b>."),
    )
    assert migrated[1].text("ro") == "Personalul vorbește: română, romani."
    assert migrated[2].text("ro") == "Typed by hand <b>before</b>."
    # Running it again changes nothing.
    before = db.db.execute("SELECT reasons FROM referral WHERE id = ?", [ref.id]).fetchone()
    m003_reasons_as_keys(db.db)
    assert db.db.execute("SELECT reasons FROM referral WHERE id = ?", [ref.id]).fetchone() == before
