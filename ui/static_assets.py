"""Vendored map scripts and styles, copied from the xstatic packages so maps work offline.

Streamlit serves the ``static/`` folder next to the main script at ``/app/static/`` when
``[server] enableStaticServing = true``; the folder is git-ignored and filled at start-up.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import xstatic.pkg.jquery as xs_jquery
import xstatic.pkg.leaflet as xs_leaflet
import xstatic.pkg.leaflet_markercluster as xs_markercluster

VENDOR_URL = "/app/static/vendor"
LEAFLET_JS = f"{VENDOR_URL}/leaflet/leaflet.js"
LEAFLET_CSS = f"{VENDOR_URL}/leaflet/leaflet.css"
LEAFLET_IMAGES = f"{VENDOR_URL}/leaflet/images/"
MARKERCLUSTER_JS = f"{VENDOR_URL}/markercluster/leaflet.markercluster.js"
MARKERCLUSTER_CSS = f"{VENDOR_URL}/markercluster/MarkerCluster.css"
MARKERCLUSTER_DEFAULT_CSS = f"{VENDOR_URL}/markercluster/MarkerCluster.Default.css"
JQUERY_JS = f"{VENDOR_URL}/jquery/jquery.min.js"

# (package data folder, vendor sub-folder, files or folders to copy)
_SOURCES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (xs_leaflet.BASE_DIR, "leaflet", ("leaflet.js", "leaflet.css", "images")),
    (
        xs_markercluster.BASE_DIR,
        "markercluster",
        ("leaflet.markercluster.js", "MarkerCluster.css", "MarkerCluster.Default.css"),
    ),
    (xs_jquery.BASE_DIR, "jquery", ("jquery.min.js",)),
)


def ensure_static(root: Path) -> Path:
    """Copy the vendored map assets into ``root/static/vendor`` unless they are already there."""
    vendor = Path(root) / "static" / "vendor"
    for base_dir, folder, names in _SOURCES:
        for name in names:
            _copy(Path(base_dir) / name, vendor / folder / name)
    return vendor


def _copy(source: Path, target: Path) -> None:
    """Copy a file or folder when the target is missing or differs in size."""
    if source.is_dir():
        for child in source.iterdir():
            _copy(child, target / child.name)
        return
    if target.is_file() and target.stat().st_size == source.stat().st_size:
        return  # already there: start-up stays fast on every rerun
    target.parent.mkdir(parents=True, exist_ok=True)
    # Write then rename, so a concurrent reader never sees a half-copied script.
    partial = target.with_name(target.name + ".part")
    shutil.copyfile(source, partial)
    partial.replace(target)
