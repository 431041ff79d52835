-- +goose Up
-- Search by any part of a name (issue 19). Parties' names are kept in
-- clear (only phones are sealed), so the index may hold their trigrams:
-- pg_trgm's GIN index serves name LIKE '%…%' for three characters or
-- more. It is kept by the engine on every insert, update and COPY.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX parties_name_trgm ON parties USING gin (name gin_trgm_ops);

-- Cases by their officer's name: every query on it names the officer,
-- most the court too, so the officer leads. (It led with the court, and
-- the search's officer = ? walked the whole index.)
DROP INDEX cases_officer_name;
CREATE INDEX cases_officer_name ON cases (officer, court_id);

-- +goose Down
DROP INDEX cases_officer_name;
CREATE INDEX cases_officer_name ON cases (court_id, officer);
DROP INDEX parties_name_trgm;
