-- +goose Up
-- Search by any part of a name (issue 19). Parties' names are kept in
-- clear (only phones are sealed), so the index may hold their trigrams:
-- an FTS5 trigram index over parties (external content: the names are
-- not stored twice; detail=none: rowids only, the smallest index), which
-- finds the candidates for three characters or more; the search then
-- tests name LIKE on them. Triggers keep it in step with every insert,
-- update and delete (cascades included); the rebuild fills it from the
-- parties already there.
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

-- Cases by their officer's name: every query on it names the officer,
-- most the court too, so the officer leads. (It led with the court, and
-- the search's officer = ? walked the whole index.)
DROP INDEX cases_officer_name;
CREATE INDEX cases_officer_name ON cases (officer, court_id);

-- +goose Down
DROP INDEX cases_officer_name;
CREATE INDEX cases_officer_name ON cases (court_id, officer);
DROP TRIGGER parties_fts_update;
DROP TRIGGER parties_fts_delete;
DROP TRIGGER parties_fts_insert;
DROP TABLE parties_fts;
