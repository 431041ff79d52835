-- +goose Up
-- The name search's trigram index over each distinct party name once
-- (issue 19), not over every party: at 1,000,000 cases 2,619,594 parties
-- hold 369,002 names (banks, companies and agencies are parties again and
-- again). A name found there leads to its parties through parties_name,
-- now (name, case_id), without reading them: a search for a name held by
-- 319 parties read each of them by rowid to test LIKE and take its case
-- (2.7 ms of SQLite's CPU), and now tests LIKE on the few names and reads
-- the 319 case ids from the index (0.3 ms). The import indexes a new name
-- once instead of every party's.
-- It replaces migration 00065's empty party_names (PostgreSQL's table of
-- the same names, kept there without a key): FTS5 reads its content by an
-- integer key that VACUUM keeps, which only INTEGER PRIMARY KEY is.
DROP TABLE IF EXISTS party_names;
CREATE TABLE party_names (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);
INSERT INTO party_names (name) SELECT DISTINCT name FROM parties ORDER BY name;
CREATE VIRTUAL TABLE party_names_fts USING fts5 (name, content = 'party_names', content_rowid = 'id', tokenize = 'trigram', detail = 'none');
INSERT INTO party_names_fts (party_names_fts) VALUES ('rebuild');
-- +goose StatementBegin
CREATE TRIGGER party_names_fts_insert AFTER INSERT ON party_names BEGIN
    INSERT INTO party_names_fts (rowid, name) VALUES (new.id, new.name);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER party_names_fts_delete AFTER DELETE ON party_names BEGIN
    INSERT INTO party_names_fts (party_names_fts, rowid, name) VALUES ('delete', old.id, old.name);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER party_names_fts_update AFTER UPDATE OF id, name ON party_names BEGIN
    INSERT INTO party_names_fts (party_names_fts, rowid, name) VALUES ('delete', old.id, old.name);
    INSERT INTO party_names_fts (rowid, name) VALUES (new.id, new.name);
END;
-- +goose StatementEnd
-- A party's name joins the table when no other party held it. Not
-- INSERT OR IGNORE: a statement's own conflict clause (an import's
-- upsert) would override the trigger's. A name no party holds any more
-- stays: it finds no party, and the table only ever grows by new names.
-- +goose StatementBegin
CREATE TRIGGER parties_name_insert AFTER INSERT ON parties BEGIN
    INSERT INTO party_names (name) SELECT new.name WHERE NOT EXISTS (SELECT 1 FROM party_names WHERE name = new.name);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER parties_name_update AFTER UPDATE OF name ON parties BEGIN
    INSERT INTO party_names (name) SELECT new.name WHERE NOT EXISTS (SELECT 1 FROM party_names WHERE name = new.name);
END;
-- +goose StatementEnd
DROP TRIGGER parties_fts_update;
DROP TRIGGER parties_fts_delete;
DROP TRIGGER parties_fts_insert;
DROP TABLE parties_fts;
-- The parties of a name with their cases, from the index alone.
DROP INDEX IF EXISTS parties_name;
CREATE INDEX parties_name ON parties (name, case_id);
-- The common trigrams counted again over the distinct names.
DELETE FROM search_trigram_stats;
CREATE VIRTUAL TABLE temp.party_names_vocab_00066 USING fts5vocab(main, party_names_fts, 'row');
INSERT INTO search_trigram_stats (term, docs) SELECT term, doc FROM temp.party_names_vocab_00066 WHERE doc >= 20000;
DROP TABLE temp.party_names_vocab_00066;

-- +goose Down
DROP INDEX IF EXISTS parties_name;
CREATE INDEX parties_name ON parties (name);
DROP TRIGGER parties_name_update;
DROP TRIGGER parties_name_insert;
CREATE VIRTUAL TABLE parties_fts USING fts5 (name, content = 'parties', content_rowid = 'id', tokenize = 'trigram', detail = 'none');
INSERT INTO parties_fts (parties_fts) VALUES ('rebuild');
-- +goose StatementBegin
CREATE TRIGGER parties_fts_insert AFTER INSERT ON parties BEGIN
    INSERT INTO parties_fts (rowid, name) VALUES (new.id, new.name);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER parties_fts_delete AFTER DELETE ON parties BEGIN
    INSERT INTO parties_fts (parties_fts, rowid, name) VALUES ('delete', old.id, old.name);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER parties_fts_update AFTER UPDATE OF id, name ON parties BEGIN
    INSERT INTO parties_fts (parties_fts, rowid, name) VALUES ('delete', old.id, old.name);
    INSERT INTO parties_fts (rowid, name) VALUES (new.id, new.name);
END;
-- +goose StatementEnd
DROP TABLE party_names_fts;
DROP TABLE party_names;
CREATE TABLE party_names (
    name TEXT NOT NULL
);
DELETE FROM search_trigram_stats;
