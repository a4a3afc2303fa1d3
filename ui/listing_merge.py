"""Probable duplicates and their merge: pick the survivor, compare side by side, merge.

Duplicates are flagged among organisations (similar names), locations and services (similar
names close together). Any two records of one kind may also be chosen by hand.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from directory import vocab
from directory.errors import ConflictError, PermissionDeniedError, ValidationError
from directory.listings.duplicates import Listing, probable_duplicates
from directory.listings.merge import KINDS, MergeError, MergePlan, merge, plan_merge
from directory.models import Organization, User

from .context import store, t
from .needs_form import LANGUAGE_CHOICES
from .widgets import dataframe, md, selectbox, tm

K = "listings_merge_"
BY_HAND = ""  # the pair option that lets the coordinator choose both records
# Organisations have no single place: their names are compared as if all stood at one point.
_NOWHERE = (45.9, 24.97)


def _records(kind: str, organizations: list[Organization], frame: pd.DataFrame) -> list[Listing]:
    """The records of ``kind`` the coordinator may edit, with a point for the duplicate check."""
    if kind == "organization":
        return [Listing(o.id, o.name, *_NOWHERE) for o in organizations if o.active]
    if kind == "service":
        rows = frame.drop_duplicates("service_id").itertuples()
        return [Listing(str(r.service_id), str(r.service_name), float(r.latitude),
                        float(r.longitude), str(r.service_type)) for r in rows]  # fmt: skip
    with store() as s:
        return [Listing(x.id, x.name, x.latitude, x.longitude)
                for o in organizations for x in s.locations_of(o.id) if x.active]  # fmt: skip


def duplicates_section(user: User, organizations: list[Organization], frame: pd.DataFrame) -> None:
    done = st.session_state.pop(K + "done", None)
    if done:  # here, not at the top of the page: the coordinator is looking at this section
        st.success(tm("duplicates.merged", **done))
    kind = st.radio(
        t("merge.kind"), list(KINDS), horizontal=True, key=K + "kind",
        format_func={k: t("listings.kind." + k) for k in KINDS}.__getitem__,
    )  # fmt: skip
    records = _records(kind, organizations, frame)
    names = {x.key: x.name for x in records}
    pairs = probable_duplicates(records)
    if pairs:
        dataframe(
            pd.DataFrame([{
                t("duplicates.a"): names[p.a], t("duplicates.b"): names[p.b],
                t("duplicates.similarity"): round(p.similarity),
                **({} if kind == "organization" else {t("duplicates.km"): round(p.km, 1)}),
            } for p in pairs]),
            hide_index=True, width="stretch",
        )  # fmt: skip
    else:
        st.success(t("duplicates.none"))
    if len(names) < 2:
        return
    st.caption(t("duplicates.help"))
    # The flagged pairs first (the first one is chosen), then any two records by hand.
    labels = {f"{p.a}|{p.b}": f"{names[p.a]} ↔ {names[p.b]}" for p in pairs[:50]}
    labels[BY_HAND] = t("merge.by_hand")
    pair = selectbox(t("merge.pair"), list(labels), format_func=labels.__getitem__,
                     key=f"{K}pair_{kind}")  # fmt: skip
    if pair == BY_HAND:
        ids = sorted(names, key=lambda i: (names[i], i))
        shown = {i: f"{names[i]} ({i})" for i in ids}
        left, right = st.columns(2)
        # Nothing chosen at first: two unrelated records never appear ready to merge.
        with left:
            a = selectbox(t("merge.first"), ids, index=None, format_func=shown.__getitem__,
                          key=f"{K}a_{kind}")  # fmt: skip
        with right:
            b = selectbox(t("merge.second"), ids, index=None, format_func=shown.__getitem__,
                          key=f"{K}b_{kind}")  # fmt: skip
        if a is None or b is None:
            return
    else:
        a, b = pair.split("|")
    both = {i: md(f"{names[i].strip()} ({i})") for i in (a, b)}  # the id tells twins apart
    keep = st.radio(t("merge.keep"), [a, b], format_func=both.__getitem__,
                    key=f"{K}keep_{kind}_{a}_{b}", horizontal=True)  # fmt: skip
    drop = b if keep == a else a
    try:
        with store() as s:
            plan = plan_merge(s, user, kind, keep, drop)
    except (MergeError, PermissionDeniedError) as e:
        st.warning(t(e.key) if isinstance(e, MergeError) else t("merge.denied"))
        return
    _merge_form(user, plan)


def _merge_form(user: User, plan: MergePlan) -> None:
    keep, drop = plan.keep, plan.drop
    # Stripped: a name ending in a space would break the bold around it.
    st.markdown(tm("merge.summary", keep=keep.name.strip(), drop=drop.name.strip()))
    if plan.differences:
        dataframe(
            pd.DataFrame([{
                t("merge.col.field"): t("field." + d.group),
                t("merge.col.keep"): _shown(d.group, d.fields, d.keep),
                t("merge.col.drop"): _shown(d.group, d.fields, d.drop),
            } for d in plan.differences]),
            hide_index=True, width="stretch",
        )  # fmt: skip
    else:
        st.info(t("merge.same_values"))
    # The versions are in every key: if either record changes before the click, the form is
    # a new one and nothing merges on a view that is out of date.
    k = f"{K}{plan.entity}_{keep.id}_{keep.version}_{drop.id}_{drop.version}"
    take = []
    for d in plan.differences:
        texts = {
            "keep": md(_shown(d.group, d.fields, d.keep)),
            "drop": md(_shown(d.group, d.fields, d.drop)),
        }
        choice = st.radio(t("field." + d.group), ["keep", "drop"], horizontal=True,
                          format_func=texts.__getitem__, key=f"{k}_{d.group}")  # fmt: skip
        if choice == "drop":
            take.append(d.group)
    moved = ", ".join(t("merge.moves." + name, n=n) for name, n in plan.moves.items())
    st.caption(tm("merge.moves", drop=drop.name, keep=keep.name) + " " + moved)
    sure = st.checkbox(tm("merge.confirm", drop=drop.name), key=f"{k}_sure")
    if not st.button(t("merge.do"), type="primary", disabled=not sure, key=f"{k}_do"):
        return
    try:
        with store() as s:
            merge(s, user, plan, take=take)
    except ConflictError:
        st.error(t("merge.conflict"))
        return
    except PermissionDeniedError:
        st.error(t("merge.denied"))
        return
    except ValidationError as e:
        st.error(t("merge.invalid", field=t("field." + e.field)))
        return
    except MergeError as e:
        st.error(t(e.key))
        return
    st.session_state[K + "done"] = {"keep": keep.name, "drop": drop.name}
    st.rerun()


def _shown(group: str, fields: tuple[str, ...], values: tuple) -> str:
    """Values of one group as one line of plain text (escaped by the caller where needed)."""
    if group == "ages":
        return f"{values[0]}–{values[1]}"
    return " · ".join(_one(f, v) for f, v in zip(fields, values, strict=True))


def _one(name: str, value: object) -> str:
    if value is None or value == "" or value == ():
        return "—"
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, tuple):
        return ", ".join(_word(name, str(v)) for v in value)
    if isinstance(value, date):
        return value.isoformat()
    return _word(name, str(value))


def _word(name: str, code: str) -> str:
    """A code in words (a language, a type, a status); other values as they are."""
    words = {
        "languages": {c: t("lang." + c) for c in LANGUAGE_CHOICES},
        "genders": {c: t("gender." + c) for c in vocab.GENDERS},
        "service_type": {c: t("type." + c) for c in vocab.SERVICE_TYPES},
        "specialisations": {c: t("exploitation." + c) for c in vocab.SPECIALISATIONS},
        "accessibility": {c: t("access." + c) for c in vocab.ACCESSIBILITY},
        "child_friendly_criteria": {c: t("criterion." + c) for c in vocab.CHILD_FRIENDLY_CRITERIA},
        "capacity_status": {c: t("capacity." + c) for c in vocab.CAPACITY_STATUSES},
        "disclosure": {c: t("disclosure." + c) for c in vocab.DISCLOSURES},
        "legal_status": {c: t("legal." + c) for c in vocab.LEGAL_STATUSES},
    }.get(name, {})
    return words.get(code, code)
