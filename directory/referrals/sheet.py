"""A printable referral sheet: the provider's intake details, none of the child's identity."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

from directory.formatting import when
from directory.i18n import DEFAULT_LANGUAGE
from directory.models import Referral
from directory.referrals.packet import consented_reasons, packet_rows


def sheet_html(
    referral: Referral,
    provider: Mapping[str, object],
    labels: Mapping[str, str],
    lang: str = DEFAULT_LANGUAGE,
) -> str:
    """A standalone HTML page; every value is escaped, and the child appears only as needs.

    ``labels`` and the reasons are in ``lang``, the reader's language.
    """

    def row(label: str, value: object) -> str:
        shown = "—" if value in (None, "", ()) else value
        return f"<tr><th>{escape(labels.get(label, label))}</th><td>{escape(str(shown))}</td></tr>"

    def plain(label: str, value: str) -> str:
        return f"<tr><th>{escape(label)}</th><td>{escape(value or '—')}</td></tr>"

    rows = [
        row("case_code", referral.case_code),
        row("status", labels.get("status." + referral.status, referral.status)),
        row("due", when(referral.due_at, lang)),
        # The same consented fields as the receiver's screen: languages by name, gender if agreed.
        *(plain(label, value) for label, value in packet_rows(referral, lang)),
        row("service", provider.get("service_name")),
        row("organization", provider.get("organization_name")),
        row("locality", provider.get("locality")),
        row("phone", provider.get("intake_phone")),
        row("referral_process", provider.get("referral_process")),
        row("schedule", provider.get("schedule")),
    ]
    reasons = "".join(f"<li>{escape(r.text(lang))}</li>" for r in consented_reasons(referral))
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>{escape(labels['title'])} {escape(referral.case_code)}</title>"
        "<style>body{font-family:sans-serif;margin:2em}th{text-align:left;padding-right:1em}"
        "td,th{border-bottom:1px solid #ddd;padding:.3em}</style></head><body>"
        f"<h1>{escape(labels['title'])}</h1><table>{''.join(rows)}</table>"
        f"<h2>{escape(labels['reasons'])}</h2><ul>{reasons}</ul>"
        f"<p><small>{escape(labels['footer'])}</small></p></body></html>"
    )
