"""Sign-in, lockout, audit of every attempt, and the disclosure rules."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from directory.access.disclosure import can_reveal, generalise, reveal, sees_exact
from directory.access.passwords import hash_password
from directory.access.sign_in import (
    SignInError,
    backoff_minutes,
    is_idle,
    locked_minutes,
    logged_name,
    sign_in,
)
from directory.errors import PermissionDeniedError, ValidationError
from directory.models import ServiceAtLocation, User
from directory.settings import Settings
from directory.storage.frame import services_frame

from .conftest import ROOT, make_location, make_org, make_service

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
SETTINGS = Settings.from_env({})
PASSWORD = "a long enough secret"
HASH = hash_password(PASSWORD)  # hashed once: argon2 is slow on purpose


@pytest.fixture
def users(store):
    store.bulk_insert(
        [
            make_org(1),
            make_org(2),
            User("ana", "Ana", "coordinator", HASH, organization_id="org-1"),
            User("dan", "Dan", "coordinator", HASH, organization_id="org-2"),
            User("root", "Root", "admin", HASH),
            User("paul", "Paul", "partner", HASH),
            User("old", "Old", "caseworker", HASH, active=False),
        ],
        actor="test",
    )
    return store


def actions(store) -> list[tuple[str, str, str]]:
    rows = store.db.execute(
        "SELECT actor, action, entity_id FROM audit_log WHERE action LIKE 'sign%' ORDER BY id"
    )
    return [tuple(r) for r in rows]


def test_sign_in_returns_the_user_and_is_audited(users):
    user = sign_in(users, "Ana ", PASSWORD, SETTINGS, now=NOW)
    assert (user.username, user.role) == ("ana", "coordinator")
    assert actions(users) == [("ana", "sign_in", "ana")]


@pytest.mark.parametrize(
    "username, password, code",
    [
        ("", PASSWORD, "username_required"),
        ("   ", PASSWORD, "username_required"),
        ("ana", "", "password_required"),
        ("a" * 10_000, PASSWORD, "too_long"),
        ("ana", "x" * 10_000, "too_long"),
        ("ana", "wrong password!", "invalid"),
        ("nobody", PASSWORD, "invalid"),  # same code as a wrong password: no account probing
        ("old", PASSWORD, "invalid"),  # deactivated
    ],
)
def test_refused_sign_ins(users, username, password, code):
    with pytest.raises(SignInError) as err:
        sign_in(users, username, password, SETTINGS, now=NOW)
    assert err.value.problem.code == code


def test_a_failed_sign_in_logs_the_username_only_if_the_account_exists(users):
    # A password typed into the username field must not stay in the append-only log.
    for name in ("ana", "a long enough secret", "x" * 30):
        with pytest.raises(SignInError):
            sign_in(users, name, "wrong password!", SETTINGS, now=NOW)
    logged = actions(users)
    assert logged[0] == ("anonymous", "sign_in_failed", "ana")
    for (_, action, entity_id), typed in zip(logged[1:], ("a long enough secret", "x" * 30)):
        assert action == "sign_in_failed" and entity_id.startswith("unknown:")
        assert typed not in entity_id
    rows = users.db.execute("SELECT after, entity_id FROM audit_log").fetchall()
    assert "a long enough secret" not in " ".join(f"{a or ''}{e}" for a, e in rows)
    # The same typo hashes the same way (so the back-off counts it), a different one does not.
    assert logged_name(users, "a long enough secret") == logged[1][2]
    assert logged_name(users, "another guess") != logged[1][2]


def fail(
    store, username: str, n: int, at: datetime, client: str = "203.0.113.7", codes=("invalid",)
) -> None:
    for i in range(n):
        with pytest.raises(SignInError) as err:
            sign_in(store, username, "wrong password!", SETTINGS, at + timedelta(seconds=i), client)
        assert err.value.problem.code in codes


@pytest.mark.parametrize("username", ["ana", "nobody"])
def test_back_off_after_five_failures_whether_or_not_the_user_exists(users, username):
    fail(users, username, 5, NOW)
    with pytest.raises(SignInError) as err:
        sign_in(users, username, PASSWORD, SETTINGS, NOW + timedelta(seconds=10), "203.0.113.7")
    assert (err.value.problem.code, err.value.problem.minutes) == ("locked", 1)
    # The first wait is one minute; then the right password works again.
    later = NOW + timedelta(minutes=2)
    assert locked_minutes(users, username, SETTINGS, later, "203.0.113.7") == 0
    if username == "ana":
        assert sign_in(users, "ana", PASSWORD, SETTINGS, later, "203.0.113.7")


def test_the_wait_doubles_and_is_capped(users):
    at = NOW
    waits = []
    for n in range(5, 12):
        fail(users, "ana", 1 if n > 5 else 5, at)
        at = at + timedelta(seconds=10)
        waits.append(locked_minutes(users, "ana", SETTINGS, at, "203.0.113.7"))
        at = at + timedelta(minutes=waits[-1], seconds=1)  # wait it out, then guess again
    assert waits == [1, 2, 4, 8, 15, 15, 15]


def test_guessing_from_one_address_does_not_lock_the_user_out_elsewhere(users):
    fail(users, "ana", 20, NOW, "198.51.100.66", codes=("invalid", "locked"))  # the attacker
    assert locked_minutes(users, "ana", SETTINGS, NOW + timedelta(minutes=1), "198.51.100.66")
    # The real user, from the office's address, signs in at once.
    user = sign_in(users, "ana", PASSWORD, SETTINGS, NOW + timedelta(minutes=1), "192.0.2.10")
    assert user.username == "ana"


def test_a_success_resets_the_failure_count(users):
    fail(users, "ana", 4, NOW)
    sign_in(users, "ana", PASSWORD, SETTINGS, now=NOW + timedelta(seconds=10), client="203.0.113.7")
    fail(users, "ana", 1, NOW + timedelta(seconds=20))


def test_back_off_is_configurable(users):
    strict = Settings.from_env({"PUNTE_LOCKOUT_ATTEMPTS": "2", "PUNTE_LOCKOUT_MINUTES": "60"})
    for _ in range(2):
        with pytest.raises(SignInError):
            sign_in(users, "ana", "wrong password!", strict, now=NOW)
    assert locked_minutes(users, "ana", strict, NOW + timedelta(seconds=30)) == 1
    assert [backoff_minutes(n, strict) for n in (1, 2, 3, 7, 8, 20)] == [0, 1, 2, 32, 60, 60]


def test_idle_expiry():
    assert not is_idle(NOW, SETTINGS, now=NOW + timedelta(minutes=29))
    assert is_idle(NOW, SETTINGS, now=NOW + timedelta(minutes=31))


@pytest.mark.parametrize(
    "role, disclosure, accepted, exact",
    [
        ("partner", "public", False, True),
        ("partner", "partners", False, False),
        ("caseworker", "partners", False, True),
        ("caseworker", "on_accepted_referral", False, False),
        ("caseworker", "on_accepted_referral", True, True),
        ("caseworker", "never", True, False),
        ("coordinator", "on_accepted_referral", False, False),
        ("admin", "never", False, False),
        ("stranger", "partners", False, False),
    ],
)
def test_who_sees_exact_points(role, disclosure, accepted, exact):
    assert sees_exact(role, disclosure, accepted_referral=accepted) is exact


def _confidential_directory(store):
    store.bulk_insert(
        [
            make_location(1, disclosure="public", address_1="Strada Deschisă 1"),
            make_location(
                2,
                disclosure="partners",
                address_1="Strada Secretă 2",
                latitude=46.7,
                siruta=54975,
                locality="Satul Ascuns",
                postal_code="400999",
            ),
            make_service(1),
            make_service(2, service_type="shelter_emergency"),
            ServiceAtLocation("sal-1", "svc-1", "loc-1"),
            ServiceAtLocation("sal-2", "svc-2", "loc-2"),
        ],
        actor="test",
    )


def test_generalise_hides_point_and_address_from_partners(users):
    _confidential_directory(users)
    seat = (46.76667, 23.6)
    frame = generalise(services_frame(users, details=True), "partner", {54975: seat})
    secret = frame[frame["service_at_location_id"] == "sal-2"].iloc[0]
    assert (secret["latitude"], secret["longitude"]) == seat
    # Its UAT only: no address, postal code or village name.
    assert secret["address_1"] is None and secret["postal_code"] is None
    assert secret["locality"] is None and secret["siruta"] == 54975
    assert secret["location_precision"] == "generalised"
    open_row = frame[frame["service_at_location_id"] == "sal-1"].iloc[0]
    assert open_row["address_1"] == "Strada Deschisă 1"
    caseworker = generalise(services_frame(users, details=True), "caseworker", {54975: seat})
    assert "Strada Secretă 2" in set(caseworker["address_1"])


def test_reveal_needs_the_right_and_a_reason_and_is_logged(users):
    _confidential_directory(users)
    ana, dan, root = (users.get(User, n) for n in ("ana", "dan", "root"))
    assert can_reveal(ana, users.get(type(make_location()), "loc-2"))
    assert not can_reveal(dan, users.get(type(make_location()), "loc-2"))
    with pytest.raises(PermissionDeniedError):
        reveal(users, dan, "loc-2", "need it for a placement")
    with pytest.raises(ValidationError):
        reveal(users, ana, "loc-2", "  ")
    assert reveal(users, root, "loc-2", "court order 12/2026").address_1 == "Strada Secretă 2"
    rows = users.db.execute(
        "SELECT actor, entity_id, reason FROM audit_log WHERE action = 'reveal'"
    ).fetchall()
    assert [tuple(r) for r in rows] == [("root", "loc-2", "court order 12/2026")]


def test_the_app_hashes_at_the_production_cost():
    # The tests hash cheaply (conftest.py); the app must not: checked in a fresh interpreter.
    code = (
        "from directory.access.passwords import hash_password, verify_password\n"
        "h = hash_password('a long enough secret')\n"
        "assert verify_password(h, 'a long enough secret')\n"
        "print(h)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.startswith("$argon2id$v=19$m=65536,t=3,p=4$"), done.stdout
