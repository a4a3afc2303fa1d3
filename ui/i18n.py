"""Kept for older imports: the translation layer lives in directory/i18n.py."""

from directory.i18n import DEFAULT_LANGUAGE, LANGUAGES, catalog, translate

__all__ = ["DEFAULT_LANGUAGE", "LANGUAGES", "catalog", "translate"]
