"""A demo database for referral tests, built once; each test gets its own copy."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from directory.access.passwords import hash_password
from directory.models import Location, Referral, Service, ServiceAtLocation, User
from directory.reasons import Reason
from directory.referrals import workflow as referrals
from directory.storage.store import Store

from ..conftest import TODAY, copy_demo

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


@pytest.fixture(scope="module")
def template(demo_template, tmp_path_factory) -> Path:
    """The session's demo directory plus the referral tests' accounts; each test gets a copy."""
    path = copy_demo(demo_template, tmp_path_factory.mktemp("referrals") / "template.db")
    with Store(path) as store:
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
    return path


@pytest.fixture
def db(template: Path, tmp_path: Path):
    path = tmp_path / "punte.db"
    source = sqlite3.connect(str(template))
    target = sqlite3.connect(str(path))
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()
    # The audit key is kept beside a database, never in it: the copy needs its own.
    shutil.copy(
        template.with_name(template.name + ".audit-key"), path.with_name(path.name + ".audit-key")
    )
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
