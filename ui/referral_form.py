"""Send a referral for one match: a case code, never a name, and the fields consented to."""

from __future__ import annotations

import streamlit as st

from directory.errors import (
    DuplicateReferralError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from directory.formatting import when
from directory.models import User
from directory.referrals import guards
from directory.referrals import workflow as referrals
from directory.referrals.case_codes import MAX_LENGTH, CaseCodeError
from directory.referrals.consent import CONSENT_FIELDS
from directory.referrals.drafts import draft_from_match
from directory.referrals.notify import notify_new
from matching.needs import Needs
from matching.rank import Match

from .case_marks import current_code, mark_for, show_mark
from .context import lang, settings, store, t
from .needs_form import Origin
from .widgets import md, tm

K = "find_ref_"


def opened_key(sal: str) -> str:
    """The session key of the expander holding the form for ``sal``: True when it is open."""
    return f"{K}open_{sal}"


def referral_form(user: User, needs: Needs, origin: Origin, match: Match) -> None:
    """A small form under the chosen match; on success the referral is sent and listed."""
    sal = match.service_at_location_id
    mark = mark_for(sal)
    show_mark(mark)
    # The form is drawn only once its expander is opened: three closed forms under a plan
    # were a third of the page's elements, each one redrawn by the browser on every
    # change of the needs (issue 16: choosing the needs to the plan shown).
    box = st.expander(t("ref.form.title"), key=opened_key(sal), on_change="rerun")
    if not box.open:
        return
    with box, st.form(f"{K}{sal}"):
        code = st.text_input(
            t("ref.case_code"), max_chars=MAX_LENGTH, help=t("ref.case_code_help"),
            key=f"{K}code_{sal}", value=current_code(),
        )  # fmt: skip
        st.caption(t("ref.case_code_help"))
        st.caption(t("ref.always_shared"))
        st.caption(t("ref.consent"))
        # Nothing is shared by default: each detail needs its own tick.
        consent = [
            name
            for name in CONSENT_FIELDS
            if st.checkbox(
                t("consent." + name), value=False, key=f"{K}{name}_{match.service_at_location_id}"
            )
        ]
        resend_reason = resend_ok = None
        if mark == "declined":  # sending again where it was declined: say why, and confirm
            resend_reason = st.text_input(
                t("ref.resend_reason"), max_chars=500, key=f"{K}why_{sal}"
            )
            resend_ok = st.checkbox(t("ref.resend_confirm"), value=False, key=f"{K}again_{sal}")
        send = st.form_submit_button(t("ref.send"), type="primary")
    if not send:
        return
    if mark == "declined" and not (resend_ok and (resend_reason or "").strip()):
        st.error(t("ref.error.resend"))
        return
    draft = draft_from_match(
        needs, match, case_code=code, consent_fields=consent, origin_siruta=origin.siruta
    )
    try:
        with store() as s:
            referral = referrals.create(s, user, draft)
            if resend_reason:
                guards.note_resend(s, user, referral, resend_reason)
            notify_new(s, settings(), [referral])  # after the commit; a failure is only logged
    except CaseCodeError as e:
        st.error(t("ref.invalid.case_code." + e.reason))
    except DuplicateReferralError as e:
        # The id is a uuid we generated: safe inside a markdown link.
        st.error(t("ref.duplicate", link=f"/referrals?ref={e.existing_id}"))
    except ValidationError as e:
        st.error(t("ref.invalid." + e.field) if e.field == "consent_fields" else md(str(e)))
    except (PermissionDeniedError, NotFoundError):
        st.error(t("ref.failed"))
    else:
        st.success(tm("ref.sent", code=referral.case_code, due=when(referral.due_at, lang())))
