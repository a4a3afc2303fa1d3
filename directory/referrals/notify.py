"""Optional e-mail notices: a new emergency referral, and an overdue one (each sent once).

Off unless ``smtp_host`` is set. A notice goes to the receiving organisation's intake
address and to the sending organisation's address, and holds NO case content: only the
urgency, the due time and a link to the referral in Punte (whose reader must sign in).
A failure to send is logged and never blocks the referral; an overdue notice that failed
is tried again on the next run.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterable
from datetime import datetime
from email.message import EmailMessage

from directory.formatting import when
from directory.i18n import translate
from directory.models import Referral
from directory.referrals.workflow import is_overdue, now_utc
from directory.settings import Settings
from directory.storage.store import Store

log = logging.getLogger(__name__)
NEW_EMERGENCY, OVERDUE = "new_emergency", "overdue"
# Both languages in every message: the receiving office may read either.
LANGUAGES = ("ro", "en")


def enabled(settings: Settings) -> bool:
    return bool(settings.smtp_host.strip())


def link(settings: Settings, referral: Referral) -> str:
    """The referral's page in Punte; the id is a random UUID, not case content."""
    return f"{settings.public_url.rstrip('/')}/referrals?ref={referral.id}"


def message(
    settings: Settings, referral: Referral, kind: str, recipients: Iterable[str]
) -> EmailMessage:
    """The notice: urgency, due time and link only; never the case code, needs or age."""
    msg = EmailMessage()
    msg["From"] = settings.smtp_from
    msg["To"] = ", ".join(recipients)
    urgency = {lang: translate(f"urgency.{referral.urgency}", lang) for lang in LANGUAGES}
    msg["Subject"] = " / ".join(
        translate(f"notice.{kind}.subject", lang, urgency=urgency[lang]) for lang in LANGUAGES
    )
    paragraphs = [
        translate(
            f"notice.{kind}.body", lang, urgency=urgency[lang],
            due=when(referral.due_at, lang), link=link(settings, referral),
        )
        for lang in LANGUAGES
    ]  # fmt: skip
    msg.set_content("\n\n".join(paragraphs) + "\n")
    return msg


def send(settings: Settings, msg: EmailMessage) -> bool:
    """Hand one message to the SMTP server; False (and a log line) when that fails."""
    try:
        with smtplib.SMTP(
            settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout_seconds
        ) as smtp:
            if settings.smtp_starttls:
                smtp.starttls()
            if settings.smtp_user:
                smtp.login(settings.smtp_user, settings.smtp_password)
            smtp.send_message(msg)
        return True
    except (OSError, smtplib.SMTPException) as e:
        # The referral stands without the e-mail: say so in the server log, without content.
        log.warning("referral e-mail not sent (%s): %s", msg["Subject"], e)
        return False


def _notify(store: Store, settings: Settings, referral: Referral, kind: str, now: datetime) -> bool:
    recipients = [a for a in dict.fromkeys(store.notice_addresses(referral)) if a]
    if not recipients:
        log.warning("referral %s: no e-mail address to notify (%s)", referral.id, kind)
        return False
    if not send(settings, message(settings, referral, kind, recipients)):
        return False
    store.record_notice(referral.id, kind, now)
    return True


def notify_new(
    store: Store, settings: Settings, referrals: Iterable[Referral], now: datetime | None = None
) -> int:
    """E-mail about each new emergency referral just sent; the others wait for their answer.

    Call it after the referrals were saved (never inside their transaction). Returns how
    many notices went out.
    """
    if not enabled(settings):
        return 0
    now = now or now_utc()
    return sum(
        _notify(store, settings, r, NEW_EMERGENCY, now)
        for r in referrals
        if r.urgency == "emergency" and r.status == "sent"
        and not store.notice_sent(r.id, NEW_EMERGENCY)
    )  # fmt: skip


def notify_overdue(store: Store, settings: Settings, now: datetime | None = None) -> int:
    """E-mail about each open referral past its due time, once; returns how many went out."""
    if not enabled(settings):
        return 0
    now = now or now_utc()
    due = [r for r in store.open_without_notice(OVERDUE) if is_overdue(r, now)]
    return sum(_notify(store, settings, r, OVERDUE, now) for r in due)
