"""ui.one_burst: the elements of a block reach the browser together, in their order."""

from __future__ import annotations

import dataclasses

from streamlit.runtime.scriptrunner_utils.script_run_context import ScriptRunContext
from streamlit.testing.v1 import AppTest


def _script() -> None:
    import streamlit as st
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    from ui.one_burst import one_burst

    with one_burst():
        st.markdown("a")
        st.markdown("b")
        # Still in the block: both are held, none was sent yet.
        held = len(getattr(get_script_run_ctx()._enqueue, "__self__", []))
    st.markdown(f"held {held}")


def test_the_block_holds_its_elements_and_sends_them_in_order():
    at = AppTest.from_function(_script).run()
    assert not at.exception
    assert [m.value for m in at.markdown] == ["a", "b", "held 2"]


def test_streamlit_still_has_the_field_it_replaces():
    # Without it one_burst does nothing (the page still works, each element is sent alone
    # and choosing needs is about 150 ms slower): an upgrade of Streamlit must keep it.
    assert "_enqueue" in {f.name for f in dataclasses.fields(ScriptRunContext)}


def test_outside_a_run_the_block_does_nothing():
    from ui.one_burst import one_burst

    with one_burst():
        ran = True
    assert ran


def test_no_message_is_sent_as_a_reference_to_the_browsers_cache():
    # A burst reaches the browser later than Streamlit would send it; a reference to a
    # cached message could then arrive after the browser dropped it ("Cached ForwardMsg
    # MISS", the page stuck "running": seen once in 20 rounds of choosing needs).
    import tomllib
    from pathlib import Path

    config = tomllib.loads((Path(__file__).parents[1] / ".streamlit/config.toml").read_text())
    assert config["global"]["minCachedMessageSize"] >= 1e12
