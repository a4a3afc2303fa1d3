"""Find services under AppTest: every new control, and every empty or invalid input says what
to do in the user's language (issue 16)."""

from __future__ import annotations

from .test_find_page import FIND, as_user, find_for_vaslui_girl, map_args, map_markers, table_of


def test_age_out_of_range_says_what_to_do_in_romanian(monkeypatch, demo_db):
    at = find_for_vaslui_girl(monkeypatch, demo_db)
    at = at.number_input(key="find_age").set_value(30).run()
    assert not at.exception
    assert any("între 0 și 25" in e.value for e in at.error)
    assert not [m for m in at.markdown if m.value.startswith("#### ")]  # no stale plan


def test_the_age_message_exists_in_english():
    from directory.i18n import translate

    text = translate("find.age.invalid", "en", min=0, max=25)
    assert text.startswith("The age must be a whole number from 0 to 25.")


def test_needs_without_a_place_say_where_to_start(monkeypatch, demo_db):
    at = as_user(monkeypatch, demo_db, FIND, "demo-caseworker")
    at = at.multiselect(key="find_needs").set_value(["legal_aid"]).run()
    assert any(w.value.startswith("Spuneți unde se află copilul") for w in at.warning)


def test_list_mode_starts_empty_and_does_not_match(monkeypatch, demo_db):
    at = as_user(monkeypatch, demo_db, FIND, "demo-caseworker")
    at = at.radio(key="find_origin_mode").set_value("list").run()
    assert at.selectbox(key="find_origin_county").value is None
    at = at.multiselect(key="find_needs").set_value(["legal_aid"]).run()
    assert any(w.value.startswith("Spuneți unde se află copilul") for w in at.warning)
    at = at.selectbox(key="find_origin_county").set_value("VS").run()
    assert at.selectbox(key="find_origin_uat").value is None
    options = at.selectbox(key="find_origin_uat").options
    vaslui = next(o for o in options if o.startswith("Vaslui"))
    at = at.selectbox(key="find_origin_uat").select(vaslui).run()
    assert [m.value for m in at.markdown if m.value.startswith("#### ")]


def test_every_chosen_need_stays_visible(monkeypatch, demo_db):
    """The chips wrap onto more rows instead of scrolling the first needs out of view."""
    at = find_for_vaslui_girl(monkeypatch, demo_db)
    for key in ("find_needs", "find_languages", "find_requirements"):
        assert at.multiselect(key=key).proto.wrap is True, key
    needs = at.multiselect(key="find_needs")
    assert needs.value == ["shelter_emergency", "legal_aid", "psychological_counselling"]


def test_no_language_says_romanian_is_assumed(monkeypatch, demo_db):
    at = find_for_vaslui_girl(monkeypatch, demo_db)
    at = at.multiselect(key="find_languages").set_value([]).run()
    assert any("se presupune româna" in i.value for i in at.info)


def test_limit_in_minutes(monkeypatch, demo_db):
    at = find_for_vaslui_girl(monkeypatch, demo_db)
    at = at.radio(key="find_limit_unit").set_value("min").run()
    at = at.slider(key="find_max_min").set_value(30).run()
    assert not at.exception
    table = table_of(at, "all")
    assert (table["Min (estimat, drumuri principale)"] <= 30).all()
    why = table_of(at, "whynot")
    assert why["Explicație"].str.contains("limita de 30 min").any()


def test_interpreter_requirement_is_offered_and_applied(monkeypatch, demo_db):
    at = find_for_vaslui_girl(monkeypatch, demo_db)
    at = at.multiselect(key="find_languages").set_value(["uk"]).run()
    at = at.multiselect(key="find_requirements").set_value(["interpreter"]).run()
    why = table_of(at, "whynot")
    assert "fără limbă comună sau interpret" in set(why["Regula"])


def test_tables_put_score_reasons_and_rule_first(monkeypatch, demo_db):
    at = find_for_vaslui_girl(monkeypatch, demo_db)
    matches, why = table_of(at, "all"), table_of(at, "whynot")
    assert list(matches.columns)[:4] == ["#", "Scor", "Se potrivește ✓", "De avut în vedere ⚠"]
    assert list(why.columns)[:2] == ["Regula", "Explicație"]
    assert list(matches.columns)[-1] == list(why.columns)[-1] == "Nevoie"


def test_show_on_map_highlights_the_pick(monkeypatch, demo_db):
    at = find_for_vaslui_girl(monkeypatch, demo_db)
    at = next(b for b in at.button if b.key == "find_show_legal_aid").click().run()
    assert at.session_state["find_highlight"] == "legal_aid"
    assert map_markers(map_args(at)["feature_group"])["highlight"] == 1  # the second pick
    lit = [m.value for m in at.markdown if "evidențiat pe hartă" in m.value]
    assert len(lit) == 1 and lit[0].startswith(":orange-background")


def test_a_filter_change_keeps_the_same_base_map(monkeypatch, demo_db):
    at = find_for_vaslui_girl(monkeypatch, demo_db)
    before = map_args(at)
    at = at.slider(key="find_max_km").set_value(50).run()
    after = map_args(at)
    assert after["script"] == before["script"]  # the browser keeps its iframe and Leaflet
    assert after["feature_group"] != before["feature_group"]  # the plan's layer is swapped


def test_the_legend_names_what_the_map_draws(monkeypatch, demo_db):
    at = find_for_vaslui_girl(monkeypatch, demo_db)
    legend = next(m.value for m in at.markdown if "punte-map-legend" in m.value)
    for words in ("Centru de primire în regim de urgență", "alte potriviri", "#8C8C8C"):
        assert words in legend
    assert "Asistență socială" not in legend  # only the types of the picks


def test_find_a_provider_by_name_without_diacritics(monkeypatch, demo_db):
    at = find_for_vaslui_girl(monkeypatch, demo_db)
    assert not [ti for ti in at.text_input if ti.key == "find_search_query"]  # drawn once opened
    at.session_state["find_search_open_kept"] = True
    at = at.run().text_input(key="find_search_query").input("licurici iasi").run()
    assert not at.exception
    options = at.selectbox(key="find_search_pick").options
    assert options and all("Licurici" in o for o in options)
    shown = [m.value for m in at.markdown if m.value.startswith("**") and "Licurici" in m.value]
    assert shown  # the provider's page: its card with fits and gaps, or the rule that excludes it
    assert any("\n\n✓ " in m for m in shown) or at.warning


def test_an_unknown_provider_name_says_what_to_do(monkeypatch, demo_db):
    at = as_user(monkeypatch, demo_db, FIND, "demo-caseworker")
    at.session_state["find_search_open_kept"] = True
    at = at.run().text_input(key="find_search_query").input("Qwertyuiop").run()
    assert any("Verificați numele" in i.value for i in at.info)
