"""Account administration from the app: create, (de)activate, reset password, change role.

Only an admin may call these; each write is a versioned update with its audit row (never the
password or its hash in the log).
"""

from __future__ import annotations

import secrets

from directory.access.passwords import hash_password
from directory.errors import PermissionDeniedError, PunteError
from directory.models import User
from directory.storage.store import Store


class UsernameTakenError(PunteError):
    """An account with this username exists already; choose another."""


def _admin(actor: User) -> None:
    if actor.role != "admin":
        raise PermissionDeniedError(f"{actor.username} may not manage accounts.")


def new_password() -> str:
    """A random password to hand over once; the user changes it on their Account page."""
    return secrets.token_urlsafe(12)


def create_account(
    store: Store, actor: User, username: str, display_name: str, role: str,
    organization_id: str | None,
) -> tuple[User, str]:  # fmt: skip
    """Create an account with a generated password; returns it with the password (shown once)."""
    _admin(actor)
    # Validate the fields before the slow password hash, so a typo is reported at once.
    User(username, display_name, role, "$argon2id$unset", organization_id=organization_id)
    if username in store.usernames():
        raise UsernameTakenError(f"There is already an account named {username!r}.")
    password = new_password()
    user = User(username, display_name, role, hash_password(password),
                organization_id=organization_id)  # fmt: skip
    store.insert(user, actor=actor.username, reason="account created in the app")
    return user, password


def set_active(store: Store, actor: User, username: str, active: bool) -> User:
    _admin(actor)
    if username == actor.username and not active:
        raise PermissionDeniedError("An administrator cannot deactivate their own account.")
    user = store.get(User, username)
    return store.update(user.replace(active=active), actor=actor.username,
                        reason="reactivate" if active else "deactivate")  # fmt: skip


def set_role(store: Store, actor: User, username: str, role: str) -> User:
    _admin(actor)
    user = store.get(User, username)
    return store.update(user.replace(role=role), actor=actor.username, reason="role change")


def reset_password(store: Store, actor: User, username: str) -> str:
    """Give the account a new random password; returns it (shown once to the admin)."""
    _admin(actor)
    password = new_password()
    user = store.get(User, username)
    store.update(user.replace(password_hash=hash_password(password)), actor=actor.username,
                 reason="password reset")  # fmt: skip
    return password
