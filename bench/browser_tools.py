"""What the browser benchmarks need: the test server helpers, Debian's chromium, playwright.

Shared so each benchmark says "skipped" the same way on a machine that lacks one of them.
"""

from __future__ import annotations

import sys
from types import ModuleType
from typing import Any


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
