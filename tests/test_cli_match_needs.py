"""`python -m directory match` with road minutes and every need issue 16 lets a caseworker say."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import copy_demo
from .test_cli import cli

BASE = ("match", "--from", "Vaslui", "--age", "15", "--needs", "legal_aid", "--limit", "50")


@pytest.fixture(scope="module")
def demo_db(demo_template, tmp_path_factory) -> Path:
    return copy_demo(demo_template, tmp_path_factory.mktemp("cli_needs") / "demo.db")


def run(db: Path, *args: str) -> dict:
    result = cli(*BASE, *args, "--json", db=db)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def matches(report: dict) -> list[dict]:
    return report["needs"][0]["matches"]


def test_minutes_are_by_road_and_max_min_limits_them(demo_db):
    wide = matches(run(demo_db))
    assert {m["method"] for m in wide} == {"road"}
    assert all(m["minutes"] > 0 for m in wide)
    near = run(demo_db, "--max-min", "60")
    assert matches(near) and all(m["minutes"] <= 60 for m in matches(near))
    assert len(matches(near)) < len(wide)
    # The rest are excluded by the time limit, which says so in minutes.
    too_far = [e for e in near["needs"][0]["excluded"] if e["rule"] == "too_far"]
    assert too_far or len(near["needs"][0]["excluded"]) == 50


def test_max_km_and_max_min_cannot_both_be_given(demo_db):
    result = cli(*BASE, "--max-km", "50", "--max-min", "60", db=demo_db)
    assert result.returncode != 0 and "not allowed with" in result.stderr


def test_text_shows_road_minutes_estimated_on_main_roads(demo_db):
    result = cli(*BASE, "--lang", "en", "--limit", "2", db=demo_db)
    assert result.returncode == 0, result.stderr
    assert "min by road (estimated, main roads)" in result.stdout


def test_an_avoid_circle_excludes_by_its_rule(demo_db):
    report = run(demo_db, "--avoid", "46.64,27.73,10")
    rules = {e["rule"] for e in report["needs"][0]["excluded"]}
    assert "avoid_area" in rules
    assert all(m["location_precision"] != "exact" or m["km"] > 5 for m in matches(report))


def test_an_avoid_place_needs_its_radius(demo_db):
    result = cli(*BASE, "--avoid-place", "Vaslui", db=demo_db)
    assert result.returncode != 0 and "--avoid-km" in result.stderr
    report = run(demo_db, "--avoid-place", "Vaslui", "--avoid-km", "10")
    assert "avoid_area" in {e["rule"] for e in report["needs"][0]["excluded"]}


def test_a_bad_avoid_circle_says_how_to_write_it(demo_db):
    result = cli(*BASE, "--avoid", "46.6,27.7", db=demo_db)
    assert result.returncode != 0 and "LAT,LON,KM" in result.stderr


def test_interpreter_requirement_is_a_hard_rule(demo_db):
    plain = run(demo_db, "--languages", "uk")
    strict = run(demo_db, "--languages", "uk", "--requirements", "interpreter", "--lang", "en")
    assert len(matches(strict)) < len(matches(plain))
    for m in matches(strict):  # every match speaks Ukrainian or offers an interpreter
        assert any("Ukrainian" in r for r in m["reasons"])
    assert "interpreter" in {e["rule"] for e in strict["needs"][0]["excluded"]}


def test_exploitation_type_is_said_in_the_reasons(demo_db):
    report = run(demo_db, "--exploitation", "labour", "--lang", "en")
    said = " ".join(r for m in matches(report) for r in m["reasons"])
    assert "trafficking" in said.lower()


def test_waitlist_option_is_accepted(demo_db):
    report = run(demo_db, "--waitlist", "--needs", "shelter_emergency")
    assert report["needs"][0]["need"] == "shelter_emergency"


def test_fits_and_gaps_apart(demo_db):
    report = run(demo_db, "--lang", "en", "--languages", "uk")
    m = matches(report)[0]
    assert m["fits"] and m["gaps"]
    assert set(m["fits"]) | set(m["gaps"]) == set(m["reasons"])
    assert any(r.startswith("Takes children") for r in m["fits"])
    assert any("No staff speak Ukrainian" in r for r in m["gaps"])
