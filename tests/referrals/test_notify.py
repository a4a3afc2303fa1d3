"""Optional e-mail notices against a local SMTP server the test starts (issue 15 item 5)."""

from __future__ import annotations

import email
import logging
import re
import socket
from datetime import timedelta
from email import policy
from email.message import Message

import pytest
from aiosmtpd.controller import Controller

from directory.referrals import notify
from directory.referrals import workflow as referrals
from directory.settings import Settings

from ..test_cli import cli
from .conftest import CASE, NOW, move, send, user


class Inbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], Message]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        msg = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((list(envelope.rcpt_tos), msg))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def inbox():
    box = Inbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield box, controller.port
    finally:
        controller.stop()


def smtp(port: int, **kw) -> Settings:
    return Settings.from_env(
        {}, smtp_host="127.0.0.1", smtp_port=port, smtp_starttls=0,
        public_url="https://punte.example.org/", smtp_from="punte@example.org", **kw,
    )  # fmt: skip


def addresses(db, referral) -> set[str]:
    return {a for a in db.notice_addresses(referral) if a}


def body(msg: Message) -> str:
    return msg.get_content()


def assert_no_case_content(msg: Message, referral) -> None:
    text = f"{msg['Subject']}\n{body(msg)}"
    for secret in (CASE, "VS-2026", r"\b15\b", "shelter", "legal", "adăpost", "juridic",
                   "female", "feminin", "Romani", r"\brom\b", "161945", "Vaslui"):  # fmt: skip
        assert not re.search(secret, text, re.I), secret
    assert f"https://punte.example.org/referrals?ref={referral.id}" in text


def test_a_new_emergency_referral_is_emailed_without_case_content(db, home_sal, inbox):
    box, port = inbox
    ref = send(db, home_sal)  # an emergency, with age, gender and languages consented
    assert notify.notify_new(db, smtp(port), [ref], now=NOW) == 1
    ((to, msg),) = box.messages
    assert set(to) == addresses(db, ref) and to
    assert msg["From"] == "punte@example.org"
    assert "urgență" in msg["Subject"] and "emergency" in msg["Subject"]
    assert_no_case_content(msg, ref)
    assert "24.11.2026, 11:30" in body(msg)  # the due time in 24 h, Bucharest time
    # Once only: sending the same referral again does nothing.
    assert notify.notify_new(db, smtp(port), [ref], now=NOW) == 0
    assert len(box.messages) == 1


def test_only_emergencies_are_emailed_when_new_and_off_by_default(db, home_sal, other_sal, inbox):
    box, port = inbox
    routine = send(db, other_sal, urgency="routine")
    assert notify.notify_new(db, smtp(port), [routine], now=NOW) == 0
    emergency = send(db, home_sal)
    assert notify.notify_new(db, Settings.from_env({}), [emergency], now=NOW) == 0  # no host
    assert box.messages == []


def test_overdue_referrals_are_emailed_once(db, home_sal, other_sal, inbox):
    box, port = inbox
    late = send(db, home_sal)  # due 24 h after NOW
    answered = move(db, send(db, other_sal), "accepted", by="demo-admin")
    assert answered.status == "accepted"
    assert notify.notify_overdue(db, smtp(port), now=NOW + timedelta(hours=23)) == 0
    later = NOW + timedelta(hours=25)
    assert notify.notify_overdue(db, smtp(port), now=later) == 1
    ((to, msg),) = box.messages
    assert set(to) == addresses(db, late)
    assert "overdue" in msg["Subject"]
    assert_no_case_content(msg, late)
    assert notify.notify_overdue(db, smtp(port), now=later + timedelta(hours=1)) == 0
    assert len(box.messages) == 1


def test_a_failure_to_send_is_logged_never_blocks_and_is_tried_again(db, home_sal, inbox, caplog):
    box, port = inbox
    closed = free_port()  # nothing listens there
    with caplog.at_level(logging.WARNING, logger="directory.referrals.notify"):
        ref = send(db, home_sal)
        assert notify.notify_new(db, smtp(closed, smtp_timeout_seconds=2), [ref], now=NOW) == 0
    assert referrals.get(db, ref.id).status == "sent"  # the referral stands
    assert "e-mail not sent" in caplog.text and CASE not in caplog.text
    later = NOW + timedelta(days=2)
    assert notify.notify_overdue(db, smtp(closed, smtp_timeout_seconds=2), now=later) == 0
    assert notify.notify_overdue(db, smtp(port), now=later) == 1  # tried again: now it goes


def test_purge_removes_the_notices_of_purged_referrals(db, home_sal, inbox):
    box, port = inbox
    ref = send(db, home_sal)
    notify.notify_new(db, smtp(port), [ref], now=NOW)
    move(db, ref, "declined", by="demo-coordinator")
    assert db.db["referral_notice"].count == 1
    assert referrals.purge(db, 0, now=NOW + timedelta(days=1)) == 1
    assert db.db["referral_notice"].count == 0


def test_the_cli_emails_overdue_referrals_once(db, home_sal, inbox, monkeypatch):
    box, port = inbox
    caseworker = user(db, "demo-caseworker")
    old = NOW - timedelta(days=30)  # due long ago
    referrals.create(db, caseworker, _draft(home_sal), now=old)
    path = getattr(db, "url", None) or str(db.path)  # a PostgreSQL URL or the SQLite file
    db.close()
    off = cli("notify-overdue", db=path)
    assert off.returncode == 0 and "E-mail is off" in off.stdout
    for name, value in {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(port), "SMTP_STARTTLS": "0",
                        "PUBLIC_URL": "https://punte.example.org"}.items():  # fmt: skip
        monkeypatch.setenv("PUNTE_" + name, value)
    first = cli("notify-overdue", db=path)
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == "Sent 1 overdue referral notices."
    again = cli("notify-overdue", db=path)
    assert again.stdout.strip() == "Sent 0 overdue referral notices."
    assert len(box.messages) == 1


def _draft(sal: str):
    from .conftest import draft

    return draft(sal)
