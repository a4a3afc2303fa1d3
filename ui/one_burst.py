"""Send the elements drawn in a block to the browser together, when the block ends.

Streamlit sends each element as soon as it is drawn, and the browser draws the whole page
again for each batch it receives. A run whose elements trickle out over 100 ms (the map's
arguments alone take tens of milliseconds to write) is drawn five or six times; held until
the block ends, it is drawn once. On the Find page that took choosing three needs to the
plan shown from 962 to 818 ms (median, 2 cores; issue 16).

This replaces a field of Streamlit's per-run context, which is not a public API. Without
the field the block does nothing special: an upgrade that changes it costs speed, never
correctness, and tests/test_one_burst.py says so.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from streamlit.runtime.scriptrunner import get_script_run_ctx


@contextmanager
def one_burst() -> Iterator[None]:
    ctx = get_script_run_ctx()
    send = getattr(ctx, "_enqueue", None)
    if ctx is None or not callable(send):
        yield
        return
    held: list[Any] = []
    ctx._enqueue = held.append
    try:
        yield
    finally:
        ctx._enqueue = send
        # Sending is also where Streamlit stops a run that a newer change made stale: that
        # may happen here, and the rest of the held elements are then not needed.
        for message in held:
            send(message)
