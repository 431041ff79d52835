-- +goose Up
-- The parties of a name with their cases, from the index alone (issue
-- 19): the name search reads a name's parties by parties_name, and with
-- case_id in it reads no party row. SQLite's migration of the same
-- number also indexes each distinct name's trigrams once (party_names).
DROP INDEX IF EXISTS parties_name;
CREATE INDEX parties_name ON parties (name, case_id);

-- +goose Down
DROP INDEX IF EXISTS parties_name;
CREATE INDEX parties_name ON parties (name);
