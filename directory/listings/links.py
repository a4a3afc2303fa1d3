"""Provider self-update links: a random single-purpose token that updates one service's capacity.

Only the token's SHA-256 is stored, so a copy of the database gives no working links. A link
expires, can be revoked, and every use is logged under the link's short hash. Nothing is sent
from Punte: the coordinator copies the printed link into an e-mail or an SMS.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlencode

from directory.errors import NotFoundError, PunteError
from directory.listings.edit import may_edit, set_capacity
from directory.models import Service, User
from directory.storage import audit
from directory.storage.listing_rows import CapacityLink
from directory.storage.store import Store

QUERY_PARAM = "capacity_token"


class LinkError(PunteError):
    """The link is unknown, expired or revoked; ``key`` says which, for the page to translate."""

    def __init__(self, key: str) -> None:
        self.key = key
        super().__init__(key)


@dataclass(frozen=True)
class LinkView:
    """All a link's page may show: the service's name and its capacity, never an address."""

    service_id: str
    service_name: str
    capacity_status: str
    beds_available: int | None
    beds_total: int | None
    capacity_as_of: date | None
    expires_at: datetime


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def link_url(public_url: str, token: str) -> str:
    return f"{public_url.rstrip('/')}/?{urlencode({QUERY_PARAM: token})}"


def create_link(
    store: Store,
    user: User,
    service_id: str,
    *,
    now: datetime,
    days: int,
    public_url: str,
    contact: str | None = None,
) -> tuple[str, CapacityLink]:
    """Make a link for ``service_id``; returns the URL (shown once) and the stored record."""
    service = store.get(Service, service_id)
    if not may_edit(store, user, service.organization_id):
        from directory.errors import PermissionDeniedError

        raise PermissionDeniedError(f"{user.username} may not edit {service_id}.")
    token = secrets.token_urlsafe(32)
    link = CapacityLink(
        token_hash(token),
        service_id,
        (contact or "").strip()[:200] or None,
        user.username,
        now,
        now + timedelta(days=days),
    )
    store.add_capacity_link(link)
    return link_url(public_url, token), link


def _valid(store: Store, token: str, now: datetime) -> CapacityLink:
    try:
        link = store.capacity_link(token_hash(token))
    except NotFoundError:
        raise LinkError("link.error.unknown") from None
    if link.revoked_at is not None:
        raise LinkError("link.error.revoked")
    if now >= link.expires_at:
        raise LinkError("link.error.expired")
    return link


def actor_of(link: CapacityLink) -> str:
    """The audit name of a link's uses: never the token, only a prefix of its hash."""
    return f"link:{link.token_hash[:12]}"


def view_link(store: Store, token: str, now: datetime) -> LinkView:
    """What the link's page shows (the link must be valid); nothing is logged."""
    link = _valid(store, token, now)
    service = store.get(Service, link.service_id)
    return LinkView(
        service.id,
        service.name,
        service.capacity_status,
        service.beds_available,
        service.beds_total,
        service.capacity_as_of,
        link.expires_at,
    )


def open_link(store: Store, token: str, now: datetime) -> LinkView:
    """The page's view, and the opening logged (once per visit: the page calls view_link after)."""
    view = view_link(store, token, now)
    link = store.capacity_link(token_hash(token))
    store.log(audit.AuditEntry(actor_of(link), "open_link", "service", view.service_id))
    return view


def update_by_link(
    store: Store,
    token: str,
    now: datetime,
    status: str,
    available: int | None,
    total: int | None,
) -> Service:
    """Set the linked service's capacity as of today (logged under the link)."""
    link = _valid(store, token, now)
    return set_capacity(
        store, actor_of(link), link.service_id, status, available, total, now.date(),
        reason="capacity by self-update link",
    )  # fmt: skip


def confirm_by_link(store: Store, token: str, now: datetime) -> Service:
    """ "Still correct": the reported capacity stands, dated today."""
    link = _valid(store, token, now)
    service = store.get(Service, link.service_id)
    return set_capacity(
        store, actor_of(link), service.id, service.capacity_status, service.beds_available,
        service.beds_total, now.date(), reason="capacity confirmed by self-update link",
    )  # fmt: skip


def revoke(store: Store, user: User, token_hash_: str, now: datetime) -> None:
    link = store.capacity_link(token_hash_)
    service = store.get(Service, link.service_id)
    if not may_edit(store, user, service.organization_id):
        from directory.errors import PermissionDeniedError

        raise PermissionDeniedError(f"{user.username} may not edit {service.id}.")
    store.revoke_capacity_link(token_hash_, user.username, now)
