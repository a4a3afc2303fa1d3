"""Send the whole care plan at once: one case code, one consent checklist, one Send.

Under the plan, each chosen service has a tick (a need can be left out). A service this
case already has an open referral at cannot be ticked; one that declined this case starts
unticked and, if ticked, asks why it is sent again and a confirmation, like a single send.
"""

from __future__ import annotations

import streamlit as st

from directory.errors import (
    NotFoundError,
    PermissionDeniedError,
    PlanDuplicateError,
    ValidationError,
)
from directory.formatting import when
from directory.models import User
from directory.referrals.case_codes import MAX_LENGTH, CaseCodeError
from directory.referrals.consent import CONSENT_FIELDS
from directory.referrals.guards import case_status_by_service
from directory.referrals.notify import notify_new
from directory.referrals.plan_send import plan_drafts, send_plan
from matching.care_plan import CarePlan, PlanItem
from matching.needs import Needs
from matching.prepared import Prepared

from .case_marks import current_code
from .context import lang, settings, store, t
from .needs_form import Origin
from .widgets import drawn_when_open, md, tm

K = "find_plan_"


def _marks(code: str) -> dict[str, str]:
    if not code.strip():
        return {}
    with store() as s:
        return case_status_by_service(s, code)


def _name(p: Prepared, item: PlanItem) -> str:
    assert item.choice is not None
    return str(p.frame.iloc[item.choice.row]["service_name"])


def plan_send_form(user: User, p: Prepared, needs: Needs, origin: Origin, plan: CarePlan) -> None:
    """The plan's Send: a referral per ticked service, all in one go or none."""
    items = [i for i in plan.items if i.choice is not None]
    if not items:
        return
    box = drawn_when_open(t("find.plan.send.title"), K + "open")  # like each service's form
    if box is None:
        return
    marks = _marks(current_code())
    with box, st.form(K + "form"):
        st.caption(t("find.plan.send.help"))
        ticked: list[PlanItem] = []
        for n, item in enumerate(items, start=1):
            assert item.choice is not None
            sal = item.choice.service_at_location_id
            mark = marks.get(sal)
            kind = t("type." + item.need)
            label = tm("find.plan.send.item", n=n, type=kind, service=_name(p, item))
            # The key holds the service and its mark: when the plan's pick or the case's
            # referrals change, the tick starts afresh from what is right for it now.
            box = st.checkbox(label, value=mark is None, key=f"{K}pick_{item.need}_{sal}_{mark}",
                              disabled=mark == "open")  # fmt: skip
            if box and mark != "open":
                ticked.append(item)
            if mark:
                st.caption(t("find.case_mark." + mark))
        code = st.text_input(
            t("ref.case_code"), max_chars=MAX_LENGTH, help=t("ref.case_code_help"),
            key=K + "code", value=current_code(),
        )  # fmt: skip
        st.caption(t("ref.always_shared"))
        st.caption(t("ref.consent"))
        # Nothing is shared by default: each detail needs its own tick, once for the plan.
        consent = [
            name
            for name in CONSENT_FIELDS
            if st.checkbox(t("consent." + name), value=False, key=f"{K}consent_{name}")
        ]
        resend_reason, resend_ok = "", False
        if "declined" in marks.values():
            resend_reason = st.text_input(t("ref.resend_reason"), max_chars=500, key=K + "why")
            resend_ok = st.checkbox(t("ref.resend_confirm"), value=False, key=K + "again")
        send = st.form_submit_button(t("find.plan.send.button"), type="primary")
    if send:
        _send(user, p, needs, origin, ticked, code, consent, resend_reason, resend_ok)


def _send(
    user: User,
    p: Prepared,
    needs: Needs,
    origin: Origin,
    ticked: list[PlanItem],
    code: str,
    consent: list[str],
    resend_reason: str,
    resend_ok: bool,
) -> None:
    if not ticked:
        st.error(t("find.plan.send.none"))
        return
    chosen = [i.choice for i in ticked if i.choice is not None]
    # Marks for the code actually typed: it may differ from the one at the top of the plan.
    marks = _marks(code)
    sals = [m.service_at_location_id for m in chosen]
    declined = [sal for sal in sals if marks.get(sal) == "declined"]
    if declined and not (resend_ok and resend_reason.strip()):
        st.error(t("ref.error.resend"))
        return
    try:
        drafts = plan_drafts(
            needs, chosen, case_code=code, consent_fields=consent, origin_siruta=origin.siruta
        )
        with store() as s:
            sent = send_plan(s, user, drafts, resend_notes=dict.fromkeys(declined, resend_reason))
            notify_new(s, settings(), sent)  # after the commit; a failure is only logged
    except CaseCodeError as e:
        st.error(t("ref.invalid.case_code." + e.reason))
    except PlanDuplicateError as e:
        # The ids are uuids we generated: safe inside a markdown link; names are escaped.
        links = ", ".join(f"[{md(name)}](/referrals?ref={rid})" for name, rid in e.duplicates)
        st.error(t("find.plan.send.duplicate", services=links))
    except ValidationError as e:
        keys = {"consent_fields": "ref.invalid.consent_fields", "plan": "find.plan.send.none"}
        st.error(t(keys[e.field]) if e.field in keys else md(str(e)))
    except (PermissionDeniedError, NotFoundError):
        st.error(t("ref.failed"))
    else:
        names = {i.choice.service_at_location_id: _name(p, i) for i in ticked if i.choice}
        lines = [
            tm("find.plan.send.line", service=names[r.service_at_location_id],
               due=when(r.due_at, lang()))
            for r in sent
        ]  # fmt: skip
        st.success(
            tm(
                "find.plan.send.sent" if len(sent) > 1 else "find.plan.send.sent_one",
                n=len(sent),
                code=sent[0].case_code,
            )
            + "  \n"
            + "  \n".join(lines)
        )
