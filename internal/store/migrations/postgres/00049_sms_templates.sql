-- +goose Up
-- SMS as carriers and clouds require it (issue 20): every message is a
-- named template. A court's administrator edits a template's text and
-- records the provider's template ID (sms_templates; a court without a row
-- takes its nearest ancestor's, else the default text), and the court's
-- signature (sms_signatures; else the court's name). Each message keeps
-- its template, the ID and signature it went under and its parameters
-- (JSON, in the order of the registered text) beside the rendered text.
CREATE TABLE sms_templates (
    court_id    BIGINT NOT NULL REFERENCES courts (id),
    name        TEXT NOT NULL,
    body        TEXT NOT NULL,
    provider_id TEXT NOT NULL DEFAULT '',
    updated_by  TEXT NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (court_id, name)
);
CREATE TABLE sms_signatures (
    court_id   BIGINT PRIMARY KEY REFERENCES courts (id),
    signature  TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
ALTER TABLE sms_outbox ADD COLUMN template TEXT NOT NULL DEFAULT '';
ALTER TABLE sms_outbox ADD COLUMN template_id TEXT NOT NULL DEFAULT '';
ALTER TABLE sms_outbox ADD COLUMN sign_name TEXT NOT NULL DEFAULT '';
ALTER TABLE sms_outbox ADD COLUMN params TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE sms_outbox DROP COLUMN params;
ALTER TABLE sms_outbox DROP COLUMN sign_name;
ALTER TABLE sms_outbox DROP COLUMN template_id;
ALTER TABLE sms_outbox DROP COLUMN template;
DROP TABLE sms_signatures;
DROP TABLE sms_templates;
