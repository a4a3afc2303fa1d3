"""Times in Europe/Bucharest in the reader's format; decimal marks by language."""

from __future__ import annotations

from datetime import UTC, datetime

from directory.formatting import number, when


def test_times_are_local_and_in_the_languages_format():
    utc = datetime(2026, 11, 30, 15, 13, tzinfo=UTC)  # winter: UTC+2
    assert when(utc, "ro") == "30.11.2026, 17:13"
    assert when(utc, "en") == "30/11/2026, 17:13"
    summer = datetime(2026, 7, 1, 6, 0, tzinfo=UTC)  # summer time: UTC+3
    assert when(summer, "ro") == "01.07.2026, 09:00"
    assert when("2026-11-30T15:13:00+00:00", "ro") == "30.11.2026, 17:13"
    assert when("2026-11-30T15:13:00", "ro") == "30.11.2026, 17:13"  # naive means UTC
    assert when(None, "ro") == "—"


def test_decimal_mark_follows_the_language():
    assert number(12.5, "ro") == "12,5"
    assert number(12.5, "en") == "12.5"
    assert number(1480, "ro") == "1.480"
