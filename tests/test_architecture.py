"""Only directory/storage/ runs SQL: everything else calls named store methods.

The seam is where another database (PostgreSQL) will plug in, so no SQL text, no cursor call
and no reach into ``store.db`` may cross it.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from .conftest import ROOT

# Code that may run SQL, and code that tests or measures it from outside.
EXEMPT = ("directory/storage/", "tests/", "bench/", ".venv/")
# Keywords in capitals, as this codebase writes SQL; prose ("select one from the list") passes.
SQL_TEXT = re.compile(
    r"\bSELECT\b.*\bFROM\b|\bINSERT\s+INTO\b|\bUPDATE\s+\S+\s+SET\b|\bDELETE\s+FROM\b"
    r"|\bCREATE\s+(TABLE|INDEX|TRIGGER)\b|\bPRAGMA\b",
    re.DOTALL,
)
SQL_CALLS = {"execute", "executemany", "executescript", "query"}
# `.db` is also the settings field holding the database *path*; reading that is fine.
PATH_HOLDERS = {"cfg", "settings", "args", "config"}


def _holds_path(node: ast.expr) -> bool:
    if isinstance(node, ast.Name):
        return node.id in PATH_HOLDERS
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return node.func.id == "settings"  # ui.context.settings()
    return False


def violations(source: str) -> list[str]:
    """Every SQL-ish use in ``source``: a SQL call, a reach into ``.db``, or SQL text."""
    found = []
    for node in ast.walk(ast.parse(source)):
        line = getattr(node, "lineno", 0)
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in SQL_CALLS
            and not _is_spatial_query(node)
        ):
            found.append(f"{line}: .{node.func.attr}(")
        if isinstance(node, ast.Attribute) and node.attr == "db" and not _holds_path(node.value):
            found.append(f"{line}: .db")
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and SQL_TEXT.search(node.value)
        ):
            found.append(f"{line}: SQL text {node.value[:40]!r}")
    return found


def _is_spatial_query(call: ast.Call) -> bool:
    # shapely's STRtree.query(geometry, predicate=...) and scipy's cKDTree.query(points) are
    # spatial index lookups, not SQL: a keyword `predicate`, or a receiver named for a tree.
    func = call.func
    assert isinstance(func, ast.Attribute)
    receiver = ast.unparse(func.value).rsplit(".", 1)[-1].lower()
    return func.attr == "query" and (
        any(k.arg == "predicate" for k in call.keywords) or receiver.endswith("tree")
    )


def _python_files() -> list[Path]:
    return sorted(
        p for p in ROOT.rglob("*.py") if not p.relative_to(ROOT).as_posix().startswith(EXEMPT)
    )


@pytest.mark.parametrize("path", _python_files(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_only_storage_runs_sql(path: Path) -> None:
    assert violations(path.read_text(encoding="utf-8")) == [], path


@pytest.mark.parametrize(
    "planted",
    [
        'rows = store.db.query("SELECT 1")',
        "store.db['referral'].insert({})",
        "with s.db.atomic():\n    pass",
        'conn.execute("VACUUM")',
        "cur.executemany(sql, rows)",
        'sql = "SELECT id FROM referral WHERE status = ?"',
        'sql = """SELECT id\n   FROM referral"""',
        'x = "INSERT INTO audit_log (id) VALUES (1)"',
        'x = f"UPDATE referral SET status = {s}"',
        'x = "DELETE FROM referral_event"',
        "backup(store.db)",
    ],
)
def test_the_check_catches_a_planted_violation(planted: str) -> None:
    assert violations(planted), planted


@pytest.mark.parametrize(
    "clean",
    [
        "Store(settings().db)",
        "data_version(cfg.db)",
        "store.referrals_visible_to(user)",
        'st.caption(t("ref.select_from_list"))',
        "tree.query(point, predicate='intersects')",
        'msg = "Select the services to update from the list"',
    ],
)
def test_the_check_lets_clean_code_pass(clean: str) -> None:
    assert violations(clean) == [], clean


def test_the_check_fails_on_a_planted_file(tmp_path: Path) -> None:
    """The same check the suite runs on the tree, run on a page with SQL planted in it."""
    page = tmp_path / "page.py"
    page.write_text(
        "from ui.context import store\n"
        "with store() as s:\n"
        '    n = s.db.execute("SELECT COUNT(*) FROM location").fetchone()[0]\n',
        encoding="utf-8",
    )
    with pytest.raises(AssertionError):
        test_only_storage_runs_sql(page)
