"""The stale queue with one-click verify, and the one-screen capacity update with its links."""

from __future__ import annotations

from datetime import UTC, date, datetime

import streamlit as st

from directory import vocab
from directory.errors import PermissionDeniedError
from directory.listings import edit, links
from directory.listings.freshness import capacity_age_text, stale_queue, verified_text
from directory.listings.validation import check_capacity
from directory.models import Service, User

from .context import lang, settings, store, t
from .listing_fields import error_for, notice, set_problems
from .widgets import selectbox

QUEUE_LIMIT = 50


def stale_section(user: User, editable: set[str] | None, today: date) -> None:
    with store() as s:
        rows = stale_queue(s, today, settings(), editable)
    st.caption(
        t(
            "queue.help",
            days=settings().assured_stale_days,
            capacity_days=settings().capacity_stale_days,
            n=len(rows),
        )
    )
    if not rows:
        st.success(t("queue.empty"))
        return
    for row in rows[:QUEUE_LIMIT]:
        svc = row.service
        name, fresh, action = st.columns([4, 4, 2])
        name.text(svc.name)  # provider text as plain text, never markdown
        fresh.caption(
            f"{verified_text(svc.assured_date, today, lang())} · "
            f"{capacity_age_text(svc.capacity_as_of, today, lang())}"
        )
        if action.button(t("queue.verify"), key=f"listings_queue_verify_{svc.id}"):
            try:
                with store() as s:
                    edit.verify(s, user, svc.id, today)
            except PermissionDeniedError:
                st.error(t("auth.not_allowed"))
                return
            notice("queue.verified", name=svc.name)
            st.rerun()
    if len(rows) > QUEUE_LIMIT:
        st.caption(t("queue.more", n=len(rows) - QUEUE_LIMIT))


def capacity_section(user: User, services: list[Service], today: date) -> None:
    if not services:
        st.info(t("listings.no_services"))
        return
    by_id = {x.id: x for x in services}
    sid = selectbox(
        t("capacity.service"),
        list(by_id),
        key="listings_capacity_service",
        format_func=lambda i: by_id[i].name,
    )
    svc = by_id[sid]
    st.caption(
        f"{t('capacity.' + svc.capacity_status)} · "
        f"{capacity_age_text(svc.capacity_as_of, today, lang())} · "
        f"{verified_text(svc.assured_date, today, lang())}"
    )
    k, scope = f"listings_capacity_{sid}", "capacity"
    with st.form(k):
        status = selectbox(
            t("field.capacity_status"),
            vocab.CAPACITY_STATUSES,
            index=vocab.CAPACITY_STATUSES.index(svc.capacity_status),
            format_func={c: t("capacity." + c) for c in vocab.CAPACITY_STATUSES}.__getitem__,
            key=f"{k}_status",
        )
        error_for(scope, "capacity_status")
        left, right = st.columns(2)
        free = left.number_input(
            t("field.beds_available"), 0, 10_000, svc.beds_available, key=f"{k}_free"
        )
        error_for(scope, "beds_available")
        total = right.number_input(
            t("field.beds_total"), 0, 10_000, svc.beds_total, key=f"{k}_total"
        )
        error_for(scope, "beds_total")
        as_of = st.date_input(t("field.capacity_as_of"), today, max_value=today, key=f"{k}_asof")
        error_for(scope, "capacity_as_of")
        go = st.form_submit_button(t("capacity.save"), type="primary")
    if go:
        problems = check_capacity(status, free, total, as_of)
        set_problems(scope, problems)
        if not problems:
            with store() as s:
                edit.set_capacity(s, user, sid, status, free, total, as_of)
            notice("capacity.saved", name=svc.name)
        st.rerun()
    if st.button(t("capacity.still_correct"), key=f"{k}_same"):
        with store() as s:
            edit.set_capacity(
                s,
                user,
                sid,
                svc.capacity_status,
                svc.beds_available,
                svc.beds_total,
                today,
                reason="capacity still correct",
            )
        notice("capacity.saved", name=svc.name)
        st.rerun()
    links_section(user, svc)


def links_section(user: User, svc: Service) -> None:
    st.subheader(t("link.title"))
    st.caption(t("link.help", days=settings().capacity_link_days))
    contact = st.text_input(t("link.contact"), max_chars=200, key=f"listings_link_contact_{svc.id}")
    now = datetime.now(UTC)
    if st.button(t("link.create"), key=f"listings_link_create_{svc.id}"):
        with store() as s:
            url, _ = links.create_link(
                s,
                user,
                svc.id,
                now=now,
                days=settings().capacity_link_days,
                public_url=settings().public_url,
                contact=contact,
            )
        st.session_state["listings_link_url"] = (svc.id, url)
    shown = st.session_state.get("listings_link_url")
    if shown and shown[0] == svc.id:
        st.success(t("link.created"))
        st.code(shown[1], language=None)
    with store() as s:
        live = [x for x in s.capacity_links(svc.id) if x.revoked_at is None and x.expires_at > now]
    for link in live:
        left, right = st.columns([4, 1])
        left.caption(
            t(
                "link.row",
                contact=link.contact or "—",
                expires=link.expires_at.date().isoformat(),
                by=link.created_by,
            )
        )
        if right.button(t("link.revoke"), key=f"listings_link_revoke_{link.token_hash[:16]}"):
            with store() as s:
                links.revoke(s, user, link.token_hash, now)
            st.session_state.pop("listings_link_url", None)
            notice("link.revoked")
            st.rerun()
