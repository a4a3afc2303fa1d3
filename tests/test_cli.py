"""The admin command line, run as a user runs it, on a real database (a SQLite file and a
PostgreSQL database: fixtures taking ``db_url`` or ``demo_db`` run on both). Commands run
through the entry point's ``main()`` in this process; the entry point itself is run in a
subprocess too (``process=True``)."""

from __future__ import annotations

import argparse
import ast
import contextlib
import io
import json
import logging
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from directory.cli.main import build_parser, main
from directory.storage.store import Store

from .conftest import BACKENDS, new_database

ROOT = Path(__file__).resolve().parent.parent


def cli(
    *args: str,
    db: Path | str | None = None,
    stdin: str | None = None,
    env_db: Path | None = None,
    env_url: str | None = None,
    extra_env: dict[str, str] | None = None,
    process: bool = False,
) -> Ran:
    """``python -m directory ARGS`` with its own environment, output and exit code.

    In this process by default: the same parser, handlers and error handling as the entry
    point, without the 1.3 s of interpreter start and imports each command paid in a
    subprocess (about 200 calls in the suite). ``process=True`` runs a real subprocess: the
    tests of the entry point itself do (exit codes, ``python -m``).
    """
    env = {**os.environ, "PYTHONPATH": str(ROOT), **(extra_env or {})}
    env.pop("PUNTE_DB", None)
    env.pop("PUNTE_DATABASE_URL", None)
    if env_db:
        env["PUNTE_DB"] = str(env_db)
    if env_url:
        env["PUNTE_DATABASE_URL"] = env_url
    argv = [*args, *(["--db", str(db)] if db else [])]
    if process:
        done = subprocess.run(
            [sys.executable, "-m", "directory", *argv],
            cwd=ROOT, env=env, input=stdin, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        return Ran(argv, done.returncode, done.stdout, done.stderr)
    return run_in_process(argv, env, stdin)


@dataclass(frozen=True)
class Ran:
    """What a command did, in the shape of ``subprocess.CompletedProcess``."""

    args: list[str]
    returncode: int
    stdout: str
    stderr: str


def run_in_process(argv: list[str], env: dict[str, str], stdin: str | None) -> Ran:
    out, err = io.StringIO(), io.StringIO()
    saved_env, saved_stdin = dict(os.environ), sys.stdin
    os.environ.clear()
    os.environ.update(env)
    # No stdin is not a terminal either: a prompt is refused as it is in a pipe.
    sys.stdin = io.StringIO(stdin or "")
    try:
        with (
            contextlib.chdir(ROOT),
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(err),
            _log_to(err),
        ):
            try:
                code = main(argv)
            except SystemExit as e:  # argparse: --help (0) or a usage error (2)
                code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    finally:
        os.environ.clear()
        os.environ.update(saved_env)
        sys.stdin = saved_stdin
    return Ran(argv, code, out.getvalue(), err.getvalue())


@contextlib.contextmanager
def _log_to(stream: io.StringIO):
    """Warnings reach the command's stderr as they do in a process (Python's last resort)."""
    handler = logging.StreamHandler(stream)
    handler.setLevel(logging.WARNING)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield
    finally:
        root.removeHandler(handler)


@pytest.fixture(scope="module", params=BACKENDS)
def demo_db(request, tmp_path_factory) -> str:
    db = new_database(request, request.param, tmp_path_factory.mktemp("cli"))
    result = cli("demo", "--today", "2026-11-23", "--quiet", db=db)
    assert result.returncode == 0, result.stderr
    assert "480 fictional services" in result.stdout
    assert "demo-caseworker" in result.stdout
    return db


def command_paths(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()):
    """Every command and command group the parser knows, e.g. ("users",), ("users", "add")."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield (*prefix, name)
                yield from command_paths(sub, (*prefix, name))


def runnable_commands() -> list[tuple[str, ...]]:
    """The commands that do something: groups such as `users` only hold them."""
    paths = list(command_paths(build_parser()))
    return [p for p in paths if not any(q[: len(p)] == p and q != p for q in paths)]


def _cli_calls_in_tests() -> list[tuple[str, ...]]:
    """The leading words of every `cli(...)` call in the CLI tests (constants resolved)."""
    calls = []
    for path in sorted(Path(__file__).parent.rglob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = {
            t.id: ast.literal_eval(node.value)
            for node in tree.body
            if isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Tuple)
            and all(isinstance(e, ast.Constant) for e in node.value.elts)
            for t in node.targets
            if isinstance(t, ast.Name)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "cli":
                words: list[str] = []
                for arg in node.args:
                    if isinstance(arg, ast.Starred) and isinstance(arg.value, ast.Name):
                        words += [str(w) for w in constants.get(arg.value.id, ())]
                    elif isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        words.append(arg.value)
                    else:
                        break
                if "--help" not in words:
                    calls.append(tuple(words))
    return calls


def test_the_command_list_comes_from_the_parser():
    commands = runnable_commands()
    assert {("init",), ("match",), ("purge",), ("users", "add"), ("audit", "verify")} <= set(
        commands
    )
    assert ("users",) not in commands  # a group, not a command
    calls = _cli_calls_in_tests()
    assert ("match", "--from", "Vaslui") in {c[:3] for c in calls}  # a constant, resolved
    assert not any(c[:1] == ("frobnicate",) for c in calls)  # so a missing test would show


@pytest.mark.parametrize("command", runnable_commands(), ids=" ".join)
def test_every_command_has_a_test(command):
    calls = _cli_calls_in_tests()
    assert any(call[: len(command)] == command for call in calls), (
        f"no test runs `python -m directory {' '.join(command)}`"
    )


@pytest.mark.parametrize("command", [(), *command_paths(build_parser())], ids=" ".join)
def test_every_subcommand_has_help(command):
    result = cli(*command, "--help")
    assert result.returncode == 0, command
    assert "usage: python -m directory" in result.stdout


def test_init_creates_a_database(db_url):
    result = cli("init", db=db_url)
    assert result.returncode == 0
    assert "Database ready" in result.stdout
    with Store(db_url) as store:
        assert store.is_empty()


def test_db_path_from_environment(tmp_path):
    assert cli("init", env_db=tmp_path / "env.db").returncode == 0
    assert (tmp_path / "env.db").exists()


def test_database_url_wins_over_the_file(request, tmp_path):
    url = new_database(request, "postgresql", tmp_path)
    result = cli("init", env_db=tmp_path / "env.db", env_url=url)
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "env.db").exists()
    assert "postgresql://" in result.stdout
    with Store(url) as store:
        assert store.is_empty()


def test_an_unreachable_server_is_one_line():
    result = cli("stats", db="postgresql://punte:pw@127.0.0.1:1/none")
    assert result.returncode == 1
    assert result.stderr.startswith("error: Cannot connect to PostgreSQL")
    assert "pw@" not in result.stderr and "Traceback" not in result.stderr


def test_demo_refuses_a_non_empty_database(demo_db):
    result = cli("demo", "--quiet", db=demo_db)
    assert result.returncode == 1
    assert result.stderr.startswith("error: ")
    assert "--replace" in result.stderr
    assert "Traceback" not in result.stderr


def test_demo_if_empty_leaves_the_directory(demo_db):
    result = cli("demo", "--if-empty", "--quiet", db=demo_db)
    assert result.returncode == 0
    assert "left as it is" in result.stdout


def test_demo_replace_reloads(db_url):
    db = db_url
    assert cli("demo", "--quiet", db=db).returncode == 0
    result = cli("demo", "--replace", "--quiet", db=db)
    assert result.returncode == 0, result.stderr
    with Store(db) as store:
        assert store.counts()["service"] == 480
        assert store.db["user"].count == 4
        assert store.verify_audit().ok


def test_stats_json(demo_db):
    result = cli("stats", "--json", db=demo_db)
    counts = json.loads(result.stdout)
    assert counts["service"] == 480
    assert counts["demo"] == 480
    assert counts["user"] == 4


def test_geocode_json():
    result = cli("geocode", "Sfantu Gheorghe, jud. Tulcea", "--json")
    assert result.returncode == 0, result.stderr
    first = json.loads(result.stdout)["candidates"][0]
    assert (first["name"], first["county_code"]) == ("Sfântu Gheorghe", "TL")


def test_geocode_not_found_suggests():
    result = cli("geocode", "Vasluiu Nord Kq")
    assert result.returncode == 1
    assert result.stderr.startswith("error: No Romanian locality matches")
    assert "Did you mean: Vaslui (municipiu, Vaslui)" in result.stderr
    assert "Traceback" not in result.stderr


def test_export_csv_generalises_confidential_sites(demo_db, tmp_path):
    out = tmp_path / "export.csv"
    result = cli("export", "--format", "csv", "--output", str(out), db=demo_db)
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert text.splitlines()[0].startswith("service_at_location_id,service_id,service_name")
    assert "generalised" in text
    with Store(demo_db) as store:
        hidden = store.db.execute(
            "SELECT latitude FROM location WHERE disclosure != 'public'"
        ).fetchall()
    exact_secret_lats = {f"{lat:.6f}" for (lat,) in hidden}
    import csv

    for row in csv.DictReader(out.open(encoding="utf-8")):
        if row["location_precision"] == "generalised":
            assert f"{float(row['latitude']):.6f}" not in exact_secret_lats


def test_export_json(demo_db):
    result = cli("export", "--format", "json", db=demo_db)
    rows = json.loads(result.stdout)
    assert len(rows) == 480
    assert {"service_name", "languages", "latitude"} <= set(rows[0])


def test_backup(demo_db, tmp_path):
    target = tmp_path / "backup.db"
    assert cli("backup", str(target), db=demo_db).returncode == 0
    if demo_db.startswith("postgresql://"):  # pg_dump's custom format; restored in test_pg_store
        assert target.read_bytes()[:5] == b"PGDMP"
    else:
        assert target.stat().st_mode & 0o777 == 0o600
        key = Path(str(demo_db) + ".audit-key").read_text().strip().encode()
        with Store(target, audit_key=key) as copy:
            assert copy.counts()["service"] == 480
            assert copy.verify_audit().ok
    again = cli("backup", str(target), db=demo_db)
    assert again.returncode == 1 and "already exists" in again.stderr


def test_users_add_hashes_the_password(db_url):
    db = db_url
    cli("init", db=db)
    result = cli(
        "users", "add", "ana.pop", "--role", "admin", "--password-stdin", db=db,
        stdin="correct horse battery\n",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    if not db.startswith("postgresql://"):
        raw = Path(db).read_bytes() + (
            Path(db + "-wal").read_bytes() if Path(db + "-wal").exists() else b""
        )
        assert b"correct horse battery" not in raw
    with Store(db) as store:
        row = next(store.db.query("SELECT * FROM \"user\" WHERE username = 'ana.pop'"))
        assert row["password_hash"].startswith("$argon2id$")
        assert "correct horse" not in str(row)
        assert "password_hash" not in store.db.execute("SELECT after FROM audit_log").fetchone()[0]


@pytest.mark.parametrize(
    "args, message",
    [
        (["users", "add", "Ana Pop", "--role", "admin", "--password-stdin"], "username"),
        (["users", "add", "ana", "--role", "admin", "--password-stdin"], "at least 10"),
        (["users", "add", "ana", "--role", "admin"], "--password-stdin"),
    ],
)
def test_users_add_bad_input(tmp_path, args, message):
    db = tmp_path / "u.db"
    cli("init", db=db)
    result = cli(*args, db=db, stdin="short\n")
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_role_is_an_argparse_error(tmp_path):
    result = cli("users", "add", "ana", "--role", "king", db=tmp_path / "x.db", process=True)
    assert result.returncode == 2
    assert "invalid choice: 'king'" in result.stderr


def test_missing_database_file(tmp_path):
    result = cli("stats", db=tmp_path / "missing.db", process=True)  # the exit code of `python -m`
    assert result.returncode == 1
    assert "python -m directory init" in result.stderr
    assert "Traceback" not in result.stderr


def test_not_a_database(tmp_path):
    bogus = tmp_path / "notes.db"
    bogus.write_text("hello, this is not SQLite " * 100)
    result = cli("stats", db=bogus)
    assert result.returncode == 1
    assert result.stderr.startswith("error: ")
    assert "Traceback" not in result.stderr


def test_audit_verify(demo_db):
    result = cli("audit", "verify", db=demo_db)
    assert result.returncode == 0
    assert "Audit chain intact" in result.stdout
