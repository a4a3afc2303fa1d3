"""Provider self-update links: hashed, single-purpose, expiring, revocable, every use logged."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from directory.errors import PermissionDeniedError
from directory.listings import links
from directory.models import Service, User

from ..conftest import dump_text, seed_small

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
ANA = User("ana", "Ana", "coordinator", "$argon2id$x", organization_id="org-1")


@pytest.fixture
def linked(store):
    seed_small(store, n=2)
    store.insert(ANA, actor="test")
    url, link = links.create_link(
        store, ANA, "svc-1", now=NOW, days=14, public_url="https://punte.example.ro/"
    )
    token = parse_qs(urlsplit(url).query)[links.QUERY_PARAM][0]
    return store, url, token, link


def test_the_link_carries_a_random_token_and_only_its_hash_is_stored(linked):
    store, url, token, link = linked
    assert url.startswith("https://punte.example.ro/?capacity_token=")
    assert len(token) >= 40
    dump = dump_text(store)
    assert token not in dump
    assert link.token_hash == links.token_hash(token) and link.token_hash in dump


def test_the_page_shows_the_service_name_and_capacity_only(linked):
    store, _, token, _ = linked
    view = links.open_link(store, token, NOW)
    assert view.service_name == "Service 1"
    assert not {"address_1", "latitude", "locality"} & set(vars(view))


def test_an_update_by_link_changes_only_that_service_and_is_logged(linked):
    store, _, token, link = linked
    links.update_by_link(store, token, NOW, "available", 3, 8)
    s1, s2 = store.get(Service, "svc-1"), store.get(Service, "svc-2")
    assert (s1.capacity_status, s1.beds_available, s1.capacity_as_of) == (
        "available",
        3,
        NOW.date(),
    )
    assert s2.capacity_status == "unknown"
    links.confirm_by_link(store, token, NOW + timedelta(days=2))
    assert store.get(Service, "svc-1").capacity_as_of == (NOW + timedelta(days=2)).date()
    uses = [
        (r["actor"], r["action"]) for r in store.audit_history("service", "svc-1")
        if r["actor"].startswith("link:")
    ]  # fmt: skip
    assert uses == [(links.actor_of(link), "update")] * 2


@pytest.mark.parametrize(
    ("when", "revoke", "token_suffix", "key"),
    [
        (timedelta(days=14), False, "", "link.error.expired"),
        (timedelta(0), True, "", "link.error.revoked"),
        (timedelta(0), False, "x", "link.error.unknown"),
    ],
)
def test_expired_revoked_and_unknown_links_are_refused(linked, when, revoke, token_suffix, key):
    store, _, token, link = linked
    if revoke:
        links.revoke(store, ANA, link.token_hash, NOW)
    with pytest.raises(links.LinkError) as e:
        links.update_by_link(store, token + token_suffix, NOW + when, "full", 0, 8)
    assert e.value.key == key
    assert store.get(Service, "svc-1").capacity_status == "unknown"


def test_only_a_coordinator_of_the_organisation_makes_links(linked):
    store = linked[0]
    other = User("bob", "Bob", "coordinator", "$argon2id$x", organization_id="org-9")
    with pytest.raises(PermissionDeniedError):
        links.create_link(store, other, "svc-1", now=NOW, days=1, public_url="http://x")
