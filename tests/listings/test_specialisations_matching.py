"""A service's recorded specialisations reach the matcher: saved, loaded, ranked, explained."""

from __future__ import annotations

from datetime import timedelta

from directory.i18n import explain
from directory.listings import edit
from directory.models import Service, ServiceAtLocation, User
from directory.storage.frame import services_frame
from directory.vocab import CHILD_FRIENDLY_CRITERIA
from matching.needs import Needs
from matching.prepared import SPECIALISATIONS_COLUMN, prepare
from matching.rank import rank

from ..conftest import TODAY, make_location, make_org, make_service
from ..matching_support import POLICY

HASH = "$argon2id$test"
ANA = User("ana", "Ana", "coordinator", HASH, organization_id="org-1")


def _two_specialised_services(store) -> None:
    """Two legal-aid services, both specialised in trafficking; svc-1 is the nearer one."""
    store.insert(make_org(), actor="test")
    store.insert(ANA, actor="test")
    near = make_location(1, latitude=46.77, longitude=23.59)
    far = make_location(2, latitude=46.80, longitude=23.62)
    edit.create(store, ANA, near)
    edit.create(store, ANA, far)
    for i, loc in ((1, "loc-1"), (2, "loc-2")):
        service = make_service(i, trafficking_specialised=True, capacity_status="available",
                               capacity_as_of=TODAY, assured_date=TODAY,
                               child_friendly_criteria=CHILD_FRIENDLY_CRITERIA)  # fmt: skip
        edit.create(store, ANA, service, also=(ServiceAtLocation(f"sal-{i}", f"svc-{i}", loc),))


def _rank(store, exploitation: str | None):
    frame = services_frame(store, details=True)
    needs = Needs(
        latitude=46.77, longitude=23.59, age=15, needs=("legal_aid",), exploitation=exploitation
    )
    return rank(prepare(frame, TODAY), needs, POLICY)


def test_a_saved_specialisation_ranks_the_service_first_and_says_why(store):
    _two_specialised_services(store)
    # Nothing recorded yet: the nearer one comes first.
    before = _rank(store, "sexual")
    assert [m.service_at_location_id for m in before.matches] == ["sal-1", "sal-2"]

    # The coordinator records the farther service's specialisation through the edit path.
    far = store.get(Service, "svc-2")
    edit.save(store, ANA, far.replace(specialisations=("sexual", "online_sexual")))
    near = store.get(Service, "svc-1")
    edit.save(store, ANA, near.replace(specialisations=("labour",)))

    frame = services_frame(store, details=True)
    assert SPECIALISATIONS_COLUMN in frame.columns
    after = _rank(store, "sexual")
    assert [m.service_at_location_id for m in after.matches] == ["sal-2", "sal-1"]
    first, second = after.matches
    assert "Specialised in sexual exploitation." in [explain(r, "en") for r in first.fits]
    assert "Specialised in trafficking, but not in sexual exploitation." in [
        explain(r, "en") for r in second.gaps
    ]
    # For a child exploited for labour the order turns the other way.
    labour = _rank(store, "labour")
    assert [m.service_at_location_id for m in labour.matches] == ["sal-1", "sal-2"]


def test_an_empty_list_keeps_the_general_trafficking_flag_in_full(store):
    _two_specialised_services(store)
    result = _rank(store, "sexual")
    # Neither names a type: both earn the full specialisation factor, as without the column.
    assert [m.service_at_location_id for m in result.matches] == ["sal-1", "sal-2"]
    for m in result.matches:
        assert "Staff specialised in trafficking." in [explain(r, "en") for r in m.fits]
    none = _rank(store, None)
    assert [round(m.score, 6) for m in none.matches] == [round(m.score, 6) for m in result.matches]


def test_a_saved_alert_that_stops_intake_ranks_the_service_last_and_says_why(store):
    _two_specialised_services(store)
    assert [m.service_at_location_id for m in _rank(store, None).matches] == ["sal-1", "sal-2"]
    near = store.get(Service, "svc-1")
    notice = "No new children until 20 December."
    edit.save(store, ANA, near.replace(alert=notice, alert_expires=TODAY + timedelta(days=5),
                                       alert_stops_intake=True))  # fmt: skip
    assert services_frame(store, details=True)["alert_stops_intake"].tolist() == [True, False]
    after = _rank(store, None)
    assert [m.service_at_location_id for m in after.matches] == ["sal-2", "sal-1"]
    stopped = after.matches[1]
    assert any(notice in explain(r, "en") and "intake stopped" in explain(r, "en")
               for r in stopped.gaps)  # fmt: skip
    # Once the alert expires it no longer holds the service back.
    edit.save(
        store, ANA, store.get(Service, "svc-1").replace(alert_expires=TODAY - timedelta(days=1))
    )
    assert [m.service_at_location_id for m in _rank(store, None).matches] == ["sal-1", "sal-2"]
