"""A signed-in user's own account: changing the password (the current one is asked)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from directory.access.passwords import MAX_LENGTH, MIN_LENGTH, hash_password, verify_password
from directory.errors import ValidationError
from directory.models import User
from directory.storage.audit import AuditEntry
from directory.storage.store import Store

COMMON_FILE = Path(__file__).with_name("common_passwords.txt")
REASONS = ("current_wrong", "mismatch", "too_short", "too_long", "common", "has_username", "same")
_TAIL = re.compile(r"[\d\W_]+$")  # digits and symbols tacked on: "parola2026!"


class PasswordError(ValidationError):
    """A new password was refused; ``reason`` is one of :data:`REASONS` (the UI translates)."""

    def __init__(self, reason: str, message: str) -> None:
        self.reason = reason
        super().__init__("current_password" if reason == "current_wrong" else "password", message)


@cache
def common_passwords() -> frozenset[str]:
    lines = COMMON_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(x.strip().lower() for x in lines if x.strip() and not x.startswith("#"))


def is_common(password: str) -> bool:
    lowered = password.strip().lower()
    common = common_passwords()
    return lowered in common or _TAIL.sub("", lowered) in common or len(set(lowered)) <= 2


def check_new_password(username: str, new: str, repeat: str) -> None:
    """Raise PasswordError unless ``new`` is long enough, uncommon and typed twice the same."""
    if new != repeat:
        raise PasswordError("mismatch", "the two new passwords differ")
    if len(new) < MIN_LENGTH:
        raise PasswordError("too_short", f"must be at least {MIN_LENGTH} characters long")
    if len(new) > MAX_LENGTH:
        raise PasswordError("too_long", f"must be at most {MAX_LENGTH} characters long")
    if is_common(new):
        raise PasswordError("common", "is on the list of common passwords")
    if username.lower() in new.lower():
        raise PasswordError("has_username", "must not contain the username")


def change_password(store: Store, user: User, current: str, new: str, repeat: str) -> User:
    """Check the current password, then save the new one; both outcomes are audited."""
    if not verify_password(user.password_hash, current):
        store.log(AuditEntry(user.username, "password_change_failed", "user", user.username))
        raise PasswordError("current_wrong", "the current password is not right")
    check_new_password(user.username, new, repeat)
    if verify_password(user.password_hash, new):
        raise PasswordError("same", "choose a password different from the current one")
    return store.update(
        user.replace(password_hash=hash_password(new)), actor=user.username, reason="password"
    )
