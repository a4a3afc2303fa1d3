"""Find a provider by name (issue 16): the directory's accent-insensitive full-text search,
then the provider's page, from which a caseworker who already knows the service refers.

The referral still goes through the matcher: the service is ranked for the child's needs,
so a service the child cannot use says which rule excludes it instead of offering a form.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np
import streamlit as st

from directory.errors import ValidationError
from matching.needs import Needs
from matching.prepared import Prepared
from matching.rank import Match, rank

from .context import settings, store, t
from .needs_form import Answers, Origin
from .results import match_card, say
from .widgets import drawn_when_open, md, selectbox

K = "find_search_"


def provider_search(
    p: Prepared,
    origin: Origin | None,
    answers: Answers | None,
    refer: Callable[[Needs, Match], None],
) -> None:
    """A search box; the chosen provider's page; a referral form when the child may use it."""
    box = drawn_when_open(t("find.search.title"), K + "open")
    if box is None:
        return
    with box:
        query = st.text_input(
            t("find.search.query"), key=K + "query", max_chars=100,
            placeholder=t("find.search.placeholder"),
        )  # fmt: skip
        if not query.strip():
            st.caption(t("find.search.hint"))
            return
        with store() as s:
            hits = s.search(query, limit=30)
        rows = np.flatnonzero(p.frame["service_id"].isin({h["id"] for h in hits}).to_numpy())
        if not len(rows):
            st.info(t("find.search.none", query=md(query)))
            return
        row = selectbox(
            t("find.search.results"), [int(r) for r in rows], format_func=lambda r: _label(p, r),
            key=K + "pick",
        )  # fmt: skip
        _provider_page(p, int(row), origin, answers, refer)


def _label(p: Prepared, row: int) -> str:
    d = p.frame.iloc[row]
    return f"{d['service_name']} · {d['organization_name']} · {d['locality']} ({d['county_code']})"


def _provider_page(
    p: Prepared,
    row: int,
    origin: Origin | None,
    answers: Answers | None,
    refer: Callable[[Needs, Match], None],
) -> None:
    kind = str(p.service_type[row])
    if origin is None:
        st.info(t("find.search.origin_first"))
        return
    if answers is None:  # the form says what is wrong (the age)
        return
    try:
        # The form's answers, its avoid area included, with this provider's type as the need.
        needs = answers.needs((kind,))
    except ValidationError as e:
        st.error(t("find.invalid", field=t("field." + e.field)))
        return
    # Every eligible service of this type, so a known one is found however it ranks.
    result = rank(p, needs, replace(settings().match_policy(), limit=len(p)))
    match = next((m for m in result.matches if m.row == row), None)
    if match is None:
        excluded = next((x for x in result.excluded(limit=None) if x.row == row), None)
        reason = say(excluded.reason) if excluded else t("find.search.not_eligible")
        st.warning(t("find.search.excluded", reason=reason))
        return
    match_card(p, match, key=K + "card", actions=lambda m: refer(needs, m))
