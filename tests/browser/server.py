"""Start this checkout's Streamlit app on a free loopback port; build a demo database.

Shared by the browser tests (conftest.py) and the browser benchmark (bench/browser_bench.py),
so it depends on nothing from pytest: failures are raised as ``ServerError``.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-dev-shm-usage",
]


class ServerError(RuntimeError):
    """The Streamlit server died or never became healthy."""


@dataclass
class Server:
    url: str
    proc: subprocess.Popen
    log: Path

    def assert_alive(self) -> None:
        if self.proc.poll() is not None:
            raise ServerError(
                f"the Streamlit server died ({self.proc.returncode}):\n{self.stderr()}"
            )

    def stderr(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-4000:]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(server: Server, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    health = server.url + "_stcore/health"
    while time.monotonic() < deadline:
        server.assert_alive()
        try:
            with urllib.request.urlopen(health, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.25)
    raise ServerError(f"{health} did not answer within {timeout:.0f} s:\n{server.stderr()}")


def start_server(db: Path | str, log: Path, timeout: float = 60, root: Path = ROOT) -> Server:
    """`streamlit run app.py` on a free port of 127.0.0.1 serving ``db``, once healthy.

    The server is its own process group (ended as a whole by ``stop_server``), and its
    health is checked together with the fact that it is still alive, so a stale server on
    some fixed port can never answer in its place.
    """
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", "app.py"]
    command += ["--server.port", str(port), "--server.address", "127.0.0.1"]
    command += ["--server.headless", "true", "--browser.gatherUsageStats", "false"]
    env = {**os.environ, "PUNTE_DB": str(db)}
    if str(db).startswith("postgresql://"):  # several servers share one PostgreSQL database
        env["PUNTE_DATABASE_URL"] = str(db)
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as sink:
        proc = subprocess.Popen(
            command,
            cwd=root,  # another checkout's app, e.g. a benchmark's "before"
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    srv = Server(f"http://127.0.0.1:{port}/", proc, log)
    try:
        wait_healthy(srv, timeout)
    except BaseException:
        stop_server(proc)
        raise
    return srv


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


@contextmanager
def serving(db: Path | str, log: Path, root: Path = ROOT) -> Iterator[Server]:
    """A running server for the ``with`` block, stopped afterwards whatever happens."""
    srv = start_server(db, log, root=root)
    try:
        yield srv
    finally:
        stop_server(srv.proc)


def build_demo_db(db: Path | str, today: date, n_services: int = 480) -> int:
    """The fictional demo directory with its demo accounts, in a new file; its service count."""
    from directory.demo.accounts import add_demo_accounts
    from directory.demo.generator import load_demo
    from directory.settings import Settings
    from directory.storage.store import Store

    data_dir = Path(Settings.from_env().data_dir)
    with Store.init(db) as store:
        demo = load_demo(store, data_dir, today=today, n_services=n_services)
        add_demo_accounts(store, demo)
    return len(demo.services)
