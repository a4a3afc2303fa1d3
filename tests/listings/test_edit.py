"""Editing listings: rights by assignment, verify, capacity, (de)activate, history, undo."""

from __future__ import annotations

from datetime import date

import pytest

from directory.errors import ConflictError, PermissionDeniedError, ValidationError
from directory.listings import edit
from directory.listings.freshness import capacity_age_text, stale_queue, verified_text
from directory.listings.history import NothingToUndoError, field_changes, undo_last
from directory.models import Location, Organization, Service, User
from directory.settings import Settings
from directory.storage.frame import services_frame

from ..conftest import TODAY, make_org, seed_small

HASH = "$argon2id$test"


def user(name="ana", role="coordinator", org="org-1") -> User:
    return User(name, name.title(), role, HASH, organization_id=org)


@pytest.fixture
def seeded(store):
    seed_small(store, n=2)
    store.insert(make_org(2), actor="test")
    for u in (user(), user("bob", org="org-2"), user("ion", org=None), user("root", "admin", None)):
        store.insert(u, actor="test")
    return store


def test_a_coordinator_edits_their_own_and_assigned_organisations_an_admin_all(seeded):
    assert edit.editable_organizations(seeded, user()) == {"org-1"}
    assert edit.editable_organizations(seeded, user("root", "admin", None)) is None
    assert edit.editable_organizations(seeded, user("ion", org=None)) == set()
    seeded.assign("ion", "org-1", actor="root")
    seeded.assign("ion", "org-2", actor="root")
    assert edit.editable_organizations(seeded, user("ion", org=None)) == {"org-1", "org-2"}
    seeded.unassign("ion", "org-2", actor="root")
    assert edit.editable_organizations(seeded, user("ion", org=None)) == {"org-1"}
    assert edit.editable_organizations(seeded, user("cw", "caseworker")) == set()


def test_a_coordinator_cannot_save_another_organisations_service(seeded):
    svc = seeded.get(Service, "svc-1")
    with pytest.raises(PermissionDeniedError):
        edit.save(seeded, user("bob", org="org-2"), svc.replace(name="Taken over"))
    assert seeded.get(Service, "svc-1").name == "Service 1"


def test_a_new_organisation_is_assigned_to_the_coordinator_who_made_it(seeded):
    edit.create(seeded, user("ion", org=None), Organization("org-9", "Nouă", "ngo"))
    assert seeded.assigned_organizations("ion") == {"org-9"}


def test_verify_records_assurer_and_date_and_changes_nothing_else(seeded):
    before = seeded.get(Service, "svc-1")
    after = edit.verify(seeded, user(), "svc-1", TODAY)
    assert (after.assured_date, after.assurer) == (TODAY, "ana")
    assert edit.differing_fields(before, after) == ["assured_date", "assurer"]
    last = field_changes(seeded, "service", "svc-1")
    assert {c.field for c in last if c.action == "update"} == {"assured_date", "assurer"}


def test_capacity_update_sets_the_four_fields_and_needs_assessment_is_accepted(seeded):
    saved = edit.set_capacity(seeded, user(), "svc-1", "available", 2, 10, TODAY)
    assert (saved.capacity_status, saved.beds_available, saved.beds_total) == ("available", 2, 10)
    saved = edit.set_capacity(seeded, user(), "svc-1", "needs_assessment", None, None, TODAY)
    assert saved.capacity_status == "needs_assessment"


@pytest.mark.parametrize(
    ("status", "available", "total", "as_of", "field", "key"),
    [
        ("available", 5, 3, TODAY, "beds_available", "edit.error.beds_more"),
        ("available", -1, 3, TODAY, "beds_available", "edit.error.beds_range"),
        ("full", None, None, None, "capacity_as_of", "edit.error.as_of"),
        ("plenty", None, None, TODAY, "capacity_status", "edit.error.choose"),
    ],
)
def test_bad_capacity_is_refused_naming_the_field(
    seeded, status, available, total, as_of, field, key
):
    with pytest.raises(ValidationError) as e:
        edit.set_capacity(seeded, user(), "svc-1", status, available, total, as_of)
    assert e.value.field == field and e.value.problems[field].key == key
    assert seeded.get(Service, "svc-1").version == 1


def test_deactivated_organisation_and_location_leave_the_matching_frame_and_come_back(seeded):
    org = seeded.get(Organization, "org-1")
    assert len(services_frame(seeded)) == 2
    edit.set_active(seeded, user(), seeded.get(Location, "loc-1"), False)
    assert len(services_frame(seeded)) == 1
    edit.set_active(seeded, user(), org, False)
    assert len(services_frame(seeded)) == 0
    edit.set_active(seeded, user(), seeded.get(Organization, "org-1"), True)
    edit.set_active(seeded, user(), seeded.get(Location, "loc-1"), True)
    assert len(services_frame(seeded)) == 2
    edit.set_active(seeded, user(), seeded.get(Service, "svc-2"), False)
    assert seeded.get(Service, "svc-2").status == "inactive"


def test_a_stale_save_merges_and_reports_fields_both_changed(seeded):
    original = seeded.get(Service, "svc-1")
    edit.save(seeded, user("root", "admin", None), original.replace(name="Theirs", schedule="L-V"))
    mine = original.replace(name="Mine", description="Nou")
    with pytest.raises(ConflictError):
        edit.save(seeded, user(), mine)
    theirs = seeded.get(Service, "svc-1")
    merged, both = edit.merge(original, mine, theirs)
    assert both == ["name"]
    assert (merged.name, merged.schedule, merged.description) == ("Mine", "L-V", "Nou")
    edit.save(seeded, user(), merged)
    names = [c.after for c in field_changes(seeded, "service", "svc-1") if c.field == "name"]
    assert names == ["Mine", "Theirs", "Service 1"]  # newest first: no version is lost


def test_undo_puts_back_the_last_change_as_a_new_logged_change(seeded):
    with pytest.raises(NothingToUndoError):
        undo_last(seeded, user(), Service, "svc-1")
    svc = seeded.get(Service, "svc-1")
    edit.save(seeded, user(), svc.replace(name="Typo", minimum_age=3))
    restored = undo_last(seeded, user(), Service, "svc-1")
    assert (restored.name, restored.minimum_age) == ("Service 1", 0)
    actions = [r["reason"] for r in seeded.audit_history("service", "svc-1")]
    assert actions[-1].startswith("undo of change")


def test_stale_queue_lists_oldest_first_and_freshness_reads_in_both_languages(seeded):
    edit.verify(seeded, user(), "svc-1", TODAY)
    edit.set_capacity(seeded, user(), "svc-1", "full", 0, 4, TODAY)
    settings = Settings.from_env({})
    rows = stale_queue(seeded, TODAY, settings, {"org-1"})
    assert [r.service.id for r in rows] == ["svc-2"]
    assert rows[0].why == ("verification", "capacity")
    assert verified_text(date(2026, 11, 11), TODAY, "en") == "Verified 12 days ago"
    assert verified_text(None, TODAY, "ro") == "Neverificat"
    assert capacity_age_text(TODAY, TODAY, "en") == "Capacity reported today"


@pytest.mark.parametrize(
    ("days", "ro", "en"),
    [
        (1, "Verificat ieri", "Verified yesterday"),
        (2, "Verificat acum 2 zile", "Verified 2 days ago"),
        (19, "Verificat acum 19 zile", "Verified 19 days ago"),
        (20, "Verificat acum 20 de zile", "Verified 20 days ago"),
        (101, "Verificat acum 101 zile", "Verified 101 days ago"),
        (120, "Verificat acum 120 de zile", "Verified 120 days ago"),
    ],
)
def test_ages_read_as_romanian_and_english_say_them(days, ro, en):
    from datetime import timedelta

    from directory.listings.freshness import freshness_from_days

    assert verified_text(TODAY - timedelta(days=days), TODAY, "ro") == ro
    assert verified_text(TODAY - timedelta(days=days), TODAY, "en") == en
    assert freshness_from_days(days, float("nan"), "ro") == f"{ro} · Fără raport de capacitate"
