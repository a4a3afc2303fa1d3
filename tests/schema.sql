CREATE TABLE "_sqlite_migrations" (
   "id" INTEGER PRIMARY KEY,
   "migration_set" TEXT,
   "name" TEXT,
   "applied_at" TEXT
);
CREATE UNIQUE INDEX "idx__sqlite_migrations_migration_set_name"
    ON "_sqlite_migrations" ("migration_set", "name");
CREATE TABLE "organization" (
   "id" TEXT PRIMARY KEY,
   "name" TEXT NOT NULL,
   "legal_status" TEXT NOT NULL,
   "description" TEXT DEFAULT '',
   "website" TEXT,
   "email" TEXT,
   "cui" TEXT,
   "is_demo" INTEGER DEFAULT 0,
   "version" INTEGER NOT NULL DEFAULT 1,
   "created_at" TEXT,
   "updated_at" TEXT
, "active" INTEGER NOT NULL DEFAULT 1);
CREATE TABLE "location" (
   "id" TEXT PRIMARY KEY,
   "organization_id" TEXT NOT NULL REFERENCES "organization"("id"),
   "name" TEXT NOT NULL,
   "latitude" REAL NOT NULL,
   "longitude" REAL NOT NULL,
   "county_code" TEXT NOT NULL,
   "siruta" INTEGER,
   "address_1" TEXT,
   "locality" TEXT,
   "postal_code" TEXT,
   "geocode_source" TEXT,
   "geocode_precision" TEXT,
   "disclosure" TEXT NOT NULL DEFAULT 'public',
   "is_demo" INTEGER DEFAULT 0,
   "version" INTEGER NOT NULL DEFAULT 1,
   "created_at" TEXT,
   "updated_at" TEXT
, "active" INTEGER NOT NULL DEFAULT 1);
CREATE TABLE "service" (
   "id" TEXT PRIMARY KEY,
   "organization_id" TEXT NOT NULL REFERENCES "organization"("id"),
   "name" TEXT NOT NULL,
   "service_type" TEXT NOT NULL,
   "description" TEXT,
   "status" TEXT NOT NULL DEFAULT 'active',
   "minimum_age" INTEGER,
   "maximum_age" INTEGER,
   "genders" TEXT NOT NULL,
   "languages" TEXT NOT NULL,
   "interpretation_available" INTEGER,
   "child_friendly" INTEGER,
   "child_friendly_criteria" TEXT,
   "trafficking_specialised" INTEGER,
   "accepts_unaccompanied_minors" INTEGER,
   "accepts_parent_with_child" INTEGER,
   "emergency_intake_24_7" INTEGER,
   "accessibility" TEXT,
   "free_of_charge" INTEGER,
   "schedule" TEXT,
   "intake_phone" TEXT,
   "referral_process" TEXT,
   "capacity_status" TEXT DEFAULT 'unknown',
   "beds_available" INTEGER,
   "beds_total" INTEGER,
   "capacity_as_of" TEXT,
   "assured_date" TEXT,
   "assurer" TEXT,
   "alert" TEXT,
   "alert_expires" TEXT,
   "is_demo" INTEGER DEFAULT 0,
   "version" INTEGER NOT NULL DEFAULT 1,
   "created_at" TEXT,
   "updated_at" TEXT
, "specialisations" TEXT NOT NULL DEFAULT '[]', "alert_stops_intake" INTEGER NOT NULL DEFAULT 0);
CREATE TABLE "service_at_location" (
   "id" TEXT PRIMARY KEY,
   "service_id" TEXT NOT NULL REFERENCES "service"("id"),
   "location_id" TEXT NOT NULL REFERENCES "location"("id"),
   "is_demo" INTEGER DEFAULT 0
);
CREATE TABLE "user" (
   "username" TEXT PRIMARY KEY,
   "display_name" TEXT NOT NULL,
   "role" TEXT NOT NULL,
   "password_hash" TEXT NOT NULL,
   "organization_id" TEXT REFERENCES "organization"("id"),
   "active" INTEGER DEFAULT 1,
   "is_demo" INTEGER DEFAULT 0,
   "version" INTEGER NOT NULL DEFAULT 1,
   "created_at" TEXT,
   "updated_at" TEXT
);
CREATE TABLE "referral" (
   "id" TEXT PRIMARY KEY,
   "case_code" TEXT NOT NULL,
   "service_at_location_id" TEXT NOT NULL REFERENCES "service_at_location"("id"),
   "urgency" TEXT NOT NULL,
   "needs" TEXT,
   "age" INTEGER,
   "gender" TEXT,
   "languages" TEXT,
   "status" TEXT NOT NULL DEFAULT 'draft',
   "score" REAL,
   "reasons" TEXT,
   "consent_fields" TEXT,
   "decline_reason" TEXT,
   "created_by" TEXT NOT NULL REFERENCES "user"("username"),
   "organization_id" TEXT,
   "due_at" TEXT,
   "version" INTEGER NOT NULL DEFAULT 1,
   "created_at" TEXT,
   "updated_at" TEXT
, "requirements" TEXT, "max_km" REAL, "origin_siruta" INTEGER, "origin_latitude" REAL, "origin_longitude" REAL, "sent_at" TEXT, "closed_at" TEXT, "age_band" TEXT);
CREATE TABLE "audit_log" (
   "id" INTEGER PRIMARY KEY,
   "at" TEXT NOT NULL,
   "actor" TEXT NOT NULL,
   "action" TEXT NOT NULL,
   "entity" TEXT NOT NULL,
   "entity_id" TEXT,
   "before" TEXT,
   "after" TEXT,
   "reason" TEXT,
   "prev_hash" TEXT,
   "hash" TEXT NOT NULL
, "hash_version" INTEGER NOT NULL DEFAULT 1);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE INDEX "idx_location_organization_id"
    ON "location" ("organization_id");
CREATE INDEX "idx_service_organization_id"
    ON "service" ("organization_id");
CREATE INDEX "idx_service_status_service_type"
    ON "service" ("status", "service_type");
CREATE INDEX "idx_service_at_location_service_id"
    ON "service_at_location" ("service_id");
CREATE INDEX "idx_service_at_location_location_id"
    ON "service_at_location" ("location_id");
CREATE INDEX "idx_audit_log_entity_entity_id"
    ON "audit_log" ("entity", "entity_id");
CREATE INDEX "idx_referral_created_by"
    ON "referral" ("created_by");
CREATE VIRTUAL TABLE "organization_fts" USING FTS5 (
    "name", "description",
    tokenize='unicode61 remove_diacritics 2',
    content="organization"
);
CREATE TABLE 'organization_fts_data'(id INTEGER PRIMARY KEY, block BLOB);
CREATE TABLE 'organization_fts_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;
CREATE TABLE 'organization_fts_docsize'(id INTEGER PRIMARY KEY, sz BLOB);
CREATE TABLE 'organization_fts_config'(k PRIMARY KEY, v) WITHOUT ROWID;
CREATE TRIGGER "organization_ai" AFTER INSERT ON "organization" BEGIN
  INSERT INTO "organization_fts" (rowid, "name", "description") VALUES (new.rowid, new."name", new."description");
END;
CREATE TRIGGER "organization_ad" AFTER DELETE ON "organization" BEGIN
  INSERT INTO "organization_fts" ("organization_fts", rowid, "name", "description") VALUES('delete', old.rowid, old."name", old."description");
END;
CREATE TRIGGER "organization_au" AFTER UPDATE ON "organization" BEGIN
  INSERT INTO "organization_fts" ("organization_fts", rowid, "name", "description") VALUES('delete', old.rowid, old."name", old."description");
  INSERT INTO "organization_fts" (rowid, "name", "description") VALUES (new.rowid, new."name", new."description");
END;
CREATE VIRTUAL TABLE "service_fts" USING FTS5 (
    "name", "description",
    tokenize='unicode61 remove_diacritics 2',
    content="service"
);
CREATE TABLE 'service_fts_data'(id INTEGER PRIMARY KEY, block BLOB);
CREATE TABLE 'service_fts_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;
CREATE TABLE 'service_fts_docsize'(id INTEGER PRIMARY KEY, sz BLOB);
CREATE TABLE 'service_fts_config'(k PRIMARY KEY, v) WITHOUT ROWID;
CREATE TRIGGER "service_ai" AFTER INSERT ON "service" BEGIN
  INSERT INTO "service_fts" (rowid, "name", "description") VALUES (new.rowid, new."name", new."description");
END;
CREATE TRIGGER "service_ad" AFTER DELETE ON "service" BEGIN
  INSERT INTO "service_fts" ("service_fts", rowid, "name", "description") VALUES('delete', old.rowid, old."name", old."description");
END;
CREATE TRIGGER "service_au" AFTER UPDATE ON "service" BEGIN
  INSERT INTO "service_fts" ("service_fts", rowid, "name", "description") VALUES('delete', old.rowid, old."name", old."description");
  INSERT INTO "service_fts" (rowid, "name", "description") VALUES (new.rowid, new."name", new."description");
END;
CREATE TABLE "referral_event" (
   "id" INTEGER PRIMARY KEY,
   "referral_id" TEXT NOT NULL REFERENCES "referral"("id"),
   "at" TEXT NOT NULL,
   "actor" TEXT NOT NULL,
   "from_status" TEXT,
   "to_status" TEXT NOT NULL,
   "reason_code" TEXT,
   "note" TEXT
);
CREATE INDEX "idx_referral_event_referral_id"
    ON "referral_event" ("referral_id");
CREATE INDEX "idx_referral_organization_id"
    ON "referral" ("organization_id");
CREATE INDEX "idx_referral_status_due_at"
    ON "referral" ("status", "due_at");
CREATE TRIGGER audit_log_append_only BEFORE INSERT ON audit_log
        WHEN NEW.id IS NULL OR NEW.id <= (SELECT COALESCE(MAX(id), 0) FROM audit_log)
          OR NEW.hash_version IS NOT 2
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TABLE "import_mapping" (
   "key" TEXT PRIMARY KEY,
   "headers" TEXT NOT NULL,
   "mapping" TEXT NOT NULL,
   "saved_by" TEXT NOT NULL,
   "saved_at" TEXT NOT NULL
);
CREATE TABLE "organization_assignment" (
   "username" TEXT REFERENCES "user"("username"),
   "organization_id" TEXT REFERENCES "organization"("id"),
   "assigned_by" TEXT NOT NULL,
   "assigned_at" TEXT NOT NULL,
   PRIMARY KEY ("username", "organization_id")
);
CREATE INDEX "idx_organization_assignment_organization_id"
    ON "organization_assignment" ("organization_id");
CREATE TABLE "capacity_link" (
   "token_hash" TEXT PRIMARY KEY,
   "service_id" TEXT NOT NULL REFERENCES "service"("id"),
   "contact" TEXT,
   "created_by" TEXT NOT NULL,
   "created_at" TEXT NOT NULL,
   "expires_at" TEXT NOT NULL,
   "revoked_at" TEXT,
   "revoked_by" TEXT
);
CREATE INDEX "idx_capacity_link_service_id"
    ON "capacity_link" ("service_id");
CREATE TABLE "referral_notice" (
   "referral_id" TEXT REFERENCES "referral"("id"),
   "kind" TEXT,
   "sent_at" TEXT NOT NULL,
   PRIMARY KEY ("referral_id", "kind")
);
CREATE TABLE "population_set" (
   "id" INTEGER PRIMARY KEY,
   "level" TEXT NOT NULL,
   "source" TEXT NOT NULL,
   "per_uat" TEXT NOT NULL,
   "total" REAL NOT NULL,
   "saved_by" TEXT NOT NULL,
   "saved_at" TEXT NOT NULL,
   "withdrawn_by" TEXT,
   "withdrawn_at" TEXT
);
