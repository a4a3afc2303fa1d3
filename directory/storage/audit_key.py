"""The audit log's secret key: kept outside the database, in a setting or a mode-600 file.

Resolution: ``PUNTE_AUDIT_KEY`` (the key itself) wins; else ``PUNTE_AUDIT_KEY_FILE``; else a
file beside the SQLite database named ``<database>.audit-key``. ``init`` creates that file
when no key is configured; opening a database without its key fails with a clear message.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from directory.errors import DatabaseNotReadyError

KEY_SUFFIX = ".audit-key"
MIN_KEY_CHARS = 32


def default_key_path(db_path: str | Path) -> Path:
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + KEY_SUFFIX)


def create_private_file(path: Path, content: bytes = b"") -> None:
    """Create ``path`` readable and writable by its owner only (mode 600), never overwriting."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, content)
    finally:
        os.close(fd)
    os.chmod(path, 0o600)  # the umask cannot widen it, but make the intent explicit


def resolve_key(db_path: str | Path, key: str = "", key_file: str = "", *, create: bool) -> bytes:
    """The key bytes; with ``create``, write a new key file beside the database if needed."""
    if key:
        if len(key) < MIN_KEY_CHARS:
            raise ValueError(f"PUNTE_AUDIT_KEY must be at least {MIN_KEY_CHARS} characters long.")
        return key.encode("utf-8")
    path = Path(key_file) if key_file else default_key_path(db_path)
    if not path.exists():
        if not create or key_file:
            raise DatabaseNotReadyError(
                f"No audit key at {path}. `python -m directory init` creates one beside the "
                "database, or set PUNTE_AUDIT_KEY_FILE to the file holding it."
            )
        create_private_file(path, secrets.token_hex(32).encode("ascii") + b"\n")
    text = path.read_text(encoding="utf-8").strip()
    if len(text) < MIN_KEY_CHARS:
        raise DatabaseNotReadyError(
            f"The audit key file {path} holds fewer than {MIN_KEY_CHARS} characters."
        )
    return text.encode("utf-8")
