"""One account per role for demo databases only; the README lists the same accounts."""

from __future__ import annotations

from .demo import DEMO_ACTOR, DemoDirectory
from .models import User
from .passwords import hash_password
from .store import Store

DEMO_USERS: tuple[tuple[str, str, str, str], ...] = (
    ("demo-caseworker", "Caseworker (demo)", "caseworker", "punte-demo-caseworker"),
    ("demo-coordinator", "Coordinator (demo)", "coordinator", "punte-demo-coordinator"),
    ("demo-partner", "Partner (demo)", "partner", "punte-demo-partner"),
    ("demo-admin", "Admin (demo)", "admin", "punte-demo-admin"),
)


def add_demo_accounts(store: Store, demo: DemoDirectory) -> list[User]:
    """Create the missing demo accounts; the coordinator belongs to a shelter's organisation."""
    if not store.has_demo_data():
        raise ValueError("Demo accounts are only for a database holding the demo directory.")
    shelter_orgs = [
        s.organization_id for s in demo.services if s.service_type == "shelter_emergency"
    ]
    organization = shelter_orgs[0] if shelter_orgs else demo.organizations[0].id
    existing = {u.username for u in store.all(User)}
    users = [
        User(name, display, role, hash_password(pw), organization_id=organization, is_demo=True)
        for name, display, role, pw in DEMO_USERS
        if name not in existing
    ]
    if users:
        store.bulk_insert(users, DEMO_ACTOR, reason="demo accounts")
    return users
