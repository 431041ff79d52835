-- +goose Up
-- The trigram index of the distinct party names (migration 00066) without
-- the column sizes FTS5 keeps per row for ranking (issue 19): the name
-- search never ranks (it matches trigrams, then LIKE decides), and the
-- sizes were half of the index: 4.2 MB with them, 2.0 MB without, for
-- the 211,313 names of 300,000 cases, whose filling after a first import
-- took 0.50–0.55 CPU-seconds with them and 0.36–0.40 without. The merge settings go back to FTS5's
-- defaults with the table, as the server's writes have them.
DROP TABLE party_names_fts;
CREATE VIRTUAL TABLE party_names_fts USING fts5 (name, content = 'party_names', content_rowid = 'id', tokenize = 'trigram', detail = 'none', columnsize = 0);
INSERT INTO party_names_fts (party_names_fts) VALUES ('rebuild');

-- +goose Down
DROP TABLE party_names_fts;
CREATE VIRTUAL TABLE party_names_fts USING fts5 (name, content = 'party_names', content_rowid = 'id', tokenize = 'trigram', detail = 'none');
INSERT INTO party_names_fts (party_names_fts) VALUES ('rebuild');
