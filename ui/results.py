"""Care plan, ranked matches, the why-not panel and the map, in sync."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd
import streamlit as st

from directory.i18n import explain, translate
from directory.listings.capacity import capacity_summaries
from directory.listings.freshness import freshness_from_days
from directory.vocab import ACCESSIBILITY
from matching.care_plan import CarePlan, PlanItem
from matching.prepared import Prepared
from matching.rank import Match
from matching.rules import Reason

from .context import lang, settings, t
from .widgets import dataframe, md, tm

K = "find_"
HIGHLIGHT = K + "highlight"  # the need whose pick is highlighted (shared with find_map)
FIT, GAP = "✓", "⚠"
TAB = K + "tab"  # the open results tab


def say(reason: Reason, language: str | None = None) -> str:
    """A reason's sentence in the session's language (``language``: looked up once by a loop)."""
    return explain(reason, language or lang())


def row_details(p: Prepared, row: int) -> pd.Series:
    return p.frame.iloc[row]


def _capacity_texts(p: Prepared, rows: list[int]) -> list[str]:
    """The capacity as the matcher read it, with the report's date; stale reads as unknown."""
    summaries = capacity_summaries(p, rows, settings().capacity_stale_days)
    return [s.text(lang()) for s in summaries]


def freshness_texts(p: Prepared, rows: list[int]) -> list[str]:
    """'Verified N days ago · Capacity reported N days ago' of each row, as the matcher read it."""
    return [
        freshness_from_days(float(p.assured_days[r]), float(p.capacity_days[r]), lang())
        for r in rows
    ]


def fits_and_gaps(match: Match) -> str:
    """One line per reason, fits (✓) first, then gaps (⚠); provider text made inert."""
    lines = [f"{FIT} {md(say(r))}" for r in match.fits]
    lines += [f"{GAP} {md(say(r))}" for r in match.gaps]
    return "  \n".join(lines)


def score_explained(match: Match) -> str:
    """ "0.82 = distance 0.27/0.30 + language 0.25/0.25 + …": what each factor earned."""
    parts = " + ".join(
        f"{t('factor.' + name)} {earned:.2f}/{possible:.2f}"
        for name, earned, possible in match.score_parts()
    )
    demoted = " " + t("find.score.demoted") if match.demoted else ""
    return t("find.score.explained", score=f"{match.score:.2f}", parts=parts) + demoted


def _service_facts(d: pd.Series) -> list[str]:
    """What the provider says about itself: schedule, referral process, accessibility."""
    facts = []
    if _text(d.get("schedule")):
        facts.append(t("find.card.schedule", text=md(_text(d.get("schedule")))))
    if _text(d.get("referral_process")):
        facts.append(t("find.card.process", text=md(_text(d.get("referral_process")))))
    access = _codes(d.get("accessibility"))
    words = [t("access." + a) for a in access if a in ACCESSIBILITY]
    facts.append(t("find.card.access", text=", ".join(words) if words else t("find.card.none")))
    return facts


def small(line: str) -> str:
    """A caption's look inside a markdown element: small grey text (markdown already safe)."""
    return f":small[:gray[{line}]]"


def card_markdown(p: Prepared, match: Match, number: int | None = None, lit: bool = False) -> str:
    """A match's whole card text as one markdown: name, facts line, fits and gaps, details.

    One element, not four: each element of a run is a message that makes the browser draw
    the whole page again, and the plan's cards are drawn again on each change of the needs
    (issue 16: choosing the needs to the plan shown). Paragraphs: head, reasons, details.
    """
    d = row_details(p, match.row)
    head = f"**{md(d['service_name'])}** · {md(d['organization_name'])}"
    if number is not None:  # the same number as the marker on the map
        head = f"**{number}.** " + head
    if lit:
        head = f":orange-background[{t('find.card.on_map')}] " + head
    # tm escapes it: escaping here too showed "Iași \(IS\)" on every card.
    place = f"{d['locality']} ({d['county_code']})" if pd.notna(d["locality"]) else d["county_code"]
    meta = tm(
        "find.card.meta",
        type=t("type." + match.service_type),
        place=place,
        km=shown_km(match),
        minutes=_minutes(match),
        score=f"{match.score:.2f}",
    )
    extra = [md(x) for x in _capacity_texts(p, [match.row]) + freshness_texts(p, [match.row])]
    if pd.notna(d.get("intake_phone")):
        extra.append(t("find.card.phone", phone=md(d["intake_phone"])))
    if d["location_precision"] == "generalised":
        extra.append(t("map.approximate"))
    details = [score_explained(match), " · ".join(extra), *_service_facts(d)]
    return "\n\n".join(
        [
            f"{head}  \n{small(meta)}",
            fits_and_gaps(match),
            "  \n".join(small(line) for line in details),
        ]
    )


def match_card(
    p: Prepared,
    match: Match,
    *,
    key: str,
    actions: Callable[[Match], None],
    buttons: Callable[[], None] | None = None,
    number: int | None = None,
    lit: bool = False,
) -> None:
    """The card: its text, a row of buttons, then ``actions`` (the referral)."""
    with st.container(border=True):
        st.markdown(card_markdown(p, match, number, lit))
        if buttons is not None:
            with st.container(horizontal=True):  # one row: one block, not three columns
                buttons()
        actions(match)


def _highlight(need: str) -> None:
    st.session_state[HIGHLIGHT] = need


def result_tabs() -> Sequence[Any]:
    """The plan, all matches and why not: lazy tabs, so only the open one's content runs."""
    return st.tabs(
        [t("find.tab.plan"), t("find.tab.all"), t("find.tab.whynot")],
        key=TAB, on_change="rerun",
    )  # fmt: skip


def plan_view(p: Prepared, plan: CarePlan, actions: Callable[[Match], None]) -> None:
    """The plan: a heading per need, then its card numbered like its marker."""
    st.subheader(t("find.plan.title"))
    minutes = max(5, int(round(plan.total_minutes / 5) * 5))
    summary = t("find.plan.total", km=f"{plan.total_km:.0f}", minutes=minutes)
    st.caption(summary + (" " + t("find.plan.from_shelter") if plan.anchored_on_shelter else ""))
    number = 0
    for item in plan.items:
        number += item.choice is not None
        _plan_item(p, item, actions, number)


def _plan_item(p: Prepared, item: PlanItem, actions: Callable[[Match], None], number: int) -> None:
    st.markdown(f"#### {t('type.' + item.need)}")
    if item.choice is None:
        st.warning(
            tm("find.plan.unmet", reason=say(item.unmet_reason)) if item.unmet_reason else ""
        )
        return
    if item.ranked_from == "shelter":
        st.caption(t("find.plan.ranked_from_shelter"))
    alternatives = len(item.result.matches)

    def buttons() -> None:
        # Callbacks, not st.rerun: they run before the next run, whichever scope triggers it.
        st.button(
            t("find.card.show_on_map"), key=f"{K}show_{item.need}", on_click=_highlight,
            args=(item.need,), type="secondary",
        )  # fmt: skip
        st.button(
            t("find.plan.next", n=item.pick + 2, total=alternatives),
            key=f"{K}next_{item.need}",
            disabled=item.pick + 1 >= alternatives,
            on_click=_set_pick,
            args=(item.need, item.pick + 1),
        )
        if item.pick:
            st.button(
                t("find.plan.first"), key=f"{K}first_{item.need}", on_click=_set_pick,
                args=(item.need, 0),
            )  # fmt: skip

    match_card(
        p, item.choice, key=f"plan_{item.need}", actions=actions, buttons=buttons,
        number=number, lit=st.session_state.get(HIGHLIGHT) == item.need,
    )  # fmt: skip


def _set_pick(need: str, pick: int) -> None:
    picks = dict(st.session_state.get(K + "picks", {}))
    picks[need] = pick
    st.session_state[K + "picks"] = picks


# Narrow columns for the need and the names, wide ones for what the caseworker reads: a
# results table fits a 1,440 px screen with score, reasons and rule visible.
_NARROW = {"width": "small"}
_WIDE = {"width": "large"}


def _config(narrow: list[str], wide: list[str]) -> dict[str, object]:
    config: dict[str, object] = {c: st.column_config.TextColumn(**_NARROW) for c in narrow}
    config |= {c: st.column_config.TextColumn(**_WIDE) for c in wide}
    return config


def _names(p: Prepared, rows: list[int]) -> list[str]:
    """The service names of frame rows, in one take (a row at a time is slow on a wide frame)."""
    return p.frame["service_name"].take(rows).tolist() if rows else []


def matches_table(p: Prepared, plan: CarePlan) -> None:
    lng = lang()
    heads = {k: t(k) for k in ("find.col.score", "find.col.fits", "find.col.gaps")}
    heads |= {k: t(k) for k in ("find.col.km", "find.col.minutes", "find.col.fresh")}
    heads |= {k: t(k) for k in ("col.service", "find.col.need")}
    listed = [(item, m) for item in plan.items for m in item.result.matches[:20]]
    names = _names(p, [m.row for _, m in listed])
    fresh = freshness_texts(p, [m.row for _, m in listed])
    rows, rank_no, last = [], 0, None
    for (item, m), name, age in zip(listed, names, fresh, strict=True):
        rank_no = rank_no + 1 if item is last else 1
        last = item
        rows.append(
            {
                "#": rank_no,
                heads["find.col.score"]: round(m.score, 2),
                heads["find.col.fits"]: " · ".join(say(r, lng) for r in _besides_distance(m.fits)),
                heads["find.col.gaps"]: " · ".join(say(r, lng) for r in _besides_distance(m.gaps)),
                heads["find.col.km"]: shown_km(m),
                heads["find.col.minutes"]: _minutes(m),
                heads["find.col.fresh"]: age,
                heads["col.service"]: name,
                heads["find.col.need"]: t("type." + item.need),
            }
        )
    if rows:
        dataframe(
            pd.DataFrame(rows), hide_index=True, width="stretch",
            column_config=_config(
                [t("find.col.need"), t("col.service")],
                [t("find.col.fits"), t("find.col.gaps"), t("find.col.fresh")],
            ),
        )  # fmt: skip
    else:
        st.info(t("find.no_matches"))


def why_not(p: Prepared, plan: CarePlan) -> None:
    st.caption(t("find.whynot.help"))
    lng = lang()
    heads = {k: t(k) for k in ("find.col.rule", "find.col.why", "col.service", "find.col.need")}
    listed = [(item, ex) for item in plan.items for ex in item.result.excluded(limit=30)]
    rows = [
        {
            heads["find.col.rule"]: translate("rule_name." + ex.rule, lng),
            heads["find.col.why"]: say(ex.reason, lng),
            heads["col.service"]: name,
            heads["find.col.need"]: translate("type." + item.need, lng),
        }
        for (item, ex), name in zip(listed, _names(p, [ex.row for _, ex in listed]))
    ]
    if rows:
        dataframe(
            pd.DataFrame(rows), hide_index=True, width="stretch",
            column_config=_config([t("find.col.need"), t("col.service")], [t("find.col.why")]),
        )  # fmt: skip
    else:
        st.info(t("find.whynot.none"))


def matched_frame(p: Prepared, plan: CarePlan) -> pd.DataFrame:
    """The rows shown in the lists, for the map, with each one's distance and reasons."""
    best: dict[int, Match] = {}
    for item in plan.items:  # the picks first: a pick's popup explains it as picked
        if item.choice is not None:
            best[item.choice.row] = item.choice
    for item in plan.items:
        for m in item.result.matches[:20]:
            best.setdefault(m.row, m)
    rows = sorted(best)
    lng = lang()
    frame = p.frame.iloc[rows].copy()
    frame["popup_distance"] = [
        translate("find.popup.distance", lng, km=shown_km(best[r]), minutes=_minutes(best[r]))
        for r in rows
    ]
    frame["popup_reasons"] = [
        "\n".join(
            [f"{FIT} {say(x, lng)}" for x in _besides_distance(best[r].fits)]
            + [f"{GAP} {say(x, lng)}" for x in best[r].gaps]
        )
        for r in rows
    ]
    # The popup's capacity line carries the listing's freshness too (the map's script prints
    # it as text, never as HTML).
    frame["popup_capacity"] = [
        f"{capacity} · {fresh}"
        for capacity, fresh in zip(_capacity_texts(p, rows), freshness_texts(p, rows), strict=True)
    ]
    frame["popup_languages"] = [
        ", ".join(translate("lang." + c, lng) for c in str(codes).split(",") if c)
        for codes in frame["languages"].tolist()
    ]
    return frame


def _besides_distance(reasons: tuple[Reason, ...]) -> list[Reason]:
    """The reasons without the distance fit, which has its own column or popup line."""
    return [r for r in reasons if not (r.key.startswith("reason.distance") and not r.gap)]


def _minutes(match: Match) -> int:
    return max(5, int(round(match.minutes / 5) * 5))


def shown_km(match: Match) -> str:
    """A generalised site's distance is rounded already; "≈" says it is approximate."""
    return f"≈{match.km:.0f}" if match.approximate else f"{match.km:.1f}"


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def _codes(value: object) -> list[str]:
    try:
        parsed = json.loads(value) if isinstance(value, str) else value
    except ValueError:
        return []
    return [str(v) for v in parsed] if isinstance(parsed, list) else []
