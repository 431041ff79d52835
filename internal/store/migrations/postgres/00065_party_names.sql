-- +goose Up
-- Issue 19: the trigram index over the distinct party names instead of
-- over every party. Names repeat (banks, companies, agencies: 169,000
-- distinct of 524,000 at 200,000 cases), and a first import builds the
-- index after its rows, which took 14 s on one process over the 2.6
-- million names of 1,000,000 cases. A name search reads the names that
-- hold the text here (LIKE decides, served by party_names_trgm), then
-- the parties that bear them through parties_name.
--
-- Triggers keep the table, so that every writer of parties (the import's
-- INSERTs and COPYs, a case's edit, the demo, tests) adds its new names
-- in its own transaction; a bulk load drops the insert trigger with its
-- deferred indexes and fills the table once at the end (bulk_indexes.go).
-- No unique key: two transactions adding the same new name would wait
-- on each other (and could deadlock over two names); a name twice is
-- harmless to the search's IN. Names no party bears any more (a party
-- renamed or replaced) stay: they match no party.
CREATE TABLE party_names (
    name TEXT NOT NULL
);
CREATE INDEX party_names_name ON party_names (name);

-- +goose StatementBegin
CREATE FUNCTION party_names_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO party_names (name)
        SELECT DISTINCT n.name FROM new_parties n
        WHERE NOT EXISTS (SELECT 1 FROM party_names m WHERE m.name = n.name);
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER parties_names AFTER INSERT ON parties
    REFERENCING NEW TABLE AS new_parties FOR EACH STATEMENT EXECUTE FUNCTION party_names_add();
CREATE TRIGGER parties_names_renamed AFTER UPDATE ON parties
    REFERENCING NEW TABLE AS new_parties FOR EACH STATEMENT EXECUTE FUNCTION party_names_add();

INSERT INTO party_names (name) SELECT DISTINCT name FROM parties;
CREATE INDEX party_names_trgm ON party_names USING gin (name gin_trgm_ops);
DROP INDEX IF EXISTS parties_name_trgm;

-- +goose Down
CREATE INDEX parties_name_trgm ON parties USING gin (name gin_trgm_ops);
DROP TRIGGER parties_names_renamed ON parties;
DROP TRIGGER parties_names ON parties;
DROP FUNCTION party_names_add();
DROP TABLE party_names;
