"""Rules of the codebase that a reviewer would otherwise have to remember."""

from __future__ import annotations

import ast
import re

import pytest

from directory.settings import SETTINGS, Settings

from .conftest import ROOT


def _imports(path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", ["directory", "matching", "travel", "gaps"])
def test_core_packages_never_import_streamlit(package):
    for path in (ROOT / package).rglob("*.py"):
        assert "streamlit" not in _imports(path), path


@pytest.mark.parametrize("package", ["matching", "travel", "gaps"])
def test_pure_packages_import_no_storage_network_or_directory(package):
    for path in (ROOT / package).rglob("*.py"):
        forbidden = {"sqlite_utils", "sqlite3", "requests", "urllib", "httpx", "streamlit"}
        assert not _imports(path) & forbidden, path
        # The shared vocabularies and error types are the only part of directory/ they use.
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("directory"):
                assert node.module in ("directory", "directory.vocab", "directory.errors"), path
                if node.module == "directory":
                    assert {a.name for a in node.names} <= {"vocab", "errors"}, path


def test_travel_is_pure():
    """The travel seam is shared by matching and coverage: numpy only, no app code."""
    allowed = {"__future__", "dataclasses", "numpy", "typing", "collections", "math"}
    allowed |= {"functools", "pathlib", "pandas", "scipy"}  # roads.py reads and searches the graph
    for path in (ROOT / "travel").rglob("*.py"):
        assert _imports(path) <= allowed, (path, _imports(path) - allowed)


def test_matching_gets_distance_only_from_the_travel_seam():
    for path in (ROOT / "matching").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"np\.(arcsin|sin|cos)\(|ROAD_FACTOR|AVERAGE_KMH", text), path


def test_each_setting_is_declared_once_with_its_help():
    from dataclasses import fields

    assert [s.name for s in SETTINGS] == [f.name for f in fields(Settings)]
    assert all(s.help and s.default == getattr(Settings(), s.name) for s in SETTINGS)
    policy = Settings.from_env({"PUNTE_CAPACITY_STALE_DAYS": "3"}).match_policy()
    assert (policy.capacity_stale_days, policy.assured_stale_days) == (3, 90)


def test_rank_repeats_no_setting_default():
    import inspect

    from matching.care_plan import care_plan
    from matching.rank import rank

    for fn in (rank, care_plan):
        params = inspect.signature(fn).parameters
        assert "policy" in params and not {"capacity_stale_days", "assured_stale_days"} & set(
            params
        )


def test_every_setting_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for s in SETTINGS:
        row = re.search(rf"^\| `{s.env}` \| (.*) \| (.*) \|$", readme, re.M)
        assert row, f"{s.env} is missing from the README's configuration table"
        assert s.help in row.group(2), s.env


def test_settings_from_environment():
    settings = Settings.from_env({"PUNTE_CAPACITY_STALE_DAYS": "7", "PUNTE_DB": "/x.db"})
    assert (settings.capacity_stale_days, settings.db) == (7, "/x.db")
    assert Settings.from_env({}).coverage_thresholds_km == "25,50,100"
    with pytest.raises(ValueError, match="PUNTE_LOCKOUT_MINUTES='soon' is not a valid int"):
        Settings.from_env({"PUNTE_LOCKOUT_MINUTES": "soon"})


def test_no_cedilla_diacritics_in_user_text():
    for path in [*(ROOT / "locale").glob("*.po"), ROOT / "README.md"]:
        text = path.read_text(encoding="utf-8")
        assert not re.search("[şţŞŢ]", text), path
