"""Two Streamlit servers over one PostgreSQL database, as behind a load balancer.

A capacity update is seen by a caseworker's match on either server at the next run (the
prepared matching arrays are cached per data version, which every write moves on); two saves
of one loaded listing from two processes give one save and one conflict; the audit chain
verifies afterwards.

The coordinators' listing editor does not exist yet, so the writes go through the store
(from this process and from two subprocesses), and the reads go through the servers' pages.
"""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from directory.models import Service
from directory.storage.store import Store

from ..conftest import demo_copy
from .conftest import Offline, new_page
from .helpers import TIMEOUT, choose_options, heading, sign_in, tr
from .server import ROOT, serving
from .test_referral_journey import open_page

CASEWORKER = ("demo-caseworker", "punte-demo-caseworker")


@pytest.fixture(scope="module")
def shared_db(request, tmp_path_factory) -> str:
    """A copy of the session's demo directory on PostgreSQL, for this module's writes."""
    return demo_copy(request, "postgresql", tmp_path_factory.mktemp("two-servers"))


@pytest.fixture(scope="module")
def servers(shared_db: str, tmp_path_factory):
    logs = tmp_path_factory.mktemp("two-servers-logs")
    with serving(shared_db, logs / "a.log") as a, serving(shared_db, logs / "b.log") as b:
        assert a.url != b.url
        yield a, b


def shelter_plan(context, url: str, offline: Offline) -> Page:
    """A caseworker's page on the server at ``url``, showing the match for a shelter in
    Vaslui."""
    page: Page = new_page(context, url, offline)
    sign_in(page, *CASEWORKER)
    expect(heading(page, tr("page.find"))).to_be_visible(timeout=TIMEOUT)
    place = page.get_by_label(tr("find.origin.search"), exact=True)
    place.fill("Vaslui")
    place.press("Enter")
    expect(page.get_by_text(tr("find.choose_needs"))).to_be_visible(timeout=TIMEOUT)
    choose_options(page, tr("find.needs"), tr("type.shelter_emergency"))
    return page


def first_pick(page: Page) -> str:
    """The name of the plan's first pick. (The why-not panel is a canvas-drawn table: its
    text is not readable.)"""
    page.bring_to_front()  # two pages share the context: a background tab is not drawn
    expect(page.get_by_role("tab", name=tr("find.tab.plan"))).to_be_visible(timeout=TIMEOUT)
    bold = page.locator('[data-testid="stMarkdownContainer"] strong')
    bold.first.wait_for()
    # A pick reads "**1.** **name** · organisation": skip the pick's number.
    return next(t for t in bold.all_inner_texts() if not re.fullmatch(r"\d+\.", t.strip()))


def run_again(page: Page) -> None:
    """The page's next run: to the referrals page and back; the Find form keeps its answers."""
    page.bring_to_front()  # a background tab is not drawn
    open_page(page, tr("page.referrals"))
    open_page(page, tr("page.find"))


def test_an_update_is_seen_on_both_servers(servers, shared_db, context):
    a, b = servers
    offline = Offline()
    pages = [shelter_plan(context, server.url, offline) for server in (a, b)]
    try:
        name = first_pick(pages[0])
        assert first_pick(pages[1]) == name  # one database, one answer
        # A coordinator reports the shelter full (through the store: no listing editor yet).
        with Store(shared_db) as store:
            before = store.data_version()
            full = [s for s in store.all(Service) if s.name == name]
            assert full, name
            for svc in full:
                store.update(
                    svc.replace(
                        capacity_status="full", beds_available=0, capacity_as_of=date.today()
                    ),
                    actor="demo-coordinator",
                    reason="capacity report",
                )
            assert store.data_version() > before
        # The pages stay open: at their next run the full shelter is nobody's first pick.
        for page, server in zip(reversed(pages), (b, a), strict=True):
            run_again(page)
            assert first_pick(page) != name, server.url
            server.assert_alive()
    finally:
        for page in pages:
            page.close()
    assert offline.aborted == []


SAVE = textwrap.dedent(
    """
    import sys, time
    from directory.errors import ConflictError
    from directory.models import Service
    from directory.storage.store import Store
    url, sid, beds, go = sys.argv[1:]
    with Store(url) as store:
        loaded = store.get(Service, sid)
        print("loaded", flush=True)
        while not __import__("os").path.exists(go):
            time.sleep(0.01)
        try:
            store.update(loaded.replace(beds_total=int(beds)), actor="coord-" + beds)
            print("saved")
        except ConflictError:
            print("conflict")
    """
)


def test_two_saves_of_one_listing_from_two_processes(servers, shared_db, tmp_path: Path):
    with Store(shared_db) as store:
        sid = next(s.id for s in store.all(Service) if s.service_type == "legal_aid")
        version = store.get(Service, sid).version
    go = tmp_path / "go"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", SAVE, shared_db, sid, beds, str(go)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        for beds in ("11", "22")
    ]
    for p in procs:  # both loaded the same version before either saves
        assert p.stdout.readline().strip() == "loaded"
    go.touch()
    outcomes = sorted(p.communicate(timeout=60)[0].strip() for p in procs)
    assert outcomes == ["conflict", "saved"]
    with Store(shared_db) as store:
        kept = store.get(Service, sid)
        assert kept.version == version + 1 and kept.beds_total in (11, 22)
        updates = [r for r in store.audit_history("service", sid) if r["action"] == "update"]
        assert updates[-1]["actor"] == f"coord-{kept.beds_total}"
    verify = subprocess.run(
        [sys.executable, "-m", "directory", "audit", "verify", "--db", shared_db],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert verify.returncode == 0 and "Audit chain intact" in verify.stdout, verify.stderr
    for server in servers:
        server.assert_alive()
