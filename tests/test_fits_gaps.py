"""Issue 16: every reason of a match is a fit (✓) or a gap (⚠), in plain words; the needs
that can now be said (interpreter, exploitation type, capacity of every type) change the list."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import pytest

from directory.i18n import explain
from matching.prepared import ALERT_STOPS_COLUMN, SPECIALISATIONS_COLUMN, prepare
from matching.rank import rank

from .conftest import TODAY
from .matching_support import IASI, POLICY, frame_of, ids, needs_of, prep

SHELTER = {"service_type": "shelter_emergency", "accepts_unaccompanied_minors": True}


def only_match(rows: list[dict], **needs):
    (match,) = rank(prep(rows), needs_of(**needs), POLICY).matches
    return match


def said(reasons, lang: str = "en") -> list[str]:
    return [explain(r, lang) for r in reasons]


@pytest.mark.parametrize(
    ("row", "needs", "key", "side", "english"),
    [
        ({}, {"languages": ("ro",)}, "reason.language.speaks", "fit", "Staff speak: Romanian."),
        (
            {"languages": ",ro,", "interpretation_available": True},
            {"languages": ("uk",)},
            "reason.language.interpreter_for", "gap",
            "No staff speak Ukrainian; interpreter available.",
        ),
        (
            {"languages": ",ro,"}, {"languages": ("uk",)}, "reason.language.none_for", "gap",
            "No staff speak Ukrainian and there is no interpreter.",
        ),
        ({"minimum_age": 12, "maximum_age": 18}, {"gender": "male"}, "reason.eligible.male",
         "fit", "Takes boys 12–18."),
        ({"minimum_age": 0, "maximum_age": 17}, {"gender": "female"}, "reason.eligible.female",
         "fit", "Takes girls 0–17."),
        ({}, {}, "reason.eligible.any", "fit", "Takes children 0–17."),
        (SHELTER, {"needs": ("shelter_emergency",), "requirements": ("unaccompanied",)},
         "reason.eligible.unaccompanied", "fit", "Accepts unaccompanied minors."),
        ({**SHELTER, "accepts_parent_with_child": True},
         {"needs": ("shelter_emergency",), "requirements": ("with_parent",)},
         "reason.eligible.with_parent", "fit", "Places a parent with the child."),
        ({"wheelchair": True}, {"requirements": ("wheelchair",)}, "reason.eligible.wheelchair",
         "fit", "Wheelchair accessible."),
        ({}, {}, "reason.eligible.child_friendly", "fit", "Meets every child-friendly criterion."),
        ({"capacity_status": "available"}, {}, "reason.capacity.available", "fit",
         "Places available (days since the report: 1)."),
        ({"capacity_status": "full"}, {}, "reason.capacity.full.dated", "gap",
         "Full (reported 1 days ago): ranked below services with room."),
        ({"capacity_status": "waitlist"}, {}, "reason.capacity.waitlist.dated", "gap",
         "Waiting list (reported 1 days ago): ranked below services with room."),
        ({"capacity_status": "unknown", "capacity_as_of": None}, {}, "reason.capacity.unknown",
         "gap", "Capacity unknown: call ahead."),
        ({"trafficking_specialised": True}, {}, "reason.trafficking.yes", "fit",
         "Staff specialised in trafficking."),
        ({}, {}, "reason.trafficking.no", "gap", "Not specialised in trafficking."),
        ({"assured_date": TODAY - timedelta(days=400)}, {}, "reason.verified.stale", "gap",
         "Verification is old (400 days); the listing may be out of date."),
        ({"assured_date": None}, {}, "reason.verified.never", "gap", "Listing never verified."),
        ({}, {"urgency": "emergency"}, "reason.intake.no", "gap", "No 24/7 intake."),
        ({"emergency_intake_24_7": True}, {"urgency": "emergency"}, "reason.intake.yes", "fit",
         "24/7 emergency intake."),
    ],
    ids=lambda v: v if isinstance(v, str) and v.startswith("reason.") else None,
)  # fmt: skip
def test_each_reason_is_a_fit_or_a_gap(row, needs, key, side, english):
    match = only_match([row], **needs)
    pool = match.fits if side == "fit" else match.gaps
    other = match.gaps if side == "fit" else match.fits
    assert key in [r.key for r in pool]
    assert key not in [r.key for r in other]
    assert english in said(pool)


def test_a_current_alert_is_a_gap_and_an_expired_one_is_gone():
    frame = frame_of([{}, {}])
    frame["alert"] = ["Intake paused until Monday.", "Old notice."]
    frame["alert_expires"] = [TODAY + timedelta(days=3), TODAY - timedelta(days=1)]
    matches = {m.service_at_location_id: m for m in rank(prepare(frame, TODAY), needs_of(),
                                                             POLICY).matches}  # fmt: skip
    assert "Provider notice: Intake paused until Monday." in said(matches["s000"].gaps)
    assert not [r for r in matches["s001"].explained if r.key == "reason.alert"]


@pytest.mark.parametrize(
    ("stops", "expires", "key", "demoted"),
    [
        (True, 3, "reason.alert.stops", True),  # a current stop: a gap, ranked down
        (False, 3, "reason.alert", False),  # a notice that does not stop intake: a gap only
        (True, -1, None, False),  # an expired stop says nothing and changes nothing
    ],
)
def test_an_alert_that_stops_intake_is_a_gap_and_ranks_the_service_down(
    stops, expires, key, demoted
):
    frame = frame_of([{}, {"latitude": IASI[0] + 0.1}])  # the second: 11 km from the child
    frame["alert"] = ["No intake until the 15th.", None]
    frame["alert_expires"] = [TODAY + timedelta(days=expires), None]
    frame[ALERT_STOPS_COLUMN] = [stops, False]
    result = rank(prepare(frame, TODAY), needs_of(), POLICY)
    first = {m.service_at_location_id: m for m in result.matches}["s000"]
    alerts = [r for r in first.explained if r.key.startswith("reason.alert")]
    assert [r.key for r in alerts] == ([key] if key else [])
    assert all(r.gap for r in alerts) and not [r for r in first.fits if r in alerts]
    assert first.demoted is demoted
    assert ids(result)[-1 if demoted else 0] == "s000"  # nearer, but after one with room
    if key == "reason.alert.stops":
        assert said(alerts, "en") == [
            "Provider notice, intake stopped: No intake until the 15th. "
            "Ranked below services that take children."
        ]
        assert "primiri oprite" in said(alerts, "ro")[0]


def test_the_score_is_explained_part_by_part():
    match = only_match([{"trafficking_specialised": True}])
    parts = match.score_parts()
    assert [name for name, _, _ in parts] == [name for name, _ in match.factors]
    assert sum(earned for _, earned, _ in parts) == pytest.approx(match.score)
    assert sum(possible for _, _, possible in parts) == pytest.approx(1.0)


def test_interpreter_requirement_excludes_with_its_rule():
    rows = [{"languages": ",ro,"}, {"languages": ",ro,", "interpretation_available": True},
            {"languages": ",uk,ro,"}]  # fmt: skip
    result = rank(prep(rows), needs_of(languages=("uk",), requirements=("interpreter",)), POLICY)
    assert sorted(ids(result)) == ["s001", "s002"]
    (excluded,) = result.excluded()
    assert excluded.rule == "interpreter"
    assert explain(excluded.reason, "en") == (
        "No staff speak Ukrainian and it offers no interpretation."
    )


def test_a_full_counselling_service_ranks_below_one_with_room_and_says_so():
    near_full = {"service_type": "psychological_counselling", "capacity_status": "full"}
    far_room = {**near_full, "capacity_status": "available", "latitude": 47.5}
    result = rank(prep([near_full, far_room]), needs_of(needs=("psychological_counselling",)),
                  POLICY)  # fmt: skip
    assert ids(result) == ["s001", "s000"]
    assert result.matches[1].demoted and not result.matches[0].demoted
    assert "reason.capacity.full.dated" in [r.key for r in result.matches[1].gaps]


def test_accepting_a_waitlist_stops_the_demotion():
    wait = {"service_type": "psychological_counselling", "capacity_status": "waitlist"}
    room = {**wait, "capacity_status": "available", "latitude": 47.5}
    needs = needs_of(needs=("psychological_counselling",))
    assert ids(rank(prep([wait, room]), needs, POLICY)) == ["s001", "s000"]
    from dataclasses import replace

    accepted = rank(prep([wait, room]), replace(needs, accept_waitlist=True), POLICY)
    assert not accepted.matches[0].demoted and not accepted.matches[1].demoted


def _specialised_frame(lists: list[object]) -> pd.DataFrame:
    frame = frame_of([{"trafficking_specialised": True} for _ in lists])
    frame[SPECIALISATIONS_COLUMN] = lists
    return frame


def test_the_exploitation_type_ranks_specialised_services_higher():
    # s000 is nearer but specialised in sexual exploitation; s001 in labour exploitation.
    frame = _specialised_frame(['["sexual"]', '["labour", "forced_begging"]'])
    frame.loc[1, "latitude"] = 47.3
    result = rank(prepare(frame, TODAY), needs_of(exploitation="labour"), POLICY)
    assert ids(result) == ["s001", "s000"]
    assert "Specialised in forced labour." in said(result.matches[0].fits)
    assert "Specialised in trafficking, but not in forced labour." in said(result.matches[1].gaps)


def test_without_the_specialisations_column_the_general_flag_counts():
    frame = frame_of([{"trafficking_specialised": True}, {}])
    result = rank(prepare(frame, TODAY), needs_of(exploitation="labour"), POLICY)
    assert ids(result) == ["s000", "s001"]
    assert "Staff specialised in trafficking." in said(result.matches[0].fits)


def test_max_minutes_limits_by_time_and_says_so():
    far = {"latitude": 47.6}  # about 49 km north of Iași: about 74 min estimated
    result = rank(prep([{}, far]), needs_of(max_minutes=30), POLICY)
    assert ids(result) == ["s000"]
    (excluded,) = result.excluded()
    assert excluded.rule == "too_far"
    assert "beyond the 30 min limit" in explain(excluded.reason, "en")
