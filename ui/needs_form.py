"""The caseworker's needs form. Its values live only in this browser session."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import streamlit as st

from directory.errors import GeocodeError, ValidationError
from directory.places.gazetteer import uats_by_county
from directory.places.geocoder import Candidate, Geocoder
from directory.vocab import GENDERS, SERVICE_TYPES, URGENCIES
from matching.needs import (
    EXPLOITATION_TYPES,
    MIN_AVOID_RADIUS_KM,
    REQUIREMENTS,
    AvoidArea,
    Needs,
)

from .context import settings, t
from .widgets import multiselect, selectbox

K = "find_"  # session keys of this page
# Streamlit caps a wrapping multiselect at about four rows of chips and scrolls the rest
# inside the field: the needs field grows instead, so every chosen need stays in view.
NEEDS_FIELD_CSS = """<style>
.st-key-find_needs .react-aria-ComboBox > div { max-height: none; }
.st-key-find_needs [data-testid="stMultiSelectTagsContainer"] {
  max-height: none; overflow: visible; min-width: 0; }
</style>"""
UNSPECIFIED = "unspecified"
LANGUAGE_CHOICES = ("ro", "hu", "rom", "en", "uk", "ru", "de", "fr", "it", "es", "ar", "bg", "tr")


@dataclass(frozen=True)
class Origin:
    latitude: float
    longitude: float
    label: str
    siruta: int | None  # the UAT, kept with a referral instead of the exact point


@st.cache_resource(show_spinner=False)
def geocoder(data_dir: str) -> Geocoder:
    return Geocoder.from_data_dir(data_dir)


def _candidate_origin(c: Candidate) -> Origin:
    return Origin(c.latitude, c.longitude, c.label(), c.uat_siruta)


def origin_picker(gc: Geocoder) -> Origin | None:
    """Where the child is now: by locality search, from the county list, or a map click."""
    mode = st.radio(
        t("find.origin.mode"),
        ("search", "list", "map"),
        format_func=lambda m: t("find.origin.mode." + m),
        horizontal=True,
        key=K + "origin_mode",
    )
    if mode == "search":
        query = st.text_input(
            t("find.origin.search"), key=K + "origin_query", max_chars=200,
            placeholder=t("find.origin.placeholder"),
        )  # fmt: skip
        if not query.strip():
            return None
        try:
            candidates = gc.geocode(query, limit=8)
        except GeocodeError as e:
            st.error(t("find.origin.not_found", suggestions=", ".join(e.suggestions) or "—"))
            return None
        except ValidationError:
            st.error(t("find.origin.too_long"))
            return None
        if gc.is_ambiguous(candidates):
            st.warning(t("find.origin.ambiguous", n=len(candidates)))
        chosen = st.selectbox(
            t("find.origin.candidates"), range(len(candidates)),
            format_func=lambda i: candidates[i].label(), key=K + "origin_candidate",
        )  # fmt: skip
        return _candidate_origin(candidates[chosen or 0])
    if mode == "list":
        # Starts empty: a preselected county would silently place the child in Alba / Abrud.
        counties = gc.counties()
        code = selectbox(
            t("col.county"), [c for c, _ in counties], index=None,
            format_func=dict(counties).get, key=K + "origin_county",
        )  # fmt: skip
        if code is None:
            return None
        uats = uats_by_county(settings().data_dir)[code]
        siruta = selectbox(
            t("col.locality"), [u[0] for u in uats], index=None,
            format_func=lambda s: next(f"{n} ({k})" for x, n, k in uats if x == s),
            key=K + "origin_uat",
        )  # fmt: skip
        return None if siruta is None else _candidate_origin(gc.uat(siruta))
    clicked = st.session_state.get(K + "clicked")
    if not clicked:
        st.info(t("find.origin.click_hint"))
        return None
    place = gc.reverse(*clicked)
    label = f"{place.uat_name} ({place.county_name})" if place else t("find.origin.map_point")
    st.caption(t("find.origin.clicked", place=label))
    return Origin(clicked[0], clicked[1], label, place.uat_siruta if place else None)


def avoid_picker(gc: Geocoder) -> AvoidArea | None:
    """An area to keep the child away from, for this session only."""
    place = st.text_input(t("find.avoid.place"), key=K + "avoid_query", max_chars=200)
    if not place.strip():
        return None
    least = int(MIN_AVOID_RADIUS_KM)
    radius = st.slider(
        t("find.avoid.radius"), least, 100, 15, key=K + "avoid_km",
        help=t("find.avoid.radius_help", km=least),
    )  # fmt: skip
    try:
        spot = gc.best(place)
    except (GeocodeError, ValidationError):
        st.error(t("find.avoid.not_found"))
        return None
    st.caption(t("find.avoid.using", place=spot.label(), km=radius))
    return AvoidArea(latitude=spot.latitude, longitude=spot.longitude, radius_km=float(radius))


@dataclass(frozen=True)
class Answers:
    """What the form says about the child, all but the needs (chosen beside the plan)."""

    origin: Origin
    age: int
    gender: str | None
    languages: tuple[str, ...]
    urgency: str
    exploitation: str | None
    requirements: tuple[str, ...]
    max_km: float
    max_minutes: float | None
    accept_waitlist: bool
    avoid: AvoidArea | None

    def needs(self, chosen: Sequence[str]) -> Needs:
        """The matcher's input for the ``chosen`` service types (raises ValidationError)."""
        o = self.origin
        return Needs(
            latitude=o.latitude, longitude=o.longitude, age=self.age, needs=tuple(chosen),
            gender=self.gender, languages=self.languages, urgency=self.urgency,
            exploitation=self.exploitation, requirements=self.requirements,
            max_km=self.max_km, accept_waitlist=self.accept_waitlist,
            max_minutes=self.max_minutes, avoid=self.avoid, origin_label=o.label,
        )  # fmt: skip


def needs_form(gc: Geocoder) -> tuple[Answers | None, Origin | None]:
    """Read the form (all but the needs); answers None until the origin is set and valid."""
    origin = origin_picker(gc)
    c1, c2 = st.columns(2)
    # No min/max on the widget: out of range it would show an English tooltip and silently
    # keep the previous age. The check below says what to do, in the session's language.
    age = c1.number_input(t("find.age"), value=15, step=1, key=K + "age")
    with c2:
        # A string, not None, for "not said": a None value would show Streamlit's placeholder.
        gender = selectbox(
            t("find.gender"), (UNSPECIFIED, *GENDERS),
            format_func=lambda g: t("gender." + g), key=K + "gender",
        )  # fmt: skip
    urgency = selectbox(
        t("find.urgency"), URGENCIES, format_func=lambda u: t("urgency." + u), key=K + "urgency"
    )
    languages = multiselect(
        t("find.languages"), LANGUAGE_CHOICES, default=["ro"],
        format_func=lambda code: t("lang." + code), key=K + "languages", wrap=True,
    )  # fmt: skip
    with st.expander(t("find.more")):
        exploitation = selectbox(
            t("find.exploitation"), (UNSPECIFIED, *EXPLOITATION_TYPES),
            format_func=lambda e: t("exploitation." + e), key=K + "exploitation",
        )  # fmt: skip
        requirements = multiselect(
            t("find.requirements"), REQUIREMENTS,
            format_func=lambda r: t("requirement." + r), key=K + "requirements", wrap=True,
        )  # fmt: skip
        unit = st.radio(
            t("find.limit.unit"), ("km", "min"), format_func=lambda u: t("find.limit." + u),
            horizontal=True, key=K + "limit_unit",
        )  # fmt: skip
        if unit == "km":
            max_km = st.slider(t("find.max_km"), 5, 600, 150, step=5, key=K + "max_km")
            max_minutes = None
        else:
            max_minutes = st.slider(t("find.max_min"), 10, 600, 120, step=10, key=K + "max_min")
            max_km = 1000
        waitlist = st.checkbox(t("find.waitlist"), key=K + "waitlist")
        avoid = avoid_picker(gc)
    if not 0 <= age <= 25 or age != int(age):
        st.error(t("find.age.invalid", min=0, max=25))
        return None, origin
    if not languages:
        st.info(t("find.languages.empty"))
    if origin is None:
        return None, None
    answers = Answers(
        origin=origin, age=int(age), gender=_said(gender), languages=tuple(languages) or ("ro",),
        urgency=urgency, exploitation=_said(exploitation), requirements=tuple(requirements),
        max_km=float(max_km), max_minutes=None if max_minutes is None else float(max_minutes),
        accept_waitlist=waitlist, avoid=avoid,
    )  # fmt: skip
    return answers, origin


def needs_field() -> list[str]:
    """The services the child needs. Drawn beside the plan, in the plan's own fragment."""
    # wrap: in a column the chips would stay on one scrolling row, hiding the first needs.
    return multiselect(
        t("find.needs"), SERVICE_TYPES, format_func=lambda s: t("type." + s), key=K + "needs",
        wrap=True,
    )  # fmt: skip


def checked_needs(
    answers: Answers | None, origin: Origin | None, chosen: list[str]
) -> Needs | None:
    """The matcher's input, or None after saying what is missing or wrong."""
    if origin is None:
        if chosen:  # needs chosen, nowhere to start from: say so instead of doing nothing
            st.warning(t("find.origin.missing"))
        return None
    if answers is None:  # the form above says what is wrong (the age)
        return None
    if not chosen:
        st.info(t("find.choose_needs"))
        return None
    try:
        return answers.needs(chosen)
    except ValidationError as e:
        st.error(t("find.invalid", field=t("field." + e.field)))
        return None


def _said(choice: str) -> str | None:
    return None if choice == UNSPECIFIED else choice
