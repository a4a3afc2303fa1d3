"""The Find page's "send the whole plan" form under AppTest (issue 15 item 2)."""

from __future__ import annotations

import json

from directory.storage.store import Store

from .test_find_page import VASLUI_GIRL, find_for_vaslui_girl, shown

K = "find_plan_"


def open_plan_form(at):
    """Open "send the whole plan": its form is drawn only once its expander is opened."""
    at.session_state[K + "open_kept"] = True
    return at.run()


def picks(at) -> list:
    return [c for c in at.checkbox if c.key and c.key.startswith(K + "pick_")]


def send_plan(at, code: str = "VS-2026-0142", untick: tuple[str, ...] = (), tick=()):
    at.text_input(key=K + "code").input(code)
    for box in picks(at):
        if any(box.key.startswith(f"{K}pick_{need}_") for need in untick):
            box.uncheck()
    for name in tick:
        at.checkbox(key=f"{K}consent_{name}").check()
    return next(b for b in at.button if b.label == "Trimite planul").click().run()


def rows(db):
    with Store(db) as store:
        return store.db.execute(
            "SELECT r.case_code, r.status, s.service_type, r.needs, r.gender FROM referral r "
            "JOIN service_at_location sal ON sal.id = r.service_at_location_id "
            "JOIN service s ON s.id = sal.service_id ORDER BY r.rowid"
        ).fetchall()


def test_one_send_refers_the_whole_plan(monkeypatch, demo_db):
    at = open_plan_form(find_for_vaslui_girl(monkeypatch, demo_db))
    boxes = picks(at)
    assert len(boxes) == 3 and all(b.value for b in boxes)  # every chosen service ticked
    assert not any(c.value for c in at.checkbox if c.key and c.key.startswith(K + "consent_"))
    at = send_plan(at, tick=("gender",))
    assert not at.exception and not at.error
    message = shown(at.success[0].value)
    assert message.startswith("Au fost trimise 3 trimiteri pentru cazul VS-2026-0142.")
    assert message.count("răspuns până la") == 3
    sent = rows(demo_db)
    assert [r[2] for r in sent] == VASLUI_GIRL
    assert {(r[0], r[1], r[4]) for r in sent} == {("VS-2026-0142", "sent", "female")}
    assert {tuple(json.loads(r[3])) for r in sent} == {tuple(VASLUI_GIRL)}


def test_a_need_can_be_left_out(monkeypatch, demo_db):
    at = open_plan_form(find_for_vaslui_girl(monkeypatch, demo_db))
    at = send_plan(at, untick=("legal_aid",))
    assert shown(at.success[0].value).startswith("Au fost trimise 2 trimiteri")
    sent = rows(demo_db)
    assert [r[2] for r in sent] == ["shelter_emergency", "psychological_counselling"]
    assert {r[4] for r in sent} == {None}  # gender not ticked: not sent


def test_nothing_ticked_sends_nothing_and_says_so(monkeypatch, demo_db):
    at = open_plan_form(find_for_vaslui_girl(monkeypatch, demo_db))
    at = send_plan(at, untick=tuple(VASLUI_GIRL))
    assert at.error[0].value == "Bifați cel puțin un serviciu din plan; nu s-a trimis nimic."
    assert rows(demo_db) == []


def test_a_second_send_is_blocked_and_names_the_services(monkeypatch, demo_db):
    at = open_plan_form(find_for_vaslui_girl(monkeypatch, demo_db))
    at = send_plan(at)
    names = [shown(b.label).split(": ", 1)[1] for b in picks(at)]
    # With the case code at the top, the services already referred to cannot be ticked again.
    at.text_input(key="find_case_code").input("VS-2026-0142").run()
    assert all(b.disabled and not b.value for b in picks(at))
    # Typed only in the form, the code is still checked: nothing sent, each service named.
    at = open_plan_form(find_for_vaslui_girl(monkeypatch, demo_db))
    at = send_plan(at)
    error = shown(at.error[0].value)
    assert error.startswith("Nu s-a trimis nimic")
    assert all(name in error for name in names) and error.count("/referrals?ref=") == 3
    assert len(rows(demo_db)) == 3


def test_a_bad_case_code_sends_nothing(monkeypatch, demo_db):
    at = open_plan_form(find_for_vaslui_girl(monkeypatch, demo_db))
    at = send_plan(at, code="Ana Popescu")
    assert "nume" in at.error[0].value
    assert rows(demo_db) == []


def test_the_plan_form_in_english(monkeypatch, demo_db):
    at = open_plan_form(find_for_vaslui_girl(monkeypatch, demo_db))
    at.session_state["lang"] = "en"  # the open form stays open in the other language
    at = at.run()
    assert not at.exception
    assert [e for e in at.expander if e.label == "Send the whole plan"]
    assert [b.label for b in at.button if b.label == "Send the plan"]
    assert shown(picks(at)[0].label).startswith("1 — Emergency")


def test_the_plan_form_is_drawn_only_once_opened(monkeypatch, demo_db):
    # Closed, it is one expander: the browser redraws nothing of it on each change of needs.
    at = find_for_vaslui_girl(monkeypatch, demo_db)
    assert [e for e in at.expander if e.label == "Trimite tot planul"]
    assert not picks(at) and not [b for b in at.button if b.label == "Trimite planul"]
    assert len(picks(open_plan_form(at))) == 3
