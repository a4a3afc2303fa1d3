"""The merge screen of the Listings page under AppTest: a coordinator merges a duplicate."""

from __future__ import annotations

from directory.listings.merge import merged_into
from directory.models import Service, ServiceAtLocation, User
from directory.storage.store import Store

from .test_listings_page import LISTINGS
from .test_pages import ROLE_USER, page, texts

K = "listings_merge_"


def _copy_of_a_service(db) -> tuple[Service, Service]:
    """A second record of one of the coordinator's services, as an import might make it."""
    with Store(db) as s:
        org = s.get(User, ROLE_USER["coordinator"]).organization_id
        original = s.services_of(org)[0]
        copy = original.replace(id="svc-copy", version=1, schedule="L-V 8-16 (copie)",
                                name=original.name.replace("–", "-"))  # fmt: skip
        s.insert(copy, actor="test")
        where = s.location_ids_of_service(original.id)[0]
        s.insert(ServiceAtLocation("sal-copy", "svc-copy", where), actor="test")
    return original, copy


def test_a_coordinator_merges_a_flagged_duplicate_choosing_values(monkeypatch, demo_db):
    original, copy = _copy_of_a_service(demo_db)
    at = page(monkeypatch, demo_db, LISTINGS, role="coordinator")
    at.radio(key=K + "kind").set_value("service").run()
    pair = at.selectbox(key=K + "pair_service")
    flagged = f"{original.id}|svc-copy" if original.id < "svc-copy" else f"svc-copy|{original.id}"
    assert any(original.name in o and "↔" in o for o in pair.options)  # flagged as probable
    pair.set_value(flagged).run()
    assert not at.exception, at.exception
    at.radio(key=f"{K}keep_service_{flagged.replace('|', '_')}").set_value(original.id).run()
    side_by_side = next(f.value for f in at.dataframe if "Rămâne" in f.value.columns)
    row = side_by_side[side_by_side["Câmp"] == "Program"].iloc[0]
    assert (row["Rămâne"], row["Se comasează"]) == (original.schedule or "—", "L-V 8-16 (copie)")
    assert any("trimitere" in x for x in texts(at))  # what moves is said before the merge
    k = f"{K}service_{original.id}_{original.version}_svc-copy_1"
    at.radio(key=f"{k}_schedule").set_value("drop").run()
    merge_button = at.button(key=f"{k}_do")
    assert merge_button.disabled  # not before the coordinator confirms
    at.checkbox(key=f"{k}_sure").check().run()
    at.button(key=f"{k}_do").click().run()
    assert not at.exception, at.exception
    with Store(demo_db) as s:
        kept, gone = s.get(Service, original.id), s.get(Service, "svc-copy")
        assert kept.schedule == "L-V 8-16 (copie)" and kept.name == original.name
        assert gone.status == "inactive"
        assert merged_into(s, "service", "svc-copy") == original.id
    assert any("comasat" in s.value for s in at.success)
    # The merged-away record keeps its history, which says where the listing went.
    at.radio(key="listings_history_kind").set_value("service").run()
    at.selectbox(key="listings_history_service").set_value("svc-copy").run()
    assert any("a fost comasată în" in i.value for i in at.info)
    table = next(f.value for f in at.dataframe if "Câmp" in f.value.columns)
    assert "Comasat în" in set(table["Câmp"]) and "comasat" in set(table["Acțiune"])


def test_choosing_two_records_by_hand_shows_nothing_until_both_are_chosen(monkeypatch, demo_db):
    at = page(monkeypatch, demo_db, LISTINGS, role="admin")  # every location of the directory
    at.radio(key=K + "kind").set_value("location").run()
    at.selectbox(key=K + "pair_location").set_value("").run()
    assert not at.exception, at.exception
    assert not [b for b in at.button if b.key and b.key.endswith("_do")]
    assert len(at.selectbox(key=K + "a_location").options) > 200
    at.selectbox(key=K + "a_location").set_value("demo-loc-001").run()
    assert not [b for b in at.button if b.key and b.key.endswith("_do")]
    at.selectbox(key=K + "b_location").set_value("demo-loc-002").run()
    assert [b for b in at.button if b.key and b.key.endswith("_do")]  # now the merge form
