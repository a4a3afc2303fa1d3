"""A throwaway PostgreSQL server for tests and benchmarks, or the one named by the environment.

``PUNTE_TEST_DATABASE_URL`` (a database on a server where its user may CREATE DATABASE) is
used when set; otherwise Debian's PostgreSQL 15 binaries start a server on a temporary data
directory and a free port, as the ``postgres`` user when we are root (the server refuses
root), with durability off: a test server loses nothing it needs to keep.
"""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg


def _newest_bin() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    return found[-1].parent if found else Path("/usr/lib/postgresql/15/bin")


PG_BIN = Path(os.environ.get("PUNTE_PG_BIN") or _newest_bin())
ENV_URL = "PUNTE_TEST_DATABASE_URL"


class PgUnavailable(RuntimeError):
    """PostgreSQL could not be started or reached; the message says how to fix it."""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


class PgServer:
    """Start with :meth:`start`, make databases with :meth:`new_database`, then :meth:`stop`."""

    def __init__(self) -> None:
        self.dir: Path | None = None
        self.admin_url = os.environ.get(ENV_URL, "")
        self._names = itertools.count(1)

    def start(self) -> PgServer:
        if self.admin_url:
            self._check()
            return self
        initdb = PG_BIN / "initdb"
        if not initdb.exists():
            raise PgUnavailable(
                f"{initdb} is missing: install Debian's postgresql and postgresql-contrib "
                f"(`make test` does), or set {ENV_URL}."
            )
        self.dir = Path(tempfile.mkdtemp(prefix="punte-pg-"))
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        port = _free_port()
        data = self.dir / "data"
        self._run(
            [str(initdb), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8"]
            + ["--locale=C.UTF-8", "--no-sync"]
        )
        options = (
            f"-p {port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        self._run(
            [str(PG_BIN / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(self.dir / "log")]
            + ["-w", "start"]
        )
        self.admin_url = f"postgresql://postgres@127.0.0.1:{port}/postgres"
        self._check()
        return self

    def _run(self, cmd: list[str]) -> None:
        result = subprocess.run(_as_postgres(cmd), capture_output=True, text=True)
        if result.returncode != 0:
            log = self.dir / "log" if self.dir else None
            tail = log.read_text()[-2000:] if log and log.exists() else ""
            raise PgUnavailable(f"{cmd[0]} failed: {result.stderr.strip()} {tail}")

    def _check(self) -> None:
        try:
            psycopg.connect(self.admin_url, connect_timeout=10).close()
        except psycopg.Error as e:
            raise PgUnavailable(f"Cannot reach PostgreSQL at {self.admin_url}: {e}") from None

    def url_of(self, name: str) -> str:
        parts = urlsplit(self.admin_url)
        return urlunsplit(parts._replace(path=f"/{name}"))

    def new_database(self, prefix: str = "punte_test", copy_of: str | None = None) -> str:
        """An empty database of its own (m001 creates the ``unaccent`` extension), or a copy of
        the database at ``copy_of`` (nobody may be connected to it)."""
        # Unique across pytest-xdist workers and across runs sharing one server.
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        name = f"{prefix}_{worker}_{os.getpid()}_{next(self._names)}"
        if copy_of:
            source = urlsplit(copy_of).path.lstrip("/")
            sql = f'CREATE DATABASE "{name}" TEMPLATE "{source}" STRATEGY FILE_COPY'
        else:
            sql = f'CREATE DATABASE "{name}" TEMPLATE template0 LOCALE "C.UTF-8"'
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(sql)
        return self.url_of(name)

    def drop_database(self, url: str) -> None:
        name = urlsplit(url).path.lstrip("/")
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        if self.dir is None:
            return
        subprocess.run(
            _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.dir / "data"), "-m", "immediate"])
            + ["stop"],
            capture_output=True,
        )
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir = None
