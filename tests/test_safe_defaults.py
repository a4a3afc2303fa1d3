"""Deployment defaults: local-only server, no error details in the browser, private files."""

from __future__ import annotations

import tomllib

from .conftest import ROOT


def test_streamlit_listens_locally_and_hides_error_details():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["address"] == "127.0.0.1"
    assert config["client"]["showErrorDetails"] == "none"


def test_make_run_binds_to_localhost_unless_told_otherwise():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "ADDRESS ?= 127.0.0.1" in makefile
    assert "--server.address $(ADDRESS)" in makefile


def test_readme_sends_security_headers_to_the_reverse_proxy():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for needed in ("frame-ancestors", "X-Frame-Options", "reverse proxy", "audit-key"):
        assert needed in readme, needed
