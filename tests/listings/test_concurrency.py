"""Two coordinators at once lose nothing; a process killed mid-import leaves the database
consistent. On both backends."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from directory.errors import ConflictError
from directory.listings import edit
from directory.listings.edit import merge
from directory.models import Service, User
from directory.storage.store import Store

from ..conftest import ROOT, TODAY, seed_small

ADMIN = User("root", "Root", "admin", "$argon2id$x")
ROUNDS = 25


def _edit_loop(path: Path | str, field: str, errors: list[BaseException]) -> None:
    """Change one field again and again, merging on every stale save as the page does."""
    try:
        with Store(path) as s:
            for i in range(ROUNDS):
                while True:
                    original = s.get(Service, "svc-1")
                    mine = original.replace(**{field: f"{field} {i}"})
                    try:
                        edit.save(s, ADMIN, mine)
                        break
                    except ConflictError:
                        theirs = s.get(Service, "svc-1")
                        merged, both = merge(original, mine, theirs)
                        assert both == []  # the two editors touch different fields
                        try:
                            edit.save(s, ADMIN, merged)
                            break
                        except ConflictError:
                            continue
    except BaseException as e:  # reported to the test thread
        errors.append(e)


def _check(path: Path | str) -> None:
    with Store(path) as s:
        svc = s.get(Service, "svc-1")
        assert (svc.schedule, svc.referral_process) == (
            f"schedule {ROUNDS - 1}",
            f"referral_process {ROUNDS - 1}",
        )
        assert svc.version == 1 + 2 * ROUNDS  # every save landed, none overwrote another
        updates = [r for r in s.audit_history("service", "svc-1") if r["action"] == "update"]
        assert len(updates) == 2 * ROUNDS
        assert s.verify_audit().ok


def test_two_threads_editing_one_service_lose_nothing(db_url):
    path = db_url
    with Store.init(path) as s:
        seed_small(s, n=1)
    errors: list[BaseException] = []
    threads = [
        threading.Thread(target=_edit_loop, args=(path, f, errors))
        for f in ("schedule", "referral_process")
    ]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=120)
    assert errors == []
    _check(path)


WORKER = """
import sys
from tests.listings.test_concurrency import _edit_loop
errors = []
_edit_loop(sys.argv[1], sys.argv[2], errors)
sys.exit(1 if errors else 0)
"""


def test_two_processes_editing_one_service_lose_nothing(db_url):
    path = db_url
    with Store.init(path) as s:
        seed_small(s, n=1)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [
        subprocess.Popen([sys.executable, "-c", WORKER, str(path), f], cwd=ROOT, env=env)
        for f in ("schedule", "referral_process")
    ]
    assert [p.wait(timeout=180) for p in procs] == [0, 0]
    _check(path)


KILLED_IMPORT = """
import sys
from directory.models import Location, Organization, Service, ServiceAtLocation
from directory.storage.store import Store

with Store(sys.argv[1]) as s:
    records = [Organization("org-k", "Killed import", "ngo")]
    for i in range(40000):
        records += [
            Location(f"loc-k{i}", "org-k", f"L{i}", 46.7, 23.6, "CJ"),
            Service(f"svc-k{i}", "org-k", f"S{i}", "legal_aid"),
            ServiceAtLocation(f"sal-k{i}", f"svc-k{i}", f"loc-k{i}"),
        ]
    print("writing", flush=True)
    s.bulk_insert(records, actor="import")
"""


def test_a_process_killed_in_the_middle_of_an_import_leaves_the_database_consistent(db_url):
    path = db_url
    with Store.init(path) as s:
        seed_small(s, n=2)
        before = s.counts()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLED_IMPORT, str(path)], cwd=ROOT, env=env,
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert proc.stdout is not None and proc.stdout.readline().strip() == "writing"
    time.sleep(1.0)  # well inside the one transaction of 120,000 rows
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    with Store(path) as s:
        assert s.counts() == before  # nothing of the killed import, nothing of ours lost
        if s.dialect == "sqlite":
            assert s.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert s.verify_audit().ok
        edit.verify(s, ADMIN, "svc-1", TODAY)  # and the file takes writes again
