"""Sign-in, lockout and sign-out against the user table; every attempt is audited.

Failed attempts are counted from the audit log itself, so the lockout needs no table of its
own and an attacker cannot reset it by any path that leaves the log intact.
"""

from __future__ import annotations

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


def recent_failures(store: Store, username: str, since: datetime) -> list[datetime]:
    """Failed attempts for ``username`` after ``since`` and after its last successful sign-in."""
    rows = store.sign_in_attempts(username[:_LOGGED_NAME], since)
    failures = []
    for action, at in rows:
        if action == "sign_in":
            break
        failures.append(at)
    return failures


def locked_minutes(store: Store, username: str, settings: Settings, now: datetime) -> int:
    """Minutes left on a lockout for ``username``, or 0 when it may try again."""
    window = timedelta(minutes=settings.lockout_minutes)
    failures = recent_failures(store, username, now - window)
    if len(failures) < settings.lockout_attempts:
        return 0
    # Locked until the window has passed since the attempt that reached the limit.
    trigger = failures[settings.lockout_attempts - 1]
    left = trigger + window - now
    return max(1, int(left.total_seconds() // 60) + 1)


def sign_in(
    store: Store, username: str, password: str, settings: Settings, now: datetime | None = None
) -> User:
    """Return the user, or raise SignInError with a code that reveals nothing about accounts."""
    now = now or _now()
    _check_input(username, password)
    username = username.strip().lower()
    minutes = locked_minutes(store, username, settings, now)
    if minutes:
        raise SignInError(SignInProblem("locked", minutes))
    try:
        user: User | None = store.get(User, username)
    except NotFoundError:
        user = None
    ok = verify_password(user.password_hash if user else None, password)
    if not (ok and user and user.active):
        store.log(
            AuditEntry("anonymous", "sign_in_failed", "user", username[:_LOGGED_NAME]),
            at=now,
        )
        raise SignInError(SignInProblem("invalid"))
    store.log(AuditEntry(user.username, "sign_in", "user", user.username), at=now)
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
