"""One account per role for demo databases only; the README lists the same accounts."""

from __future__ import annotations

from directory.access.passwords import hash_password
from directory.demo.generator import DEMO_ACTOR, DemoDirectory
from directory.demo.names import DEMO_NAMES, STORED_LANGUAGE
from directory.models import User
from directory.storage.store import Store

DEMO_COUNTY = "VS"
# Display names in Romanian, the default language; directory/demo/names.py holds the others.
DEMO_USERS: tuple[tuple[str, str, str, str], ...] = tuple(
    (name, DEMO_NAMES[name][STORED_LANGUAGE], role, f"punte-{name}")
    for name, role in (
        ("demo-caseworker", "caseworker"),
        ("demo-coordinator", "coordinator"),
        ("demo-partner", "partner"),
        ("demo-admin", "admin"),
    )
)


def add_demo_accounts(store: Store, demo: DemoDirectory) -> list[User]:
    """Create the missing demo accounts.

    Everyone belongs to the organisation running Vaslui's emergency shelter, so the README's
    journey (a child in Vaslui, referred, then declined by the provider) works end to end.
    """
    if not store.has_demo_data():
        raise ValueError("Demo accounts are only for a database holding the demo directory.")
    in_vaslui = {loc.id for loc in demo.locations if loc.county_code == DEMO_COUNTY}
    at_vaslui = {link.service_id for link in demo.links if link.location_id in in_vaslui}
    shelters = [
        s.organization_id
        for s in demo.services
        if s.service_type == "shelter_emergency" and s.id in at_vaslui
    ]
    organization = shelters[0] if shelters else demo.organizations[0].id
    existing = store.usernames()
    users = [
        User(name, display, role, hash_password(pw), organization_id=organization, is_demo=True)
        for name, display, role, pw in DEMO_USERS
        if name not in existing
    ]
    if users:
        store.bulk_insert(users, DEMO_ACTOR, reason="demo accounts")
    return users
