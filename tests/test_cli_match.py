"""`python -m directory match` and `purge`, run in a subprocess on a real demo database."""

from __future__ import annotations

import getpass
import json
import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from directory.models import User
from directory.referrals import workflow as referrals
from directory.storage.store import Store

from .conftest import copy_demo
from .test_cli import cli

VASLUI = (
    "match", "--from", "Vaslui", "--age", "15", "--gender", "female", "--languages", "ro,rom",
    "--needs", "shelter_emergency,legal_aid,psychological_counselling", "--urgency", "emergency",
)  # fmt: skip
NEEDS = ["shelter_emergency", "legal_aid", "psychological_counselling"]


@pytest.fixture(scope="module")
def demo_db(demo_template, tmp_path_factory) -> Path:
    return copy_demo(demo_template, tmp_path_factory.mktemp("cli_match") / "demo.db")


@pytest.fixture(scope="module")
def plan(demo_db) -> dict:
    result = cli(*VASLUI, "--json", db=demo_db)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return json.loads(result.stdout)


def locations(db: Path) -> dict[str, tuple[str, float, float]]:
    conn = sqlite3.connect(str(db))
    try:
        rows = conn.execute("SELECT id, disclosure, latitude, longitude FROM location")
        return {r[0]: (r[1], r[2], r[3]) for r in rows}
    finally:
        conn.close()


def reveal_rows(db: Path) -> list[tuple[str, str, str]]:
    conn = sqlite3.connect(str(db))
    try:
        return conn.execute(
            "SELECT actor, entity_id, reason FROM audit_log WHERE action = 'reveal' ORDER BY id"
        ).fetchall()
    finally:
        conn.close()


def all_matches(report: dict) -> list[dict]:
    return [m for item in report["needs"] for m in item["matches"]] + [
        item["choice"] for item in report["needs"] if item["choice"]
    ]


def test_json_plan_has_every_need_in_plan_order(plan):
    assert plan["origin"]["label"] == "Vaslui (municipiu, Vaslui)"
    assert [item["need"] for item in plan["needs"]] == NEEDS
    assert plan["unmet"] == []
    assert plan["total_km"] >= 0
    for item in plan["needs"]:
        choice = item["choice"]
        assert choice is not None, item["need"]
        assert choice["service_type"] == item["need"]
        assert item["unmet_reason"] is None
        assert (
            item["matches"]
            and item["matches"][0]["service_at_location_id"] == (choice["service_at_location_id"])
        )
        for m in [choice, *item["matches"]]:
            assert m["reasons"], m
            assert all(isinstance(r, str) and r.strip() for r in m["reasons"])
            assert 0 <= m["score"] <= 1
            assert m["km"] <= 200
        scores = [m["score"] for m in item["matches"]]
        assert scores == sorted(scores, reverse=True)
        assert item["excluded"], item["need"]
        for e in item["excluded"]:
            assert e["rule"] and isinstance(e["rule"], str)
            assert e["reason"].strip()
            assert e["service_at_location_id"].startswith("demo-sal-")
    assert plan["needs"][0]["ranked_from"] == "origin"
    assert [item["ranked_from"] for item in plan["needs"][1:]] == ["shelter", "shelter"]


def test_json_reasons_in_english(demo_db, plan):
    result = cli(*VASLUI, "--json", "--lang", "en", db=demo_db)
    assert result.returncode == 0, result.stderr
    english = json.loads(result.stdout)
    assert [i["need"] for i in english["needs"]] == NEEDS
    ro_reasons = plan["needs"][0]["choice"]["reasons"]
    en_reasons = english["needs"][0]["choice"]["reasons"]
    assert len(en_reasons) == len(ro_reasons) and en_reasons != ro_reasons


@pytest.mark.parametrize(
    "lang, headings, why_not, total",
    [
        (
            None,
            ["Centru de primire în regim de urgență", "Asistență juridică",
             "Consiliere psihologică"],
            "De ce nu:",
            "Distanță totală:",
        ),
        (
            "en",
            ["Emergency shelter", "Legal aid", "Psychological counselling"],
            "Why not:",
            "Total distance:",
        ),
    ],
)  # fmt: skip
def test_text_output(demo_db, lang, headings, why_not, total):
    result = cli(*VASLUI, *(["--lang", lang] if lang else []), db=demo_db)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("Vaslui (municipiu, Vaslui)\n")
    assert total in out
    positions = [out.index(f"== {h} ==") for h in headings]
    assert positions == sorted(positions)  # shelter first, as in the plan
    assert out.count(why_not) == 3
    assert "  1. " in out and "       ✓ " in out and "       ⚠ " in out  # fits and gaps apart
    assert "≈" in out  # generalised sites are marked as approximate


def test_confidential_sites_are_generalised_without_reveal(demo_db, plan):
    where = locations(demo_db)
    matches = all_matches(plan)
    hidden = [m for m in matches if where[m["location_id"]][0] != "public"]
    assert hidden, "the Vaslui plan should include a confidential site"
    for m in matches:
        disclosure, lat, lon = where[m["location_id"]]
        if disclosure == "public":
            assert m["location_precision"] == "exact"
            assert (m["latitude"], m["longitude"]) == (round(lat, 5), round(lon, 5))
        else:
            assert m["location_precision"] == "generalised", m
            assert (m["latitude"], m["longitude"]) != (round(lat, 5), round(lon, 5))


def test_reveal_with_a_reason_shows_exact_points_and_logs(demo_db):
    before = reveal_rows(demo_db)
    result = cli(*VASLUI, "--json", "--reveal", "--reason", "court order", db=demo_db)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    where = locations(demo_db)
    for m in all_matches(report):
        assert m["location_precision"] == "exact"
        _, lat, lon = where[m["location_id"]]
        assert (m["latitude"], m["longitude"]) == (round(lat, 5), round(lon, 5))
    confidential = {
        m["location_id"] for m in all_matches(report) if where[m["location_id"]][0] != "public"
    }
    assert confidential
    new = reveal_rows(demo_db)[len(before) :]
    assert {entity_id for _, entity_id, _ in new} == confidential
    assert len(new) == len(confidential)  # one row per site, not per service
    # The operating-system user who ran it, not a shared "cli".
    actor = "os:" + getpass.getuser()
    assert all(a == actor and reason == "court order" for a, _, reason in new)
    with Store(demo_db) as store:
        assert store.verify_audit().ok


@pytest.mark.parametrize("reason", [None, "", "   ", "x", "abcd", "  ab  "])
def test_reveal_needs_a_reason(demo_db, reason):
    before = reveal_rows(demo_db)
    extra = [] if reason is None else ["--reason", reason]
    result = cli(*VASLUI, "--reveal", *extra, db=demo_db)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith("error: --reason")
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr
    assert reveal_rows(demo_db) == before


@pytest.mark.parametrize(
    "args, fragments",
    [
        (
            # Two communes of that name (Alba, Bihor): comparable, so the county is asked for.
            ["--from", "Avram Iancu", "--needs", "legal_aid"],
            ["--from", "Alba", "Bihor", "add the county"],
        ),
        (["--from", "Qxzzyvw Kkq", "--needs", "legal_aid"], ["No Romanian locality matches"]),
        (["--from", "Vaslui", "--needs", "legal_aid,shelterx"], ["needs", "shelterx"]),
        (["--from", "Vaslui", "--needs", "legal_aid", "--languages", "zz"], ["languages"]),
        (["--from", "Vaslui", "--needs", "legal_aid", "--max-km", "-5"], ["max_km"]),
    ],
)
def test_bad_input_is_a_one_line_error(demo_db, args, fragments):
    result = cli("match", "--age", "15", *args, db=demo_db)
    assert result.returncode == 1, result.stdout
    assert result.stdout == ""
    assert result.stderr.startswith("error: ")
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, (fragment, result.stderr)


def test_county_settles_an_ambiguous_locality(demo_db):
    result = cli(
        "match", "--from", "Sfantu Gheorghe, jud. Tulcea", "--age", "15", "--needs", "legal_aid",
        "--json", db=demo_db,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["origin"]["label"] == "Sfântu Gheorghe (comună, Tulcea)"


def test_match_help():
    result = cli("match", "--help")
    assert result.returncode == 0
    assert "--reveal" in result.stdout and "--reason" in result.stdout


# ---- purge ----------------------------------------------------------------------------------


@pytest.fixture
def purge_db(demo_db, tmp_path) -> Path:
    """A copy of the demo database with two old closed referrals and one open one."""
    path = tmp_path / "purge.db"
    source, target = sqlite3.connect(str(demo_db)), sqlite3.connect(str(path))
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()
    # The audit key is kept beside a database, never in it: the copy needs its own.
    shutil.copy(
        demo_db.with_name(demo_db.name + ".audit-key"), path.with_name(path.name + ".audit-key")
    )
    old = datetime.now(UTC).replace(microsecond=0) - timedelta(days=3)
    with Store(path) as store:
        caseworker = store.get(User, "demo-caseworker")
        admin = store.get(User, "demo-admin")

        def send(code: str):
            draft = referrals.Draft(
                case_code=code, service_at_location_id="demo-sal-001", needs=("legal_aid",),
                age=15, urgency="routine", gender=None, languages=("ro",), requirements=(),
                max_km=200.0, score=0.5, reasons=("test",), consent_fields=("age", "needs"),
            )  # fmt: skip
            return referrals.create(store, caseworker, draft, now=old)

        referrals.change_status(store, admin, send("VS-2026-0001"), "cancelled", now=old)
        referrals.change_status(
            store, admin, send("VS-2026-0002"), "declined", reason_code="other", now=old
        )
        send("VS-2026-0003")
    return path


def test_purge_days_zero(purge_db):
    result = cli("purge", "--days", "0", db=purge_db)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Purged 2 closed referrals")
    with Store(purge_db) as store:
        assert [r["case_code"] for r in store.db["referral"].rows] == ["VS-2026-0003"]
        rows = list(store.db.query("SELECT * FROM audit_log WHERE action = 'purge'"))
        assert len(rows) == 1
        assert len(json.loads(rows[0]["before"])["ids"]) == 2
        assert "VS-2026" not in json.dumps(rows)
        assert store.verify_audit().ok
    again = cli("purge", "--days", "0", db=purge_db)
    assert again.returncode == 0
    assert again.stdout.startswith("Purged 0 closed referrals")


def test_purge_default_retention_keeps_recent(purge_db):
    result = cli("purge", db=purge_db)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Purged 0 closed referrals older than 365 days")
    with Store(purge_db) as store:
        assert store.db["referral"].count == 3


def test_purge_negative_days_is_an_error(purge_db):
    result = cli("purge", "--days", "-1", db=purge_db)
    assert result.returncode == 1
    assert result.stderr.startswith("error: --days")
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr
    with Store(purge_db) as store:
        assert store.db["referral"].count == 3
