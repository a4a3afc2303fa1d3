"""Sign-in, back-off and sign-out against the user table; every attempt is audited.

Failed attempts are counted from the audit log itself, so the back-off needs no table of its
own and an attacker cannot reset it by any path that leaves the log intact. The back-off is
per username and client address, and doubles from one minute up to ``lockout_minutes``.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from directory.access.passwords import verify_password
from directory.errors import AuthError, NotFoundError
from directory.models import User
from directory.settings import Settings
from directory.storage.audit import AuditEntry
from directory.storage.store import Store

MAX_USERNAME = 32
MAX_PASSWORD = 256
_LOGGED_NAME = 64  # attempted usernames are logged, cut so a 10 kB name cannot bloat the log
UNKNOWN_CLIENT = "unknown"
_HISTORY = timedelta(hours=24)  # failures older than this no longer count


@dataclass(frozen=True)
class SignInProblem:
    """Why a sign-in was refused, as a code the UI translates (never says if the user exists)."""

    code: str  # "username_required" | "password_required" | "too_long" | "invalid" | "locked"
    minutes: int = 0


class SignInError(AuthError):
    def __init__(self, problem: SignInProblem) -> None:
        self.problem = problem
        super().__init__(problem.code)


def _now() -> datetime:
    return datetime.now(UTC)


def _check_input(username: str, password: str) -> None:
    if not username.strip():
        raise SignInError(SignInProblem("username_required"))
    if not password:
        raise SignInError(SignInProblem("password_required"))
    if len(username) > MAX_USERNAME or len(password) > MAX_PASSWORD:
        raise SignInError(SignInProblem("too_long"))


def logged_name(store: Store, username: str) -> str:
    """How a sign-in attempt names its account in the log: the username only if it exists.

    A password typed into the username field must not stay in the append-only log, so an
    unknown name is logged as a keyed hash (the audit key): the same typo gives the same
    hash, which is all the back-off needs, and nobody without the key can test guesses.
    """
    name = username[:_LOGGED_NAME]
    if store.user_exists(name):
        return name
    digest = hmac.new(store.audit_key, username.encode("utf-8"), hashlib.sha256).hexdigest()
    return "unknown:" + digest[:20]


def recent_failures(store: Store, name: str, client: str, since: datetime) -> list[datetime]:
    """Failed attempts on ``name`` from ``client`` after ``since`` and its last success."""
    failures = []
    for action, at, from_client in store.sign_in_history(name, since):
        if action == "sign_in":
            break
        if (from_client or UNKNOWN_CLIENT) == client:
            failures.append(datetime.fromisoformat(at))
    return failures


def backoff_minutes(failures: int, settings: Settings) -> int:
    """The wait after ``failures`` in a row: none below the limit, then 1, 2, 4… minutes."""
    if failures < settings.lockout_attempts:
        return 0
    return min(2 ** (failures - settings.lockout_attempts), settings.lockout_minutes)


def locked_minutes(
    store: Store,
    username: str,
    settings: Settings,
    now: datetime,
    client: str | None = None,
) -> int:
    """Minutes this client must still wait before trying ``username`` again, or 0.

    The wait is per username AND client address: someone guessing from one address slows
    only themselves, so they cannot lock the real user (at another address) out.
    """
    name = logged_name(store, username)
    failures = recent_failures(store, name, client or UNKNOWN_CLIENT, now - _HISTORY)
    wait = backoff_minutes(len(failures), settings)
    if not wait:
        return 0
    left = failures[0] + timedelta(minutes=wait) - now
    return 0 if left.total_seconds() <= 0 else max(1, math.ceil(left.total_seconds() / 60))


def sign_in(
    store: Store,
    username: str,
    password: str,
    settings: Settings,
    now: datetime | None = None,
    client: str | None = None,
) -> User:
    """Return the user, or raise SignInError with a code that reveals nothing about accounts.

    ``client`` is the address the request came from (as the reverse proxy forwards it).
    """
    now = now or _now()
    _check_input(username, password)
    username = username.strip().lower()
    client = (client or UNKNOWN_CLIENT)[:64]
    minutes = locked_minutes(store, username, settings, now, client)
    if minutes:
        raise SignInError(SignInProblem("locked", minutes))
    try:
        user: User | None = store.get(User, username)
    except NotFoundError:
        user = None
    ok = verify_password(user.password_hash if user else None, password)
    if not (ok and user and user.active):
        entry = AuditEntry(
            "anonymous",
            "sign_in_failed",
            "user",
            logged_name(store, username),
            after={"client": client},
        )
        store.log(entry, at=now)
        raise SignInError(SignInProblem("invalid"))
    store.log(
        AuditEntry(user.username, "sign_in", "user", user.username, after={"client": client}),
        at=now,
    )
    return user


def sign_out(store: Store, username: str, reason: str = "signed out") -> None:
    store.log(AuditEntry(username, "sign_out", "user", username, reason=reason))


def active_user(store: Store, username: str) -> User | None:
    """The user behind a session, re-read each time so a role change or deactivation bites."""
    try:
        user = store.get(User, username)
    except NotFoundError:
        return None
    return user if user.active else None


def is_idle(last_seen: datetime, settings: Settings, now: datetime | None = None) -> bool:
    return (now or _now()) - last_seen > timedelta(minutes=settings.session_idle_minutes)
