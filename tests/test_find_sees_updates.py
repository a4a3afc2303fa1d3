"""A caseworker's open Find page answers from the directory as it is now, on both backends:
a capacity report saved elsewhere (another session, another server) changes the next run."""

from __future__ import annotations

import re
from datetime import date

from directory.models import Service
from directory.storage.store import Store

from .test_find_page import FIND, as_user


def first_pick(at) -> str:
    (head,) = [m.value for m in at.markdown if m.value.startswith("**1.**")]
    return re.search(r"\*\*1\.\*\* \*\*(.+?)\*\*", head).group(1).replace("\\", "")


def test_a_full_report_changes_the_next_run_of_an_open_page(monkeypatch, demo_any):
    at = as_user(monkeypatch, demo_any, FIND, "demo-caseworker")
    at.text_input(key="find_origin_query").input("Vaslui").run()
    at.multiselect(key="find_needs").set_value(["shelter_emergency"]).run()
    first = first_pick(at)
    assert first_pick(at.run()) == first  # a run alone does not change the answer
    with Store(demo_any) as store:
        for svc in [s for s in store.all(Service) if s.name == first]:
            store.update(
                svc.replace(capacity_status="full", beds_available=0, capacity_as_of=date.today()),
                actor="demo-coordinator",
                reason="capacity report",
            )
    at.run()  # the next run of the same session, with the same needs
    assert first_pick(at) != first
