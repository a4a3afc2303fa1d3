"""The signed-in user of this browser session, idle expiry, and the role guard every page calls.

Only the username and the time of the last action live in session state; the role is re-read
from the database on every run, so nothing a browser sends can grant a role.
"""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from directory.access.sign_in import active_user, is_idle, sign_out
from directory.models import User

from . import find_memory
from .context import settings, store, t
from .registry import roles_for

AUTH_KEY = "auth"
NOTICE_KEY = "auth_notice"
PAGE_KEY = "page_now"  # the page of the last full run, to tell a return from a rerun


def _now() -> datetime:
    return datetime.now(UTC)


def client_address() -> str:
    """The browser's address, for the sign-in back-off.

    Behind the reverse proxy, the last X-Forwarded-For entry is the one the proxy itself
    added (earlier entries come from the client and can be forged); without a proxy,
    the address of the connection.
    """
    forwarded = st.context.headers.get("X-Forwarded-For")
    if isinstance(forwarded, str) and forwarded.strip():
        return forwarded.split(",")[-1].strip()[:64]
    address = getattr(st.context, "ip_address", None)
    return address[:64] if isinstance(address, str) and address else "unknown"


def start(user: User) -> None:
    st.session_state[AUTH_KEY] = {"username": user.username, "last_seen": _now().isoformat()}


def end(reason: str = "signed out", notice: str | None = None) -> None:
    auth = st.session_state.pop(AUTH_KEY, None)
    st.session_state.pop("attention_shown", None)  # the next user is told their own counts
    st.session_state.pop(PAGE_KEY, None)
    find_memory.forget()  # the Find form is this user's work: the next one starts empty
    if auth:
        with store() as s:
            sign_out(s, auth["username"], reason)
    if notice:
        st.session_state[NOTICE_KEY] = notice


def current_user() -> User | None:
    """The active user, or None; ends the session when it sat idle too long."""
    auth = st.session_state.get(AUTH_KEY)
    if not isinstance(auth, dict) or not isinstance(auth.get("username"), str):
        return None
    try:
        last_seen = datetime.fromisoformat(auth["last_seen"])
    except (KeyError, TypeError, ValueError):
        last_seen = datetime.min.replace(tzinfo=UTC)
    if is_idle(last_seen, settings()):
        end("idle timeout", notice="auth.expired")
        return None
    with store() as s:
        user = active_user(s, auth["username"])
    if user is None:
        st.session_state.pop(AUTH_KEY, None)
        return None
    auth["last_seen"] = _now().isoformat()
    return user


def require(slug: str) -> User:
    """Stop the page unless a user whose role may open ``slug`` is signed in."""
    user = current_user()
    if user is None:
        st.warning(t("auth.sign_in_first"))
        st.stop()
    if user.role not in roles_for(slug):
        st.error(t("auth.not_allowed"))
        st.stop()
    if st.session_state.get(PAGE_KEY) != slug:  # entered anew, not a rerun of the same page
        st.session_state[PAGE_KEY] = slug
        if slug == "find":
            st.session_state[find_memory.RETURNED] = True
    return user
