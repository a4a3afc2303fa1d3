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
