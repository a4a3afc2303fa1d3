"""Numbered schema migrations. An applied migration is never edited: add a new one."""

from __future__ import annotations

import json

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("punte")

FTS_TOKENIZE = "unicode61 remove_diacritics 2"  # "iasi" finds "Iași"

_VERSIONED = {"is_demo": int, "version": int, "created_at": str, "updated_at": str}


@migrations(name="m001_directory")
def m001_directory(db: Database) -> None:
    db["organization"].create(
        {
            "id": str,
            "name": str,
            "legal_status": str,
            "description": str,
            "website": str,
            "email": str,
            "cui": str,
            **_VERSIONED,
        },
        pk="id",
        not_null={"name", "legal_status", "version"},
        defaults={"is_demo": 0, "version": 1, "description": ""},
    )
    db["location"].create(
        {
            "id": str,
            "organization_id": str,
            "name": str,
            "latitude": float,
            "longitude": float,
            "county_code": str,
            "siruta": int,
            "address_1": str,
            "locality": str,
            "postal_code": str,
            "geocode_source": str,
            "geocode_precision": str,
            "disclosure": str,
            **_VERSIONED,
        },
        pk="id",
        foreign_keys=[("organization_id", "organization", "id")],
        not_null={
            "organization_id",
            "name",
            "latitude",
            "longitude",
            "county_code",
            "disclosure",
            "version",
        },
        defaults={"is_demo": 0, "version": 1, "disclosure": "public"},
    )
    db["service"].create(
        {
            "id": str,
            "organization_id": str,
            "name": str,
            "service_type": str,
            "description": str,
            "status": str,
            "minimum_age": int,
            "maximum_age": int,
            "genders": str,
            "languages": str,
            "interpretation_available": int,
            "child_friendly": int,
            "child_friendly_criteria": str,
            "trafficking_specialised": int,
            "accepts_unaccompanied_minors": int,
            "accepts_parent_with_child": int,
            "emergency_intake_24_7": int,
            "accessibility": str,
            "free_of_charge": int,
            "schedule": str,
            "intake_phone": str,
            "referral_process": str,
            "capacity_status": str,
            "beds_available": int,
            "beds_total": int,
            "capacity_as_of": str,
            "assured_date": str,
            "assurer": str,
            "alert": str,
            "alert_expires": str,
            **_VERSIONED,
        },
        pk="id",
        foreign_keys=[("organization_id", "organization", "id")],
        not_null={
            "organization_id",
            "name",
            "service_type",
            "status",
            "languages",
            "genders",
            "version",
        },
        defaults={"is_demo": 0, "version": 1, "status": "active", "capacity_status": "unknown"},
    )
    db["service_at_location"].create(
        {"id": str, "service_id": str, "location_id": str, "is_demo": int},
        pk="id",
        foreign_keys=[("service_id", "service", "id"), ("location_id", "location", "id")],
        not_null={"service_id", "location_id"},
        defaults={"is_demo": 0},
    )
    db["user"].create(
        {
            "username": str,
            "display_name": str,
            "role": str,
            "password_hash": str,
            "organization_id": str,
            "active": int,
            **_VERSIONED,
        },
        pk="username",
        foreign_keys=[("organization_id", "organization", "id")],
        not_null={"display_name", "role", "password_hash", "version"},
        defaults={"active": 1, "is_demo": 0, "version": 1},
    )
    db["referral"].create(
        {
            "id": str,
            "case_code": str,
            "service_at_location_id": str,
            "urgency": str,
            "needs": str,
            "age": int,
            "gender": str,
            "languages": str,
            "status": str,
            "score": float,
            "reasons": str,
            "consent_fields": str,
            "decline_reason": str,
            "created_by": str,
            "organization_id": str,
            "due_at": str,
            "version": int,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        foreign_keys=[
            ("service_at_location_id", "service_at_location", "id"),
            ("created_by", "user", "username"),
        ],
        not_null={
            "case_code",
            "service_at_location_id",
            "urgency",
            "status",
            "created_by",
            "version",
        },
        defaults={"status": "draft", "version": 1},
    )
    db["audit_log"].create(
        {
            "id": int,
            "at": str,
            "actor": str,
            "action": str,
            "entity": str,
            "entity_id": str,
            "before": str,
            "after": str,
            "reason": str,
            "prev_hash": str,
            "hash": str,
        },
        pk="id",
        not_null={"at", "actor", "action", "entity", "hash"},
    )
    # Append-only is enforced by the database itself, not only by the code that writes it.
    db.executescript(
        """
        CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
        CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
        """
    )
    db["location"].create_index(["organization_id"])
    db["service"].create_index(["organization_id"])
    db["service"].create_index(["status", "service_type"])
    db["service_at_location"].create_index(["service_id"])
    db["service_at_location"].create_index(["location_id"])
    db["audit_log"].create_index(["entity", "entity_id"])
    db["referral"].create_index(["created_by"])
    db["organization"].enable_fts(
        ["name", "description"], tokenize=FTS_TOKENIZE, create_triggers=True
    )
    db["service"].enable_fts(["name", "description"], tokenize=FTS_TOKENIZE, create_triggers=True)


@migrations(name="m002_referral_lifecycle")
def m002_referral_lifecycle(db: Database) -> None:
    referral = db["referral"]
    for column, kind in (
        ("requirements", str),
        ("max_km", float),
        ("origin_siruta", int),
        ("origin_latitude", float),
        ("origin_longitude", float),
        ("sent_at", str),
        ("closed_at", str),
    ):
        referral.add_column(column, kind)
    db["referral_event"].create(
        {
            "id": int,
            "referral_id": str,
            "at": str,
            "actor": str,
            "from_status": str,
            "to_status": str,
            "reason_code": str,
            "note": str,
        },
        pk="id",
        foreign_keys=[("referral_id", "referral", "id")],
        not_null={"referral_id", "at", "actor", "to_status"},
    )
    db["referral_event"].create_index(["referral_id"])
    db["referral"].create_index(["organization_id"])
    db["referral"].create_index(["status", "due_at"])


@migrations(name="m003_reasons_as_keys")
def m003_reasons_as_keys(db: Database) -> None:
    """Referral reasons were sentences in the sender's language; keep their keys and values.

    Each sentence is read back against today's catalogs; one that no template gives back
    exactly is kept as a legacy reason, shown as it was written.
    """
    from directory.json_text import dumps
    from directory.reasons import as_reason, parse_sentence

    rows = db.execute("SELECT id, reasons FROM referral WHERE reasons IS NOT NULL").fetchall()
    for referral_id, text in rows:
        items = json.loads(text)
        if all(isinstance(x, dict) for x in items):
            continue
        reasons = [parse_sentence(x) if isinstance(x, str) else as_reason(x) for x in items]
        db.execute("UPDATE referral SET reasons = ? WHERE id = ?", [dumps(reasons), referral_id])


@migrations(name="m004_audit_key_and_consent")
def m004_audit_key_and_consent(db: Database) -> None:
    # Rows written so far keep their plain SHA-256 (version 1); new rows are keyed (version 2).
    db["audit_log"].add_column("hash_version", int, not_null_default=1)
    # A REPLACE deletes the row it conflicts with without firing delete triggers, so the
    # insert itself must be refused: only an id above the last one, keyed, may be added.
    db.executescript(
        """
        CREATE TRIGGER audit_log_append_only BEFORE INSERT ON audit_log
        WHEN NEW.id IS NULL OR NEW.id <= (SELECT COALESCE(MAX(id), 0) FROM audit_log)
          OR NEW.hash_version IS NOT 2
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
        """
    )
    # The age band always travels with a referral; the exact age only with consent.
    db["referral"].add_column("age_band", str)


@migrations(name="m005_import_mapping")
def m005_import_mapping(db: Database) -> None:
    # A coordinator's corrected column mapping, remembered for the next file with the same
    # headers (key: hash of the normalised header set, see directory/listings/columns.py).
    db["import_mapping"].create(
        {"key": str, "headers": str, "mapping": str, "saved_by": str, "saved_at": str},
        pk="key",
        not_null={"headers", "mapping", "saved_by", "saved_at"},
    )


@migrations(name="m006_listing_upkeep")
def m006_listing_upkeep(db: Database) -> None:
    # Organisations and sites can be withdrawn and brought back without losing their history.
    db["organization"].add_column("active", int, not_null_default=1)
    db["location"].add_column("active", int, not_null_default=1)
    # Exploitation types a service specialises in (JSON list, vocab.SPECIALISATIONS).
    db["service"].add_column("specialisations", str, not_null_default="[]")
    # Which organisations a coordinator may edit beyond their own (admins edit all).
    db["organization_assignment"].create(
        {"username": str, "organization_id": str, "assigned_by": str, "assigned_at": str},
        pk=("username", "organization_id"),
        foreign_keys=[
            ("username", "user", "username"),
            ("organization_id", "organization", "id"),
        ],
        not_null={"assigned_by", "assigned_at"},
    )
    db["organization_assignment"].create_index(["organization_id"])
    # Provider self-update links: only the sha256 of the token is kept, never the token.
    db["capacity_link"].create(
        {
            "token_hash": str,
            "service_id": str,
            "contact": str,
            "created_by": str,
            "created_at": str,
            "expires_at": str,
            "revoked_at": str,
            "revoked_by": str,
        },
        pk="token_hash",
        foreign_keys=[("service_id", "service", "id")],
        not_null={"service_id", "created_by", "created_at", "expires_at"},
    )
    db["capacity_link"].create_index(["service_id"])


@migrations(name="m008_referral_notice")
def m008_referral_notice(db: Database) -> None:
    # The e-mails sent about a referral (a new emergency, an overdue one): each once. Only the
    # kind and when: the message itself holds no case content and is not kept.
    db["referral_notice"].create(
        {"referral_id": str, "kind": str, "sent_at": str},
        pk=("referral_id", "kind"),
        foreign_keys=[("referral_id", "referral", "id")],
        not_null={"sent_at"},
    )


@migrations(name="m009_population_set")
def m009_population_set(db: Database) -> None:
    # A child population an admin saved for the Coverage page, replacing the reference
    # population (domicile, 2020) for everyone. At most one row is in use (withdrawn_at NULL);
    # older ones are kept, withdrawn, so the page and the audit log can say what was used.
    db["population_set"].create(
        {
            "id": int,
            "level": str,  # "uat" or "county": how the uploaded file gave the figures
            "source": str,  # the uploaded file's name
            "per_uat": str,  # JSON object: SIRUTA code -> population
            "total": float,
            "saved_by": str,
            "saved_at": str,
            "withdrawn_by": str,
            "withdrawn_at": str,
        },
        pk="id",
        not_null={"level", "source", "per_uat", "total", "saved_by", "saved_at"},
    )


@migrations(name="m010_alert_stops_intake")
def m010_alert_stops_intake(db: Database) -> None:
    # A provider's alert may stop intake ("no new children until ..."): the matcher then shows
    # it as a gap and ranks the service down, never hiding it.
    db["service"].add_column("alert_stops_intake", int, not_null_default=0)
