"""Find services: needs in, an explained care plan, ranked matches and a map out."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from matching.care_plan import CarePlan, care_plan
from matching.needs import Needs
from ui import find_memory, session
from ui.case_marks import case_code_box
from ui.context import settings, t
from ui.find_map import HIGHLIGHT, MapView, find_map, map_view
from ui.matching_data import prepared_for
from ui.needs_form import (
    NEEDS_FIELD_CSS,
    Answers,
    Origin,
    chosen_needs,
    geocoder,
    needs_field,
    needs_form,
    needs_or_problem,
    say_problem,
)
from ui.plan_send_form import plan_send_form
from ui.provider_search import provider_search
from ui.referral_form import referral_form
from ui.results import matches_table, plan_cards, plan_view, result_tabs, why_not

user = session.require("find")
st.title(t("page.find"))
st.caption(t("find.privacy"))
st.html(NEEDS_FIELD_CSS)  # style only: drawn nowhere, kept by the fragment's reruns


IN_PLAN = "find_in_plan"  # the plan's services, for the search by name beside it


@st.fragment
@find_memory.kept  # the form survives a trip to another page (issue 15 item 7)
def find() -> None:
    # A fragment: changing a filter reruns only this part, not the whole page.
    cfg = settings()
    p = prepared_for(user.role)
    left, right = st.columns([2, 3], gap="large")
    with left:
        answers, origin = needs_form(geocoder(cfg.data_dir))
    with right:
        plan_beside_needs(answers, origin)
    with left:
        search_by_name(p, origin, st.session_state.get(IN_PLAN, frozenset()))


@dataclass(frozen=True)
class Worked:
    """A run's results, all worked out before anything of the run is drawn."""

    chosen: list[str]
    needs: Needs | None
    problem: tuple[str, str] | None
    plan: CarePlan | None
    map: MapView
    cards: dict[str, str]


def work_out(p, answers: Answers | None, origin: Origin | None, chosen: list[str]) -> Worked:
    needs, problem = needs_or_problem(answers, origin, chosen)
    plan = None
    if needs is not None:
        picks = st.session_state.get("find_picks", {})
        plan = care_plan(p, needs, settings().match_policy(), picks=picks)
    point = (origin.latitude, origin.longitude) if origin else None
    cards = plan_cards(p, plan) if plan else {}
    return Worked(chosen, needs, problem, plan, map_view(p, plan, point), cards)


@st.fragment
@find_memory.kept
def plan_beside_needs(answers: Answers | None, origin: Origin | None) -> None:
    """The needs field, the map and the plan: a fragment of their own inside the page's.

    Choosing a need reruns only this part: the form's other fields are not sent to the
    browser again. Every message of a run makes the browser draw the page again, so the
    plan, map and cards are worked out first, from the needs field's kept value, and then
    drawn in one burst (issue 16: choosing the needs to the plan shown). A change of the
    form reruns the whole page fragment, this one with it, with the new answers.
    """
    p = prepared_for(user.role)
    w = work_out(p, answers, origin, chosen_needs())
    drawn = needs_field()
    if drawn != w.chosen:  # the field's first draw: its value was not kept yet
        w = work_out(p, answers, origin, drawn)
    say_problem(w.problem)
    lit = st.session_state.get(HIGHLIGHT)
    find_map(w.map)
    cards = w.cards
    if w.plan is not None and st.session_state.get(HIGHLIGHT) != lit:
        cards = plan_cards(p, w.plan)  # a click on a numbered marker lit its card
    st.session_state[IN_PLAN] = frozenset(
        i.choice.service_at_location_id for i in (w.plan.items if w.plan else ()) if i.choice
    )
    if w.plan is None or w.needs is None or origin is None:
        return
    plan, needs = w.plan, w.needs
    tab_plan, tab_all, tab_why = result_tabs()
    if tab_plan.open:  # only the open tab runs: a filter change skips the two tables
        with tab_plan:
            case_code_box()
            plan_view(p, plan, lambda m: referral_form(user, needs, origin, m), cards)
            plan_send_form(user, p, needs, origin, plan)
    if tab_all.open:
        with tab_all:
            matches_table(p, plan)
    if tab_why.open:
        with tab_why:
            why_not(p, plan)


def search_by_name(p, origin, in_plan: frozenset[str]) -> None:
    """A provider known by name: its page, and a direct referral unless the plan has it."""

    def refer(needs, match) -> None:
        if match.service_at_location_id in in_plan:  # its form is in the plan already
            st.info(t("find.search.in_plan"))
        elif origin is not None:
            referral_form(user, needs, origin, match)

    provider_search(p, origin, refer)


find()
