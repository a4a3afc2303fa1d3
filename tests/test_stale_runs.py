"""A Find run gives way to a newer change of the same fragment, read from Streamlit's queue."""

from __future__ import annotations

from types import SimpleNamespace

from streamlit.runtime.scriptrunner_utils.script_requests import RerunData, ScriptRequests

from ui.stale_runs import superseded


def run_context(fragments: list[str], requests: ScriptRequests) -> SimpleNamespace:
    return SimpleNamespace(fragment_ids_this_run=fragments, script_requests=requests)


def test_a_waiting_change_of_the_running_fragment_supersedes_it():
    requests = ScriptRequests()
    assert not superseded(run_context(["find"], requests))  # nothing waits
    requests.request_rerun(RerunData(fragment_id="find"))
    assert superseded(run_context(["find"], requests))


def test_a_full_run_or_another_fragment_is_never_cut_short():
    requests = ScriptRequests()
    requests.request_rerun(RerunData(fragment_id="find"))
    assert not superseded(run_context([], requests))  # a full run of the page
    assert not superseded(run_context(["other"], requests))


def test_outside_a_run_nothing_is_superseded():
    assert not superseded(SimpleNamespace())
    assert not superseded()
