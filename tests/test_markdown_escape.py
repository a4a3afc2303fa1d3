"""md(): provider and user text is inert in Streamlit markdown (links, images, autolinks)."""

from __future__ import annotations

import re
import string

import pytest

from ui.widgets import WORD_JOINER, md

HOSTILE = [
    "[x](https://example.org)",
    "![p](https://example.org/p.png)",
    "https://example.org/a",
    "www.example.org",
    "intake@example.org",
    "<img src=https://example.org/i>",
    ":red[x] :material/home: :smile:",
    "**bold** _it_ ~~s~~ `code` $x^2$ # h | a | b |",
    "line one\n# heading\n- item",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_every_markdown_special_is_escaped(text):
    out = md(text)
    unescaped = re.sub(r"\\.", "", out)  # drop every escaped pair; what is left is plain
    assert not set(unescaped) & set(string.punctuation)
    assert "\n" not in out


@pytest.mark.parametrize("text", ["https://example.org", "HTTP://x.ro", "www.x.ro", "a@b.ro"])
def test_autolink_patterns_are_broken_invisibly(text):
    out = md(text)
    assert WORD_JOINER in out
    assert re.sub(r"\\(.)", r"\1", out).replace(WORD_JOINER, "") == text


def test_a_revealed_hostile_address_is_shown_as_text(monkeypatch, tmp_path, demo_template):
    """AppTest: the listings reveal puts a hostile address and locality into st.success."""
    import sqlite3
    from datetime import UTC, datetime

    from streamlit.testing.v1 import AppTest

    from tests.conftest import copy_demo
    from ui.registry import PAGES

    db = copy_demo(demo_template, tmp_path / "demo.db")
    hostile = "[x](https://example.org) ![p](https://example.org/p.png)"
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE location SET address_1 = ?, locality = ?", [hostile, hostile])
    monkeypatch.setenv("PUNTE_DB", str(db))
    spec = next(p for p in PAGES if p.slug == "listings")
    at = AppTest.from_file(str(spec.path), default_timeout=60)
    at.session_state["lang"] = "ro"
    at.session_state["auth"] = {
        "username": "demo-coordinator",
        "last_seen": datetime.now(UTC).isoformat(),
    }
    at.run()
    at.text_input(key="listings_reveal_reason").input("plasament în urgență")
    from directory.i18n import translate

    reveal = next(b for b in at.button if b.label == translate("reveal.submit", "ro"))
    at = reveal.click().run()
    message = next(m.value for m in at.success if "example" in m.value)
    assert "](" not in message and "![" not in message  # every bracket escaped
    assert re.sub(r"\\(.)", r"\1", message).replace(WORD_JOINER, "").count(hostile) == 2
