"""The Listings page under AppTest: queue, capacity, forms with errors next to fields, import.

In Romanian, the default: AppTest calls a selectbox's format_func outside the session, where
the language is the default one.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from directory.models import Organization, Service, User
from directory.storage.store import Store

from .conftest import ROOT
from .test_pages import ROLE_USER, page

LISTINGS = ROOT / "ui" / "pages" / "listings.py"


@pytest.fixture
def demo_db(demo_any) -> Path | str:
    """Every test here runs on both backends."""
    return demo_any


def make_stale(db: Path) -> str:
    """Make one of the demo coordinator's services stale; returns its id."""
    with Store(db) as s:
        org = s.get(User, ROLE_USER["coordinator"]).organization_id
        svc = s.services_of(org)[0]
        s.update(svc.replace(assured_date=date(2025, 1, 2)), actor="test")
    return svc.id


def test_queue_lists_stale_services_and_verify_is_one_click(monkeypatch, demo_db):
    make_stale(demo_db)
    at = page(monkeypatch, demo_db, LISTINGS, role="coordinator")
    assert not at.exception, at.exception
    verify = [b for b in at.button if b.key.startswith("listings_queue_verify_")]
    assert verify, "the demo has stale listings"
    sid = verify[0].key.removeprefix("listings_queue_verify_")
    verify[0].click().run()
    assert not at.exception
    assert any("a fost verificat azi" in s.value for s in at.success)
    with Store(demo_db) as s:
        svc = s.get(Service, sid)
    assert (svc.assured_date, svc.assurer) == (date.today(), ROLE_USER["coordinator"])


def test_capacity_with_more_free_than_total_shows_the_error_next_to_the_field(monkeypatch, demo_db):
    at = page(monkeypatch, demo_db, LISTINGS, role="coordinator")
    sid = at.selectbox(key="listings_capacity_service").value
    k = f"listings_capacity_{sid}"
    at.selectbox(key=f"{k}_status").set_value("available")
    at.number_input(key=f"{k}_free").set_value(9)
    at.number_input(key=f"{k}_total").set_value(3)
    at.button(key=f"FormSubmitter:{k}-Salvați capacitatea").click().run()
    assert not at.exception
    assert "9 locuri disponibile înseamnă mai mult decât cele 3 în total." in [
        e.value for e in at.error
    ]
    at.number_input(key=f"{k}_free").set_value(2)
    at.button(key=f"FormSubmitter:{k}-Salvați capacitatea").click().run()
    with Store(demo_db) as s:
        svc = s.get(Service, sid)
    assert (svc.capacity_status, svc.beds_available, svc.beds_total) == ("available", 2, 3)
    assert any("Capacitatea pentru" in x.value for x in at.success)


def test_organisation_form_reports_each_bad_field_in_romanian(monkeypatch, demo_db):
    at = page(monkeypatch, demo_db, LISTINGS, role="coordinator")
    with Store(demo_db) as s:
        org_id = s.get(User, ROLE_USER["coordinator"]).organization_id
    at.selectbox(key="listings_edit_org").set_value(org_id).run()
    form_key = f"listings_org_{org_id}"
    at.text_input(key=f"{form_key}_email").set_value("ana@")
    at.text_input(key=f"{form_key}_web").set_value("not a site")
    at.button(key=f"FormSubmitter:{form_key}-Salvați").click().run()
    errors = [e.value for e in at.error]
    assert "ana@ nu este o adresă de e-mail (nume@exemplu.ro)." in errors
    assert "not a site nu este o adresă de site (https://exemplu.ro)." in errors
    with Store(demo_db) as s:
        assert s.get(Organization, org_id).version == 1


def test_the_directory_tab_says_how_fresh_each_listing_is(monkeypatch, demo_db):
    at = page(monkeypatch, demo_db, LISTINGS, role="admin")
    columns = [str(c) for f in at.dataframe for c in f.value.columns]
    assert "Verificat" in columns and "Capacitate raportată" in columns


def test_a_stale_save_shows_both_versions_and_saving_mine_keeps_theirs(monkeypatch, demo_db):
    with Store(demo_db) as s:
        org_id = s.get(User, ROLE_USER["coordinator"]).organization_id
    at = page(monkeypatch, demo_db, LISTINGS, role="coordinator")
    at.selectbox(key="listings_edit_org").set_value(org_id).run()
    k = f"listings_org_{org_id}"
    with Store(demo_db) as s:  # a colleague saves while this form is open
        org = s.get(Organization, org_id)
        s.update(org.replace(description="Their note"), actor="colleague")
    at.text_input(key=f"{k}_email").set_value("nou@exemplu.ro")
    at.button(key=f"FormSubmitter:{k}-Salvați").click().run()
    assert not at.exception
    assert any("Ambele versiuni sunt mai jos" in w.value for w in at.warning)
    shown = at.dataframe[0].value
    assert {"description", "email"} <= set(shown.iloc[:, 0])
    at.button(key="listings_conflict_mine").click().run()
    with Store(demo_db) as s:
        saved = s.get(Organization, org_id)
    assert (saved.description, saved.email) == ("Their note", "nou@exemplu.ro")


def test_admin_creates_an_account_and_assigns_organisations(monkeypatch, demo_db):
    admin_page = ROOT / "ui" / "pages" / "admin.py"
    at = page(monkeypatch, demo_db, admin_page, role="admin")
    assert not at.exception
    at.text_input(key="admin_accounts_new_username").set_value("ioana")
    at.text_input(key="admin_accounts_new_display").set_value("Ioana")
    at.selectbox(key="admin_accounts_new_role").set_value("coordinator")
    at.button(key="FormSubmitter:admin_accounts_create-Creați un cont").click().run()
    assert not at.exception
    assert any("Contul ioana a fost creat" in x.value for x in at.success)
    assert len(at.code) == 1 and len(at.code[0].value) >= 12  # the password, shown once
    at.text_input(key="admin_accounts_new_username").set_value("Bad Name")
    at.button(key="FormSubmitter:admin_accounts_create-Creați un cont").click().run()
    assert any(e.value.startswith("Numele de utilizator trebuie") for e in at.error)
    at.selectbox(key="admin_accounts_pick").set_value("ioana").run()
    at.multiselect(key="admin_accounts_assigned_ioana").set_value(["demo-org-001"]).run()
    at.button(key="admin_accounts_save_assigned_ioana").click().run()
    at.button(key="admin_accounts_active_ioana").click().run()
    with Store(demo_db) as s:
        assert s.assigned_organizations("ioana") == {"demo-org-001"}
        assert s.get(User, "ioana").active is False


def test_a_new_location_is_geocoded_with_a_choice_and_saved(monkeypatch, demo_db):
    with Store(demo_db) as s:
        org_id = s.get(User, ROLE_USER["coordinator"]).organization_id
    at = page(monkeypatch, demo_db, LISTINGS, role="coordinator")
    at.radio(key="listings_edit_kind").set_value("location").run()
    k = location_form_key(at)
    at.text_input(key=f"{k}_query").set_value("Str. Republicii nr. 10, Turda, jud. Cluj")
    at.button(key=f"{k}_find").click().run()
    assert not at.exception
    assert at.radio(key=f"{k}_candidate").options[0].startswith("Turda")
    at.button(key=f"{k}_use").click().run()
    assert at.text_input(key=f"{k}_address").value == "Str. Republicii nr. 10"
    at.text_input(key=f"{k}_name").set_value("Sediu Turda")
    at.button(key=f"FormSubmitter:{k}-Salvați").click().run()
    assert not at.exception, at.exception
    with Store(demo_db) as s:
        saved = [x for x in s.locations_of(org_id) if x.name == "Sediu Turda"]
    assert len(saved) == 1
    assert (saved[0].address_1, saved[0].locality, saved[0].county_code) == (
        "Str. Republicii nr. 10", "Turda", "CJ",
    )  # fmt: skip
    assert [w.value for w in at.warning if "Reperul" in w.value] == []


def test_an_empty_location_form_names_each_missing_field(monkeypatch, demo_db):
    at = page(monkeypatch, demo_db, LISTINGS, role="coordinator")
    at.radio(key="listings_edit_kind").set_value("location").run()
    k = location_form_key(at)
    at.button(key=f"FormSubmitter:{k}-Salvați").click().run()
    errors = [e.value for e in at.error]
    assert "Câmpul este obligatoriu." in errors
    assert "Alegeți județul." in errors
    assert "Poziționați locația: geocodificați adresa sau faceți clic pe hartă." in errors


def location_form_key(at) -> str:
    key = next(w.key for w in at.text_input if w.key.endswith("_query"))
    return key.removesuffix("_query")


def test_history_shows_each_field_change_and_undo_is_one_click(monkeypatch, demo_db):
    sid = make_stale(demo_db)  # one logged change: assured_date
    with Store(demo_db) as s:
        before = s.get(Service, sid)
    at = page(monkeypatch, demo_db, LISTINGS, role="coordinator")
    at.radio(key="listings_history_kind").set_value("service").run()
    at.selectbox(key="listings_history_service").set_value(sid).run()
    table = next(f.value for f in at.dataframe if "Câmp" in f.value.columns)
    assert "Verificat la" in set(table["Câmp"])  # the field in words, not its key
    at.button(key=f"listings_history_undo_service_{sid}").click().run()
    assert not at.exception
    with Store(demo_db) as s:
        after = s.get(Service, sid)
        last = s.audit_history("service", sid)[-1]
    assert after.assured_date != before.assured_date and after.version == before.version + 1
    assert last["reason"].startswith("undo of change")


def new_service_form(monkeypatch, demo_db) -> tuple[AppTest, str]:
    """A coordinator's Listings page on the new-service form, and its widgets' key prefix."""
    at = page(monkeypatch, demo_db, LISTINGS, role="coordinator")
    at.radio(key="listings_edit_kind").set_value("service").run()
    k = next(w.key for w in at.text_input if w.key.startswith("listings_svc_svc-"))
    return at, k.removesuffix("_name")


def test_a_new_service_is_created_at_a_location_with_its_specialisations(monkeypatch, demo_db):
    with Store(demo_db) as s:
        org_id = s.get(User, ROLE_USER["coordinator"]).organization_id
        count = len(s.services_of(org_id))
    at, k = new_service_form(monkeypatch, demo_db)
    at.text_input(key=f"{k}_name").set_value("Consiliere online")
    at.text_input(key=f"{k}_phone").set_value("0722 123 456")
    at.multiselect(key=f"{k}_specialisations").set_value(["online_sexual"])
    at.button(key=f"FormSubmitter:{k}-Salvați").click().run()
    assert not at.exception, at.exception
    with Store(demo_db) as s:
        new = [x for x in s.services_of(org_id) if x.name == "Consiliere online"]
        assert len(s.services_of(org_id)) == count + 1
        assert s.location_ids_of_service(new[0].id)
    assert (new[0].intake_phone, new[0].specialisations) == ("+40722123456", ("online_sexual",))


def test_an_alert_that_stops_intake_is_saved_and_needs_its_expiry(monkeypatch, demo_db):
    with Store(demo_db) as s:
        org_id = s.get(User, ROLE_USER["coordinator"]).organization_id
    at, k = new_service_form(monkeypatch, demo_db)
    at.text_input(key=f"{k}_name").set_value("Adăpost cu aviz")
    at.text_area(key=f"{k}_alert").set_value("Nu primim copii noi până la 20 decembrie.")
    at.checkbox(key=f"{k}_alert_stops").check()
    at.button(key=f"FormSubmitter:{k}-Salvați").click().run()
    # No expiry: the message stands next to the field, in Romanian, and nothing is saved.
    assert "Indicați până când este valabilă avertizarea (data expirării)." in [
        e.value for e in at.error
    ]
    with Store(demo_db) as s:
        assert not [x for x in s.services_of(org_id) if x.name == "Adăpost cu aviz"]
    at.date_input(key=f"{k}_alert_expires").set_value(date.today() + timedelta(days=20))
    at.button(key=f"FormSubmitter:{k}-Salvați").click().run()
    assert not at.exception, at.exception
    with Store(demo_db) as s:
        (new,) = [x for x in s.services_of(org_id) if x.name == "Adăpost cu aviz"]
    assert new.alert_stops_intake and new.alert_expires == date.today() + timedelta(days=20)
