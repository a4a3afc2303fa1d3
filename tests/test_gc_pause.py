"""The collector pause is scoped: collection resumes when the last overlapping load ends."""

from __future__ import annotations

import gc
import threading

from directory.storage.gc_pause import no_gc_pauses


def test_collection_resumes_after_overlapping_loads_in_any_order():
    assert gc.isenabled()
    first_in, second_done = threading.Event(), threading.Event()

    def first() -> None:
        with no_gc_pauses():
            first_in.set()
            second_done.wait(5)
            assert not gc.isenabled()  # the other load ended first: still held

    worker = threading.Thread(target=first)
    worker.start()
    first_in.wait(5)
    with no_gc_pauses():
        assert not gc.isenabled()
    second_done.set()
    worker.join(5)
    assert gc.isenabled()


def test_a_disabled_collector_stays_disabled():
    gc.disable()
    try:
        with no_gc_pauses():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
