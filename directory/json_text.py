"""JSON text for storage and the audit log, with orjson (the hot path of bulk imports)."""

from __future__ import annotations

from typing import Any

import orjson


def _plain(value: Any) -> Any:
    # numpy scalars (a float64 is a float subclass) arrive from frames; store them as numbers.
    if isinstance(value, float):
        return float(value)
    if isinstance(value, int):
        return int(value)
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"{type(value).__name__} cannot be stored as JSON")


def dumps(value: Any) -> str:
    """Compact UTF-8 JSON text, non-ASCII characters kept as they are."""
    return orjson.dumps(value, default=_plain).decode("utf-8")
