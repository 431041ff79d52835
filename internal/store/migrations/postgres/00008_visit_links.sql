-- +goose Up
-- One-time links in the visit SMS to the party's mobile page: only the
-- token's hash is kept; a link expires and works once.
CREATE TABLE visit_links (
    token_hash  TEXT PRIMARY KEY,
    visit_id    BIGINT NOT NULL REFERENCES visits (id) ON DELETE CASCADE,
    expires_at  TIMESTAMPTZ NOT NULL,
    used_at     TIMESTAMPTZ,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX visit_links_visit ON visit_links (visit_id);

-- +goose Down
DROP TABLE visit_links;
