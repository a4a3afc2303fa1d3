"""The Find services and Referrals pages under AppTest: the caseworker's and coordinator's flows."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from directory.i18n import translate
from directory.referrals.consent import AGE_BANDS
from directory.storage.store import Store
from ui.referral_form import opened_key
from ui.registry import PAGES

from .conftest import use_database

FIND = next(p for p in PAGES if p.slug == "find").path
REFERRALS = next(p for p in PAGES if p.slug == "referrals").path
VASLUI_GIRL = ["shelter_emergency", "legal_aid", "psychological_counselling"]


def as_user(monkeypatch, db: Path, file: Path, username: str, lang: str = "ro") -> AppTest:
    use_database(monkeypatch, db)
    at = AppTest.from_file(str(file), default_timeout=60)
    at.session_state["lang"] = lang
    at.session_state["auth"] = {
        "username": username,
        "last_seen": datetime.now(UTC).isoformat(),
    }
    return at.run()


def find_for_vaslui_girl(monkeypatch, db: Path, lang: str = "ro") -> AppTest:
    at = as_user(monkeypatch, db, FIND, "demo-caseworker", lang)
    at.text_input(key="find_origin_query").input("Vaslui").run()
    at.selectbox(key="find_gender").set_value("female").run()
    at.multiselect(key="find_languages").set_value(["ro", "rom"]).run()
    return at.multiselect(key="find_needs").set_value(VASLUI_GIRL).run()


def table_of(at: AppTest, tab: str):
    """The table of the results tab ``tab`` ("all" or "whynot"): only the open tab is drawn."""
    at.session_state["find_tab"] = translate("find.tab." + tab, "ro")
    (table,) = at.run().dataframe
    return table.value


def map_args(at: AppTest) -> dict:
    """What the st_folium element hands to the browser: the map script and its links."""
    (element,) = [e for e in at.main if type(e).__name__ == "UnknownElement"]
    return json.loads(element.proto.json_args)


def map_markers(script: str) -> dict:
    """The marker payload the map's script draws: one entry per marker in each array."""
    start = script.index("var d = ") + len("var d = ")
    payload, _ = json.JSONDecoder().raw_decode(script[start:])
    return payload


def cards(at: AppTest) -> list:
    """The plan's cards: one markdown element each (see ``ui.results.card_markdown``)."""
    return [
        m for m in at.markdown if re.match(r"(:orange-background\[.*?\] )?\*\*\d+\.\*\*", m.value)
    ]


def card_parts(card) -> tuple[str, str, str]:
    """(name and facts line, fits and gaps, details) of a card, the caption look taken off."""
    head, reasons, details = card.value.split("\n\n")
    return unsmall(head), reasons, unsmall(details)


def unsmall(text: str) -> str:
    """A card line as it reads: ":small[:gray[…]]" is the look of a caption."""
    return re.sub(r":small\[:gray\[(.*?)\]\](?=  \n|$)", r"\1", text, flags=re.M)


def test_care_plan_with_reasons(monkeypatch, demo_db):
    at = find_for_vaslui_girl(monkeypatch, demo_db)
    assert not at.exception
    headings = [m.value for m in at.markdown if m.value.startswith("#### ")]
    assert headings == [
        "#### Centru de primire în regim de urgență",
        "#### Asistență juridică",
        "#### Consiliere psihologică",
    ]
    # Fits (✓) first, then gaps (⚠), one per line; md() escapes the provider's words.
    reasons = [card_parts(c)[1].replace("\\", "") for c in cards(at)]
    assert len(reasons) == 3 and all(r.startswith("✓ ") for r in reasons)
    assert "estimat, drumuri principale" in reasons[0]  # road minutes
    lines = [line.strip() for line in reasons[0].splitlines()]
    # The shelter's staff speak Romanian, not Romani: the language reason says exactly that.
    assert "✓ Personalul vorbește: română." in lines
    assert "✓ Primește fete de 12–17 ani." in lines  # the eligibility asked for, confirmed
    assert lines.index("✓ Personalul vorbește: română.") < min(
        [i for i, line in enumerate(lines) if line.startswith("⚠")] or [len(lines)]
    )
    details = [line for c in cards(at) for line in card_parts(c)[2].splitlines()]
    assert any(line.startswith("Scor ") and "distanța" in line for line in details)
    assert all(
        c.value.count("\n\n") == 2 for c in cards(at)
    )  # one element a card: see card_markdown
    captions = [c.value for c in at.caption]
    assert any(c.startswith("Distanță totală:") for c in captions)
    assert captions.count("Ordonat după distanța de la adăpostul ales.") == 2


def test_map_shows_the_matched_services_and_the_origin(monkeypatch, demo_db):
    at = find_for_vaslui_girl(monkeypatch, demo_db)
    args = map_args(at)
    # The plan is a layer swapped inside the map the browser already shows: its own script.
    script, layer = args["script"], args["feature_group"]
    assert "var d = " not in script  # no marker in the base map: it stays the same
    payload = map_markers(layer)
    picks, others = payload["picks"], payload["others"]
    # The plan's three picks are numbered 1, 2, 3 in plan order, in their types' colours.
    assert picks["n"] == [1, 2, 3]
    assert [picks["typeLabels"][i] for i in picks["t"]] == [
        "Centru de primire în regim de urgență", "Asistență juridică", "Consiliere psihologică",
    ]  # fmt: skip
    assert "puntePicks" in layer and "L.markerClusterGroup" in layer
    # One marker per service listed under "all matches", each drawn once: picks or others.
    all_matches = table_of(at, "all")
    shown = [p[0] for p in picks["p"]] + [p[0] for p in others["p"]]
    assert len(all_matches) > 3
    assert sorted(set(shown)) == sorted(set(all_matches["Serviciu"]))
    vaslui = payload["origin"]
    assert vaslui and abs(vaslui[0] - 46.64) < 0.05 and abs(vaslui[1] - 27.73) < 0.05
    links = args["css_links"] + args["js_links"]
    assert links and all(link.startswith("/app/static/vendor/") for link in links), links
    for text in (script, layer):
        assert "cdn.jsdelivr" not in text and "unpkg.com" not in text


def test_swap_to_next_candidate(monkeypatch, demo_db):
    at = find_for_vaslui_girl(monkeypatch, demo_db)
    first = [m.value for m in at.markdown if m.value.startswith("**")][0]
    next_button = next(b for b in at.button if b.key == "find_next_shelter_emergency")
    at = next_button.click().run()
    assert at.session_state["find_picks"] == {"shelter_emergency": 1}
    assert [m.value for m in at.markdown if m.value.startswith("**")][0] != first


def test_ambiguous_origin_lists_every_candidate(monkeypatch, demo_db):
    at = as_user(monkeypatch, demo_db, FIND, "demo-caseworker")
    # Two communes of that name; a county seat typed alone (Sfântu Gheorghe) is no longer asked.
    at = at.text_input(key="find_origin_query").input("Avram Iancu").run()
    assert at.warning[-1].value.startswith("Numele se potrivește cu")
    options = at.selectbox(key="find_origin_candidate").options
    assert {"Avram Iancu (comună, Alba)", "Avram Iancu (comună, Bihor)"} <= set(options)


def test_unknown_origin_is_a_clear_error(monkeypatch, demo_db):
    at = as_user(monkeypatch, demo_db, FIND, "demo-caseworker")
    at = at.text_input(key="find_origin_query").input("Vasluiu Nord Kq").run()
    assert at.error[0].value.startswith("Nu am găsit localitatea.")
    assert "Vaslui (municipiu, Vaslui)" in at.error[0].value


def test_why_not_lists_excluded_services_with_their_rule(monkeypatch, demo_db):
    at = find_for_vaslui_girl(monkeypatch, demo_db)
    assert not at.dataframe  # the plan's tab is open: the two tables are not built
    table = table_of(at, "whynot")
    assert {"Nevoie", "Regula", "Explicație"} <= set(table.columns)
    assert len(table) > 0
    assert table["Explicație"].str.len().min() > 5


def test_needs_are_not_written_to_the_database(monkeypatch, demo_db):
    with Store(demo_db) as store:
        before = store.db["audit_log"].count
    find_for_vaslui_girl(monkeypatch, demo_db)
    with Store(demo_db) as store:
        assert store.db["audit_log"].count == before
        assert store.db["referral"].count == 0


def shown(markdown: str) -> str:
    """What a markdown source with escaped data reads as."""
    return re.sub(r"\\(.)", r"\1", markdown)


def open_first_referral_form(at: AppTest) -> None:
    """Open the plan's first referral form: its fields are drawn only once it is opened."""
    ids = [e.proto.id for e in at.expander if OPEN_PREFIX in e.proto.id]
    at.session_state[OPEN_PREFIX + ids[0].split(OPEN_PREFIX, 1)[1]] = True
    at.run()


OPEN_PREFIX = opened_key("")  # the expander's key, before the service's id


def send_first_referral(
    monkeypatch, db: Path, code: str = "VS-2026-0142", tick: tuple[str, ...] = ()
) -> AppTest:
    at = find_for_vaslui_girl(monkeypatch, db)
    open_first_referral_form(at)
    form_input = next(ti for ti in at.text_input if ti.key and ti.key.startswith("find_ref_code_"))
    form_input.input(code)
    sal = form_input.key.removeprefix("find_ref_code_")
    for name in tick:  # the consent boxes start unticked
        at.checkbox(key=f"find_ref_{name}_{sal}").check()
    submit = next(b for b in at.button if b.label == "Trimite")
    return submit.click().run()


def test_send_referral_from_the_plan(monkeypatch, demo_db):
    at = send_first_referral(monkeypatch, demo_db)
    assert shown(at.success[0].value).startswith("Trimiterea VS-2026-0142 a fost trimisă.")
    with Store(demo_db) as store:
        row = store.db.execute("SELECT case_code, status, urgency, needs FROM referral").fetchone()
    assert tuple(row[:3]) == ("VS-2026-0142", "sent", "emergency")
    assert json.loads(row[3]) == VASLUI_GIRL


@pytest.mark.parametrize(
    "code, reason",
    [
        ("Ana Popescu", "name"),
        ("POPESCU-MARIA-2011", "name"),
        ("6091231123456", "cnp"),
        ("0722123456", "phone"),
        ("ana@example.org", "email"),
    ],
)
def test_identity_is_refused_as_case_code_with_the_reason(monkeypatch, demo_db, code, reason):
    at = send_first_referral(monkeypatch, demo_db, code=code)
    assert at.error[0].value == translate(f"ref.invalid.case_code.{reason}", "ro")
    with Store(demo_db) as store:
        assert store.db["referral"].count == 0


def test_the_form_sends_no_unconsented_detail(monkeypatch, demo_db):
    send_first_referral(monkeypatch, demo_db)  # no consent box ticked: the default
    with Store(demo_db) as store:
        row = store.db.execute(
            "SELECT age, age_band, gender, languages, origin_siruta FROM referral"
        ).fetchone()
    assert row[0] is None and row[1] in AGE_BANDS
    assert row[2] is None and row[3] == "[]" and row[4] is None


def test_coordinator_declines_and_caseworker_gets_the_next_best(monkeypatch, demo_db):
    # The next-best search starts from the UAT, so the starting area is shared here.
    send_first_referral(monkeypatch, demo_db, tick=("origin_area",))
    at = as_user(monkeypatch, demo_db, REFERRALS, "demo-coordinator")
    assert not at.exception
    assert at.dataframe[0].value.iloc[0]["Codul cazului"] == "VS-2026-0142"
    at.selectbox(key="referrals_to").set_value("declined")
    at.selectbox(key="referrals_reason").set_value("no_capacity")
    at.checkbox(key="referrals_confirm").check()  # a decline asks for a confirmation
    at = next(b for b in at.button if b.label == "Salvează").click().run()
    assert not at.exception
    with Store(demo_db) as store:
        events = store.db.execute(
            "SELECT actor, to_status, reason_code FROM referral_event ORDER BY id"
        ).fetchall()
    assert [tuple(e) for e in events] == [
        ("demo-caseworker", "sent", None),
        ("demo-coordinator", "declined", "no_capacity"),
    ]
    at = as_user(monkeypatch, demo_db, REFERRALS, "demo-caseworker")
    offer = [m.value for m in at.markdown if m.value.startswith("Următoarea potrivire")]
    assert offer, [m.value for m in at.markdown]
    at = next(b for b in at.button if b.label == "Trimite către următoarea potrivire").click().run()
    assert shown(at.success[0].value).startswith("Trimiterea VS-2026-0142 a fost trimisă.")
    with Store(demo_db) as store:
        services = [r[0] for r in store.db.execute("SELECT service_at_location_id FROM referral")]
    assert len(set(services)) == 2


def test_decline_without_reason_is_refused(monkeypatch, demo_db):
    send_first_referral(monkeypatch, demo_db)
    at = as_user(monkeypatch, demo_db, REFERRALS, "demo-coordinator")
    at.selectbox(key="referrals_to").set_value("declined")
    at = next(b for b in at.button if b.label == "Salvează").click().run()
    assert at.error[0].value == "Alegeți motivul refuzului."


HOSTILE_NAME = '=HYPERLINK("https://example.org/x","click")'


def test_referrals_csv_is_safe_against_formulas(monkeypatch, demo_db):
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    send_first_referral(monkeypatch, demo_db)
    with Store(demo_db) as store:  # a provider's name that a spreadsheet would run
        store.db.execute(
            "UPDATE service SET name = ? WHERE id = (SELECT s.service_id FROM referral r "
            "JOIN service_at_location s ON s.id = r.service_at_location_id)",
            [HOSTILE_NAME],
        )
        store.db.conn.commit()
    offered: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def keep(self, data, mimetype, kind, filename=None):
        offered[filename] = data  # exactly the bytes the page offers for download
        return original(self, data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", keep)
    at = as_user(monkeypatch, demo_db, REFERRALS, "demo-caseworker")
    assert not at.exception
    assert at.dataframe[0].value.iloc[0]["Stare"] == "trimisă"
    # Shown neutralised too: Streamlit's own table toolbar downloads the cells as shown.
    assert at.dataframe[0].value.iloc[0]["Serviciu"] == "'" + HOSTILE_NAME
    rows = list(csv.reader(io.StringIO(offered["trimiteri.csv"].decode("utf-8"))))
    column = rows[0].index("Serviciu")
    assert rows[1][column] == "'" + HOSTILE_NAME  # neutralised: read as text, never run
    for row in rows[1:]:
        assert not any(cell[:1] in "=+-@\t\r" and cell for cell in row), row


def test_a_referral_form_is_drawn_only_once_opened(monkeypatch, demo_db):
    # Three closed forms under the plan were a third of its elements (issue 16 speed).
    at = find_for_vaslui_girl(monkeypatch, demo_db)
    forms = [e for e in at.expander if OPEN_PREFIX in e.proto.id]
    assert len(forms) == 3 and not [k for k in at.text_input if str(k.key).startswith("find_ref_")]
    open_first_referral_form(at)
    assert len([k for k in at.text_input if str(k.key).startswith("find_ref_code_")]) == 1
