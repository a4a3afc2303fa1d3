"""Send a referral for one match: a case code, never a name, and the fields consented to."""

from __future__ import annotations

import streamlit as st

from directory.errors import NotFoundError, PermissionDeniedError, ValidationError
from directory.models import User
from directory.referrals import workflow as referrals
from directory.referrals.case_codes import MAX_LENGTH, CaseCodeError
from directory.referrals.consent import CONSENT_FIELDS
from directory.referrals.drafts import draft_from_match
from matching.needs import Needs
from matching.rank import Match

from .context import store, t
from .needs_form import Origin
from .widgets import md, tm

K = "find_ref_"


def referral_form(user: User, needs: Needs, origin: Origin, match: Match) -> None:
    """A small form under the chosen match; on success the referral is sent and listed."""
    with (
        st.expander(t("ref.form.title")),
        st.form(f"{K}{match.service_at_location_id}"),
    ):
        code = st.text_input(
            t("ref.case_code"), max_chars=MAX_LENGTH, help=t("ref.case_code_help"),
            key=f"{K}code_{match.service_at_location_id}",
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
        send = st.form_submit_button(t("ref.send"), type="primary")
    if not send:
        return
    draft = draft_from_match(
        needs, match, case_code=code, consent_fields=consent, origin_siruta=origin.siruta
    )
    try:
        with store() as s:
            referral = referrals.create(s, user, draft)
    except CaseCodeError as e:
        st.error(t("ref.invalid.case_code." + e.reason))
    except ValidationError as e:
        st.error(t("ref.invalid." + e.field) if e.field == "consent_fields" else md(str(e)))
    except (PermissionDeniedError, NotFoundError):
        st.error(t("ref.failed"))
    else:
        st.success(
            tm("ref.sent", code=referral.case_code, due=referral.due_at.strftime("%Y-%m-%d %H:%M"))
        )
