"""Chromium journeys through the running app (Playwright)."""
