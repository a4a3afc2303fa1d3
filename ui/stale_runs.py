"""Give way to a newer change: a fragment run whose results would be replaced at once stops.

Streamlit queues a widget change inside a fragment behind the fragment run in progress; it
never interrupts it. Choosing three needs in a row therefore ran the care plan, its map and
its cards for one need, then two, then three, one after the other, before the plan the
caseworker asked for was shown. At a few checkpoints the Find page asks whether another
change of this fragment already waits and, if so, reruns at once with it; what the browser
shows stays as it was (marked stale) until the newer run draws over it.

Streamlit has no public call for "is a rerun pending", so this reads its request queue. If a
later Streamlit changes that, :func:`superseded` answers False and runs simply complete.
"""

from __future__ import annotations

from typing import Any

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx


def superseded(ctx: Any = None) -> bool:
    """True in a fragment run when a newer change of the user waits to rerun this fragment.

    ``ctx``: the script run context (this run's, by default).
    """
    ctx = ctx or get_script_run_ctx()
    running = list(getattr(ctx, "fragment_ids_this_run", None) or [])
    if not running:  # a full run: a fragment rerun must not cut it short
        return False
    requests = getattr(ctx, "script_requests", None)
    if getattr(getattr(requests, "_state", None), "name", None) != "RERUN":
        return False
    waiting = getattr(getattr(requests, "_rerun_data", None), "fragment_id_queue", None) or []
    return any(fragment in running for fragment in waiting)


def give_way() -> None:
    """Stop this run for the newer change that waits, if there is one."""
    if superseded():
        st.rerun(scope="fragment")
