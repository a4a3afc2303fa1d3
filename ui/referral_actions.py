"""Status changes, the next-best offer, the sheet and the reveal for one referral."""

from __future__ import annotations

import streamlit as st

from directory.access.disclosure import sees_exact
from directory.errors import (
    ConflictError,
    DuplicateReferralError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from directory.formatting import when
from directory.models import Location, Referral, User
from directory.places.gazetteer import uat_points
from directory.referrals import guards
from directory.referrals import workflow as referrals
from directory.referrals.next_best import next_best, next_best_draft, pending_for_need
from directory.referrals.notify import notify_new
from directory.referrals.sheet import sheet_html
from directory.storage.frame import service_details
from directory.vocab import DECLINE_REASONS, REFERRAL_STATUSES, SERVICE_TYPES, URGENCIES

from .context import lang, settings, store, t
from .matching_data import prepared_for
from .widgets import md, selectbox, tm

K = "referrals_"


def _origin(referral: Referral) -> tuple[float, float] | None:
    """The seat of the referral's UAT (lat, lon), if an origin was shared."""
    return uat_points(settings().data_dir).get(referral.origin_siruta or -1)


def status_actions(user: User, referral: Referral) -> None:
    with store() as s:
        moves = sorted(referrals.allowed_moves(s, user, referral), key=REFERRAL_STATUSES.index)
    if not moves:
        return
    with st.form(f"{K}move_{referral.id}"):
        # Nothing preselected: one stray Save must not change a referral.
        to = selectbox(
            t("ref.move_to"), moves, index=None, format_func=lambda m: t("status." + m),
            key=f"{K}to",
        )  # fmt: skip
        reason = selectbox(
            t("ref.decline_reason"), DECLINE_REASONS, index=None,
            format_func=lambda r: t("decline." + r), key=f"{K}reason",
        )  # fmt: skip
        note = st.text_input(t("ref.note"), max_chars=500, key=f"{K}note")
        confirmed = st.checkbox(t("ref.confirm_close"), value=False, key=f"{K}confirm")
        go = st.form_submit_button(t("ref.apply"))
    if go:
        missing = guards.missing_for_change(to, reason_code=reason, note=note, confirmed=confirmed)
        if missing:
            st.error(t("ref.error." + missing))
            return
        try:
            with store() as s:
                referrals.change_status(
                    s, user, referral, to, reason_code=reason, note=note or None
                )
        except ValidationError as e:
            st.error(
                t("ref.error." + e.field) if e.field in ("decline_reason", "status") else md(str(e))
            )
        except ConflictError:
            st.error(t("ref.conflict"))
        except PermissionDeniedError:
            st.error(t("auth.not_allowed"))
        else:
            flash(t("ref.changed", status=t("status." + to)))
            st.rerun()


def flash(message: str) -> None:
    """Keep a success message across the rerun that refreshes the list."""
    st.session_state[K + "flash"] = message


def show_flash() -> None:
    message = st.session_state.pop(K + "flash", None)
    if message:
        st.success(message)


def offer_next_best(user: User, referral: Referral) -> None:
    with store() as s:
        pending = pending_for_need(s, referral)
    if pending:
        # One referral per need at a time: the next is offered only once this one is answered.
        st.info(t("ref.next.pending"))
        return
    if referral.origin_siruta is None:
        st.info(t("ref.next.no_origin"))
        return
    origin = _origin(referral)
    match = None
    if origin is not None:
        with store() as s:
            match = next_best(s, referral, prepared_for(user.role), origin, settings())
    if match is None or origin is None:
        st.info(t("ref.next.none"))
        return
    with store() as s:
        d = service_details(s, [match.service_at_location_id]).iloc[0]
    st.markdown(
        tm(
            "ref.next.offer",
            service=d["service_name"],
            org=d["organization_name"],
            km=f"{match.km:.0f}",
        )
    )
    if st.button(t("ref.next.send"), key=f"{K}next_{referral.id}", type="primary"):
        draft = next_best_draft(referral, match, origin)
        try:
            with store() as s:
                new = referrals.create(s, user, draft)
                notify_new(s, settings(), [new])  # after the commit; a failure is only logged
        except DuplicateReferralError:
            st.error(t("ref.next.pending"))
        except (ValidationError, PermissionDeniedError, NotFoundError):
            st.error(t("ref.failed"))
        else:
            flash(tm("ref.sent", code=new.case_code, due=when(new.due_at, lang())))
            st.rerun()


def sheet_download(user: User, referral: Referral) -> None:
    with store() as s:
        details = service_details(s, [referral.service_at_location_id])
        provider = details.iloc[0].to_dict() if len(details) else {}
        disclosure = s.get(Location, provider["location_id"]).disclosure if provider else "public"
    accepted = referral.status in ("accepted", "completed")
    if not sees_exact(user.role, disclosure, accepted_referral=accepted):
        # A generalised site is known by its UAT only: no locality on the sheet either.
        provider["locality"] = provider.get("county_code")
    labels = {
        "title": t("sheet.title"), "reasons": t("sheet.reasons"), "footer": t("sheet.footer"),
        "case_code": t("ref.case_code"), "status": t("ref.col.status"),
        "urgency": t("find.urgency"), "due": t("ref.col.due"), "needs": t("find.needs"),
        "age": t("find.age"), "age_band": t("ref.age_band"),
        "languages": t("find.languages"), "service": t("col.service"),
        "organization": t("col.organization"), "locality": t("col.locality"),
        "phone": t("col.phone"), "referral_process": t("sheet.process"),
        "schedule": t("sheet.schedule"),
        **{f"type.{x}": t("type." + x) for x in SERVICE_TYPES},
        **{f"status.{x}": t("status." + x) for x in REFERRAL_STATUSES},
        **{f"urgency.{x}": t("urgency." + x) for x in URGENCIES},
    }  # fmt: skip
    st.download_button(
        t("ref.sheet"),
        sheet_html(referral, provider, labels, lang()).encode("utf-8"),
        file_name=f"trimitere-{referral.case_code}.html",
        mime="text/html",
        key=f"{K}sheet_{referral.id}",
    )


def reveal_button(user: User, referral: Referral) -> None:
    if user.username != referral.created_by or referral.status not in ("accepted", "completed"):
        return
    if st.button(t("ref.reveal"), key=f"{K}reveal_{referral.id}"):
        try:
            with store() as s:
                loc = referrals.reveal_for_referral(s, user, referral)
        except PermissionDeniedError:
            st.info(t("ref.reveal.denied"))
        else:
            st.success(
                tm(
                    "reveal.shown", address=loc.address_1 or "—", locality=loc.locality or "",
                    lat=f"{loc.latitude:.5f}", lon=f"{loc.longitude:.5f}",
                )
            )  # fmt: skip
