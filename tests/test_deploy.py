"""deploy/: backup and restore run as an operator runs them, and the Caddyfile in front of two
upstreams (TLS from Caddy's local CA, sticky cookie, security headers)."""

from __future__ import annotations

import http.server
import os
import shutil
import ssl
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from directory.storage.store import Store

from .browser.server import free_port
from .conftest import ROOT, new_database, seed_small
from .pg_server import PG_BIN


def test_backup_then_restore_keeps_the_directory_and_its_chain(request, tmp_path: Path):
    source = new_database(request, "postgresql", tmp_path)
    with Store.init(source) as store:
        seed_small(store, n=3)
        counts = store.counts()
    env = {
        **os.environ,
        "PUNTE_DATABASE_URL": source,
        "PUNTE_PYTHON": sys.executable,
        "PATH": f"{PG_BIN}:{os.environ['PATH']}",
    }
    backup = subprocess.run(
        [str(ROOT / "deploy" / "backup.sh"), str(tmp_path / "backups")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert backup.returncode == 0, backup.stderr
    dump = Path(backup.stdout.strip().splitlines()[-1])
    assert dump.exists() and dump.read_bytes()[:5] == b"PGDMP"
    target = new_database(request, "postgresql", tmp_path)
    restore = subprocess.run(
        [str(ROOT / "deploy" / "restore.sh"), str(dump), target],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert restore.returncode == 0, restore.stderr
    assert "Audit chain intact: 10 rows." in restore.stdout
    with Store(target) as copy:
        assert copy.counts() == counts


class _Named(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        body = self.server.name.encode()  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


def _upstream(name: str) -> http.server.ThreadingHTTPServer:
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Named)
    srv.name = name  # type: ignore[attr-defined]
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv


def _get(url: str, cookie: str | None = None):
    ctx = ssl.create_default_context()
    ctx.check_hostname, ctx.verify_mode = False, ssl.CERT_NONE  # Caddy's local CA
    req = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(req, context=ctx, timeout=10) as response:
        return response.read().decode(), response.headers


@pytest.mark.skipif(not shutil.which("caddy"), reason="caddy is not installed (apt install caddy)")
def test_the_caddyfile_serves_tls_sticky_sessions_and_security_headers(tmp_path):
    ups = [_upstream("a"), _upstream("b")]
    port = free_port()
    env = {
        **os.environ,
        "PUNTE_HOST": f"localhost:{port}",
        "PUNTE_UPSTREAMS": " ".join(f"127.0.0.1:{u.server_address[1]}" for u in ups),
        "XDG_DATA_HOME": str(tmp_path),  # Caddy's local CA and certificates
        "XDG_CONFIG_HOME": str(tmp_path),
    }
    caddy = subprocess.Popen(
        ["caddy", "run", "--config", str(ROOT / "deploy" / "Caddyfile"), "--adapter", "caddyfile"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"https://localhost:{port}/"
        deadline = time.monotonic() + 30
        while True:
            try:
                first, headers = _get(url)
                break
            except OSError:
                assert caddy.poll() is None and time.monotonic() < deadline, "caddy did not start"
                time.sleep(0.2)
        assert "frame-ancestors 'self'" in headers["Content-Security-Policy"]
        assert headers["X-Frame-Options"] == "SAMEORIGIN"
        assert headers["Strict-Transport-Security"].startswith("max-age=")
        assert headers["X-Content-Type-Options"] == "nosniff"
        cookie = headers["Set-Cookie"].split(";")[0]
        assert cookie.startswith("punte_lb=")
        # With its cookie a browser always reaches the same server (its Streamlit session).
        assert {_get(url, cookie)[0] for _ in range(20)} == {first}
        # Without one, new browsers are spread over both servers.
        assert {_get(url)[0] for _ in range(40)} == {"a", "b"}
    finally:
        caddy.terminate()
        caddy.wait(timeout=10)
        for u in ups:
            u.shutdown()
