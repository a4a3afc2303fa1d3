"""A demo database for referral tests, built once; each test gets its own copy."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from directory.access.passwords import hash_password
from directory.demo.accounts import add_demo_accounts
from directory.demo.generator import load_demo
from directory.models import Location, Referral, Service, ServiceAtLocation, User
from directory.reasons import Reason
from directory.referrals import workflow as referrals
from directory.storage.store import Store

from ..conftest import BACKENDS, DATA_DIR, PG_AUDIT_KEY, TODAY, new_database

NOW = datetime(TODAY.year, TODAY.month, TODAY.day, 9, 30, tzinfo=UTC)
CASE = "VS-2026-0142"
# Argon2 is slow on purpose: hash once for every extra account the tests create.
EXTRA_HASH = hash_password("extra-account-password")
OTHER_ORG = "demo-org-003"
# As a match gives them: translation keys with values, never sentences.
REASONS = (
    Reason("reason.distance", (("km", 0.0), ("minutes", 5))),
    Reason("reason.language.speaks", (("languages", "ro, rom"),)),
    Reason("reason.capacity.available", (("days", 2),)),
)


@pytest.fixture(scope="session", params=BACKENDS)
def template(request, tmp_path_factory):
    """The demo directory and its 4 accounts, built once per backend and test process (about
    3 s each: once per file cost a minute of the suite); each test works on a copy (a SQLite
    backup, or a PostgreSQL database made from it as a template).

    The audit key is set only while it is built: a key left in the environment for the whole
    session would reach later SQLite tests, whose key file must sit beside the database."""
    with pytest.MonkeyPatch.context() as env:
        if request.param == "sqlite":
            env.delenv("PUNTE_AUDIT_KEY", raising=False)
            path = str(tmp_path_factory.mktemp("referrals") / "punte.db")
            server = None
        else:
            env.setenv("PUNTE_AUDIT_KEY", PG_AUDIT_KEY)
            server = request.getfixturevalue("pg_server")
            path = server.new_database(prefix="punte_referrals")
        _build(path)
    yield path
    if server is not None:
        server.drop_database(path)


def _build(path: str) -> None:
    with Store.init(path) as store:
        demo = load_demo(store, DATA_DIR, today=TODAY)
        add_demo_accounts(store, demo)
        home = store.get(User, "demo-coordinator").organization_id
        store.bulk_insert(
            [
                # A shelter of the coordinator's own organisation shown only on acceptance.
                Location(
                    "test-loc-secret",
                    home,
                    "Adăpost test (fictiv)",
                    46.64,
                    27.73,
                    "VS",
                    161945,
                    address_1="Strada Ascunsă nr. 1",
                    disclosure="on_accepted_referral",
                ),
                Service("test-svc-secret", home, "Adăpost test (fictiv)", "shelter_emergency"),
                ServiceAtLocation("test-sal-secret", "test-svc-secret", "test-loc-secret"),
                _user("cw-same-org", "caseworker", home),
                _user("cw-outsider", "caseworker", OTHER_ORG),
                _user("cw-lone-a", "caseworker", None),
                _user("cw-lone-b", "caseworker", None),
                _user("coord-other", "coordinator", OTHER_ORG),
            ],
            actor="test",
        )


@pytest.fixture
def db(request, template: str, tmp_path: Path):
    backend = "postgresql" if template.startswith("postgresql://") else "sqlite"
    path = new_database(request, backend, tmp_path, copy_of=template)
    with Store(path) as store:
        yield store


def _user(name: str, role: str, organization: str | None) -> User:
    return User(name, name, role, EXTRA_HASH, organization_id=organization)


def user(store: Store, name: str) -> User:
    return store.get(User, name)


def sal_of(store: Store, organization: str, disclosure: str) -> str:
    """A service-at-location run by ``organization`` at a location of that disclosure."""
    row = store.db.execute(
        "SELECT sal.id FROM service_at_location sal JOIN service s ON s.id = sal.service_id "
        "JOIN location l ON l.id = sal.location_id WHERE s.organization_id = ? "
        "AND l.disclosure = ? ORDER BY sal.id LIMIT 1",
        [organization, disclosure],
    ).fetchone()
    assert row, (organization, disclosure)
    return row[0]


def draft(sal: str, **kw) -> referrals.Draft:
    values = {
        "case_code": CASE,
        "service_at_location_id": sal,
        "needs": ("shelter_emergency", "legal_aid"),
        "age": 15,
        "urgency": "emergency",
        "gender": "female",
        "languages": ("ro", "rom"),
        "requirements": ("unaccompanied",),
        "max_km": 200.0,
        "score": 0.91234567,
        "reasons": REASONS,
        "consent_fields": ("age", "gender", "needs", "urgency"),
        "origin_siruta": 161945,
    }
    return referrals.Draft(**{**values, **kw})


@pytest.fixture
def home_sal(db: Store) -> str:
    """A confidential (on_accepted_referral) site of demo-coordinator's own organisation."""
    return sal_of(db, user(db, "demo-coordinator").organization_id, "on_accepted_referral")


@pytest.fixture
def other_sal(db: Store) -> str:
    return sal_of(db, OTHER_ORG, "public")


def send(store: Store, sal: str, by: str = "demo-caseworker", at: datetime = NOW, **kw):
    return referrals.create(store, user(store, by), draft(sal, **kw), now=at)


def move(store: Store, ref: Referral, to: str, by: str = "demo-admin", at: datetime = NOW, **kw):
    reason = kw.pop("reason_code", "no_capacity" if to == "declined" else None)
    return referrals.change_status(
        store, user(store, by), ref, to, reason_code=reason, now=at, **kw
    )
