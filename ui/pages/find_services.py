"""Find services: needs in, an explained care plan, ranked matches and a map out."""

from __future__ import annotations

import streamlit as st

from matching.care_plan import care_plan
from ui import find_memory, session
from ui.case_marks import case_code_box
from ui.context import settings, t
from ui.find_map import find_map, map_view
from ui.matching_data import prepared_for
from ui.needs_form import (
    NEEDS_FIELD_CSS,
    Answers,
    Origin,
    checked_needs,
    geocoder,
    needs_field,
    needs_form,
)
from ui.one_burst import one_burst
from ui.plan_send_form import plan_send_form
from ui.provider_search import provider_search
from ui.referral_form import referral_form
from ui.results import matches_table, plan_view, result_tabs, why_not

user = session.require("find")
st.title(t("page.find"))
st.caption(t("find.privacy"))
st.html(NEEDS_FIELD_CSS)  # style only: drawn nowhere, kept by the fragment's reruns


IN_PLAN = "find_in_plan"  # the plan's services, for the search by name beside it


@st.fragment
@find_memory.kept  # the form survives a trip to another page (issue 15 item 7)
def find() -> None:
    # A fragment: changing a filter reruns only this part, not the whole page; its elements
    # go to the browser in one burst (see ui.one_burst).
    with one_burst():
        _find()


def _find() -> None:
    cfg = settings()
    p = prepared_for(user.role)
    left, right = st.columns([2, 3], gap="large")
    with left:
        answers, origin = needs_form(geocoder(cfg.data_dir))
    with right:
        plan_beside_needs(answers, origin)
    with left:
        search_by_name(p, origin, answers, st.session_state.get(IN_PLAN, frozenset()))


@st.fragment
@find_memory.kept
def plan_beside_needs(answers: Answers | None, origin: Origin | None) -> None:
    """The needs field, the map and the plan: a fragment of their own inside the page's.

    Choosing a need reruns only this part: the form's other fields are not sent to the
    browser again, and what is sent goes in one burst (issue 16: choosing the needs to the
    plan shown). A change of the form reruns the whole page fragment, this one with it,
    with the new answers.
    """
    with one_burst():
        _plan_beside_needs(answers, origin)


def _plan_beside_needs(answers: Answers | None, origin: Origin | None) -> None:
    cfg = settings()
    p = prepared_for(user.role)
    needs = checked_needs(answers, origin, needs_field())
    if needs is None or origin is None:
        st.session_state[IN_PLAN] = frozenset()
        find_map(map_view(p, None, (origin.latitude, origin.longitude) if origin else None))
        return
    plan = care_plan(p, needs, cfg.match_policy(), picks=st.session_state.get("find_picks", {}))
    st.session_state[IN_PLAN] = frozenset(
        i.choice.service_at_location_id for i in plan.items if i.choice
    )
    find_map(map_view(p, plan, (needs.latitude, needs.longitude)))
    tab_plan, tab_all, tab_why = result_tabs()
    if tab_plan.open:  # only the open tab runs: a filter change skips the two tables
        with tab_plan:
            case_code_box()
            plan_view(p, plan, lambda m: referral_form(user, needs, origin, m))
            plan_send_form(user, p, needs, origin, plan)
    if tab_all.open:
        with tab_all:
            matches_table(p, plan)
    if tab_why.open:
        with tab_why:
            why_not(p, plan)


def search_by_name(p, origin, answers, in_plan: frozenset[str]) -> None:
    """A provider known by name: its page, and a direct referral unless the plan has it."""

    def refer(needs, match) -> None:
        if match.service_at_location_id in in_plan:  # its form is in the plan already
            st.info(t("find.search.in_plan"))
        elif origin is not None:
            referral_form(user, needs, origin, match)

    provider_search(p, origin, answers, refer)


find()
