"""Fixtures for the Chromium journeys: a demo database, one Streamlit server, one browser.

Every test gets a new page of the test process's one browser context, so a fresh Streamlit
session (nobody signed in): a session lives in its page's websocket, not in a cookie.
The server is this checkout's own process, on a free port, in its own process group; its
health is checked together with the fact that it is still alive, so a stale server on some
fixed port can never answer in its place.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from ..conftest import copy_demo
from .server import CHROMIUM, CHROMIUM_ARGS, ROOT, Server, serving

HERE = Path(__file__).resolve().parent
SCREENSHOTS = HERE / "screenshots"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
VIEWPORT = {"width": 1280, "height": 900}
NO_SAVE_PICKER = (
    "window.showSaveFilePicker = () => Promise.reject(new TypeError('no file picker in tests'));"
)

# A dedicated account for the lockout journey, so locking it out never touches the demo
# accounts the other journeys sign in with.
LOCKOUT_USER = "lockout-probe"
LOCKOUT_PASSWORD = "punte-lockout-probe-password"


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the group marks
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test of this folder `browser`; skip them outside CI when chromium is absent.

    Each file is also an `xdist_group`: under `--dist loadgroup` (`make test`) a journey file
    stays whole on one worker, for its Chromium and its server, and the journeys, the longest
    tests, start first on every worker; the other tests are shared out one at a time, so no
    worker waits idle at the end behind a long journey file.
    """
    missing = not CHROMIUM.exists()
    for item in items:
        if not item.path.is_relative_to(HERE):
            continue
        item.add_marker(pytest.mark.browser)
        item.add_marker(pytest.mark.xdist_group(f"browser-{item.path.stem}"))
        if missing and not os.environ.get("CI"):
            item.add_marker(
                pytest.mark.skip(reason=f"{CHROMIUM} is missing: install Debian's chromium")
            )
    # In CI a missing chromium is not skipped: the `browser` fixture fails instead.


def _run_cli(args: list[str], db: Path, stdin: str | None = None) -> None:
    env = {**os.environ, "PUNTE_DB": str(db)}
    done = subprocess.run(
        [sys.executable, "-m", "directory", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if done.returncode != 0:
        pytest.fail(f"`directory {' '.join(args)}` failed ({done.returncode}):\n{done.stderr}")


@pytest.fixture(scope="session")
def demo_db(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The session's demo directory with its 4 demo accounts, plus the lockout probe account."""
    db = copy_demo(demo_template, tmp_path_factory.mktemp("browser") / "demo.db")
    _run_cli(
        ["users", "add", LOCKOUT_USER, "--role", "partner", "--password-stdin"],
        db,
        stdin=LOCKOUT_PASSWORD + "\n",
    )
    return db


@pytest.fixture(scope="session")
def server(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`streamlit run app.py` on a free port of 127.0.0.1, serving the demo database."""
    log = tmp_path_factory.mktemp("server") / "streamlit.log"
    with serving(demo_db, log) as srv:
        yield srv


@pytest.fixture(scope="session")
def browser():
    """Chromium, once per test process: every browser test drives it through this fixture
    (a second `sync_playwright()` in the same thread would fail while this one runs)."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing (CI must install Debian's chromium)")
    from playwright.sync_api import sync_playwright

    p = sync_playwright().start()
    try:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()
    finally:
        p.stop()


@pytest.fixture(scope="session")
def context(browser):
    """One browser context per test process, so Chromium loads and compiles Streamlit's
    scripts once (a fresh context takes 2.5 s to the sign-in page, a new page in a used one
    1.3 s). Each test still has a Streamlit session of its own: a session lives in its
    page's websocket, and ``page`` opens a new page, with no cookies."""
    ctx = new_context(browser)
    try:
        yield ctx
    finally:
        ctx.close()


def new_context(browser):
    """A browser context as the tests use it: Romanian, the test viewport, 30 s timeouts."""
    ctx = browser.new_context(viewport=VIEWPORT, locale="ro-RO")
    ctx.set_default_timeout(30_000)
    # st.dataframe's "Download as CSV" first tries the File System Access picker, a native
    # dialog that never answers in headless Chromium; refusing it makes Streamlit fall back
    # to an ordinary download, which Playwright can catch.
    ctx.add_init_script(NO_SAVE_PICKER)
    return ctx


def new_page(context, url: str, offline: Offline, errors: list[str] | None = None):
    """A new page (a new Streamlit session) at ``url``: every outside request blocked and
    recorded in ``offline``, every JavaScript error appended to ``errors``."""
    context.clear_cookies()  # nothing of an earlier visit comes along
    pg = context.new_page()
    pg.route("**/*", offline.route)
    if errors is not None:
        pg.on("pageerror", lambda error: errors.append(str(error)))
    pg.goto(url)
    return pg


@dataclass
class Offline:
    """Every request to a host other than the app's was aborted and recorded here."""

    aborted: list[str] = field(default_factory=list)

    def route(self, route) -> None:
        if urlsplit(route.request.url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            self.aborted.append(route.request.url)
            route.abort()


@pytest.fixture
def offline() -> Offline:
    """The record of requests that left 127.0.0.1/localhost: ``page`` blocks them all (its
    map iframe's included) and records them here."""
    return Offline()


@pytest.fixture
def page(context, offline: Offline, server: Server, request: pytest.FixtureRequest):
    """A new page of the app, every outside request blocked; a screenshot on failure.

    A JavaScript error anywhere on the page (the map's own script included) fails the test.
    """
    errors: list[str] = []
    pg = new_page(context, server.url, offline, errors)
    yield pg
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed and not pg.is_closed():
        shot = screenshot_path(request.node.name, "failed")
        pg.screenshot(path=str(shot), full_page=True)
        # Streamlit scrolls inside its own container, so the screenshot shows the top only:
        # the page's whole text goes beside it.
        shot.with_suffix(".txt").write_text(pg.locator("body").inner_text(), encoding="utf-8")
    pg.close()
    server.assert_alive()
    assert errors == [], f"JavaScript errors on the page: {errors}"


def screenshot_path(test_name: str, suffix: str = "") -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", test_name).strip("_")
    return SCREENSHOTS / f"{name}{'-' + suffix if suffix else ''}.png"


@pytest.fixture
def screenshot(page, request: pytest.FixtureRequest):
    """Call to save the page as tests/browser/screenshots/<test-name>.png."""

    def take(full_page: bool = True) -> Path:
        path = screenshot_path(request.node.name)
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    if report.when == "call":
        item.rep_call = report  # type: ignore[attr-defined]
    return report
