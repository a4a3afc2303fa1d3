"""What the browser benchmarks need: the test server helpers, Debian's chromium, playwright.

Shared so each benchmark says "skipped" the same way on a machine that lacks one of them.
"""

from __future__ import annotations

import sys
from types import ModuleType
from typing import Any

# Inside a page function that has ``app`` (the stApp element) and ``bench`` ({ran: false}):
# sets ``bench.ran`` once a script run starts. Every change is a record with its old value,
# so "running" is seen even when a run starts and ends between two callbacks.
WATCH_RUNS_JS = """
  if (window.__benchObserver) window.__benchObserver.disconnect();
  window.__benchObserver = new MutationObserver(records => {
    for (const r of records) {
      if (r.oldValue === 'running' || r.target.getAttribute(r.attributeName) === 'running') {
        bench.ran = true;
      }
    }
  });
  window.__benchObserver.observe(app, {
    attributes: true, attributeOldValue: true, attributeFilter: ['data-test-script-state']});
"""


def browser_tools(name: str) -> tuple[ModuleType, Any] | None:
    """(tests.browser.server, sync_playwright), or None after saying on stderr what is missing."""

    def skipped(why: str) -> None:
        print(f"{name}: skipped: {why}", file=sys.stderr, flush=True)

    try:
        from tests.browser import server
    except ImportError as e:  # pragma: no cover - a checkout without the tests folder
        skipped(str(e))
        return None
    if not server.CHROMIUM.exists():
        skipped(f"{server.CHROMIUM} is missing (install Debian's chromium)")
        return None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skipped("playwright is not installed")
        return None
    return server, sync_playwright
