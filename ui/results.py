"""Care plan, ranked matches, the why-not panel and the map, in sync."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from directory.i18n import explain
from directory.listings.capacity import capacity_summaries
from matching.care_plan import CarePlan, PlanItem
from matching.prepared import Prepared
from matching.rank import Match
from matching.rules import Reason

from .context import lang, settings, t
from .widgets import dataframe, md, tm

K = "find_"


def say(reason: Reason) -> str:
    """A reason's sentence in the session's language."""
    return explain(reason, lang())


def row_details(p: Prepared, row: int) -> pd.Series:
    return p.frame.iloc[row]


def _capacity_texts(p: Prepared, rows: list[int]) -> list[str]:
    """The capacity as the matcher read it, with the report's date; stale reads as unknown."""
    summaries = capacity_summaries(p, rows, settings().capacity_stale_days)
    return [s.text(lang()) for s in summaries]


def match_card(p: Prepared, match: Match, *, key: str, actions: Callable[[Match], None]) -> None:
    d = row_details(p, match.row)
    with st.container(border=True):
        st.markdown(f"**{md(d['service_name'])}** · {md(d['organization_name'])}")
        st.caption(
            tm(
                "find.card.meta",
                type=t("type." + match.service_type),
                place=f"{d['locality']} ({d['county_code']})"
                if pd.notna(d["locality"])
                else d["county_code"],
                km=shown_km(match),
                minutes=_minutes(match),
                score=f"{match.score:.2f}",
            )
        )
        st.markdown("\n".join(f"- {md(say(r))}" for r in match.reasons))
        extra = _capacity_texts(p, [match.row])
        if pd.notna(d.get("intake_phone")):
            extra.append(tm("find.card.phone", phone=d["intake_phone"]))
        if d["location_precision"] == "generalised":
            extra.append(t("map.approximate"))
        st.caption(" · ".join(extra))  # each part escaped or from the catalog
        actions(match)


def plan_view(p: Prepared, plan: CarePlan, actions: Callable[[Match], None]) -> None:
    st.subheader(t("find.plan.title"))
    minutes = max(5, int(round(plan.total_minutes / 5) * 5))
    summary = t("find.plan.total", km=f"{plan.total_km:.0f}", minutes=minutes)
    st.caption(summary + (" " + t("find.plan.from_shelter") if plan.anchored_on_shelter else ""))
    for item in plan.items:
        _plan_item(p, item, actions)


def _plan_item(p: Prepared, item: PlanItem, actions: Callable[[Match], None]) -> None:
    st.markdown(f"#### {t('type.' + item.need)}")
    if item.choice is None:
        st.warning(
            tm("find.plan.unmet", reason=say(item.unmet_reason)) if item.unmet_reason else ""
        )
        return
    if item.ranked_from == "shelter":
        st.caption(t("find.plan.ranked_from_shelter"))
    match_card(p, item.choice, key=f"plan_{item.need}", actions=actions)
    alternatives = len(item.result.matches)
    cols = st.columns(2)
    # Callbacks, not st.rerun: they run before the next run, whichever scope triggers it.
    cols[0].button(
        t("find.plan.next", n=item.pick + 2, total=alternatives),
        key=f"{K}next_{item.need}",
        disabled=item.pick + 1 >= alternatives,
        on_click=_set_pick,
        args=(item.need, item.pick + 1),
    )
    if item.pick:
        cols[1].button(
            t("find.plan.first"),
            key=f"{K}first_{item.need}",
            on_click=_set_pick,
            args=(item.need, 0),
        )


def _set_pick(need: str, pick: int) -> None:
    picks = dict(st.session_state.get(K + "picks", {}))
    picks[need] = pick
    st.session_state[K + "picks"] = picks


def matches_table(p: Prepared, plan: CarePlan) -> None:
    rows = []
    for item in plan.items:
        for rank_no, m in enumerate(item.result.matches[:20], start=1):
            d = row_details(p, m.row)
            rows.append(
                {
                    t("find.col.need"): t("type." + item.need),
                    "#": rank_no,
                    t("col.service"): d["service_name"],
                    t("col.organization"): d["organization_name"],
                    t("find.col.score"): round(m.score, 2),
                    t("find.col.km"): round(m.km, 1),
                    t("col.capacity"): t("capacity." + str(d["capacity_status"])),
                    t("find.col.reasons"): " · ".join(say(r) for r in m.reasons),
                }
            )
    if rows:
        dataframe(pd.DataFrame(rows), width="stretch")
    else:
        st.info(t("find.no_matches"))


def why_not(p: Prepared, plan: CarePlan) -> None:
    st.caption(t("find.whynot.help"))
    rows = []
    for item in plan.items:
        for ex in item.result.excluded(limit=30):
            d = row_details(p, ex.row)
            rows.append(
                {
                    t("find.col.need"): t("type." + item.need),
                    t("col.service"): d["service_name"],
                    t("col.organization"): d["organization_name"],
                    t("find.col.rule"): t("rule_name." + ex.rule),
                    t("find.col.why"): say(ex.reason),
                }
            )
    if rows:
        dataframe(pd.DataFrame(rows), width="stretch")
    else:
        st.info(t("find.whynot.none"))


def matched_frame(p: Prepared, plan: CarePlan) -> pd.DataFrame:
    """The rows shown in the lists, for the map, with each one's distance and reasons."""
    best: dict[int, Match] = {}
    for item in plan.items:
        for m in item.result.matches[:20]:
            best.setdefault(m.row, m)
    rows = sorted(best)
    frame = p.frame.iloc[rows].copy()
    frame["popup_distance"] = [
        t("find.popup.distance", km=shown_km(best[r]), minutes=_minutes(best[r])) for r in rows
    ]
    frame["popup_reasons"] = ["\n".join(say(x) for x in best[r].reasons[1:]) for r in rows]
    frame["popup_capacity"] = _capacity_texts(p, rows)
    frame["popup_languages"] = [
        ", ".join(t("lang." + c) for c in str(p.frame.iloc[r]["languages"]).split(",") if c)
        for r in rows
    ]
    return frame


def _minutes(match: Match) -> int:
    return max(5, int(round(match.minutes / 5) * 5))


def shown_km(match: Match) -> str:
    """A generalised site's distance is rounded already; "≈" says it is approximate."""
    return f"≈{match.km:.0f}" if match.approximate else f"{match.km:.1f}"
