-- +goose Up
-- Issue 19: the indexed text columns of the case tables compare bytes
-- (COLLATE "C"). The clusters here run C.UTF-8, which PostgreSQL 15
-- takes for a locale like any other: every comparison in these columns'
-- B-trees went through strcoll, without abbreviated keys, and a first
-- import builds about fifteen such indexes over every case and one over
-- every party (bulk_indexes.go). Byte order is code-point order in
-- UTF-8: the order glibc's C.UTF-8 gives, and SQLite's (BINARY), so the
-- pages sort alike on both engines whatever locale a province's cluster
-- was made with, and the name prefix search's range (name >= q AND
-- name < q || U+10FFFF) holds under any of them. pg_trgm folds and
-- splits names under the database's own locale whatever the column's
-- collation: the trigram index reads as before. No query compares these
-- columns case-insensitively (lower(), ILIKE), which "C" would confine
-- to ASCII, as SQLite's LIKE is. A column's collation changes without
-- rewriting its table; the indexes over it are built again.
ALTER TABLE cases
    ALTER COLUMN number TYPE text COLLATE "C",
    ALTER COLUMN type TYPE text COLLATE "C",
    ALTER COLUMN filed_on TYPE text COLLATE "C",
    ALTER COLUMN officer TYPE text COLLATE "C",
    ALTER COLUMN closed_on TYPE text COLLATE "C",
    ALTER COLUMN closing_mode TYPE text COLLATE "C",
    ALTER COLUMN due_on TYPE text COLLATE "C";
ALTER TABLE parties ALTER COLUMN name TYPE text COLLATE "C";
ALTER TABLE party_names ALTER COLUMN name TYPE text COLLATE "C";

-- +goose Down
ALTER TABLE party_names ALTER COLUMN name TYPE text COLLATE "default";
ALTER TABLE parties ALTER COLUMN name TYPE text COLLATE "default";
ALTER TABLE cases
    ALTER COLUMN number TYPE text COLLATE "default",
    ALTER COLUMN type TYPE text COLLATE "default",
    ALTER COLUMN filed_on TYPE text COLLATE "default",
    ALTER COLUMN officer TYPE text COLLATE "default",
    ALTER COLUMN closed_on TYPE text COLLATE "default",
    ALTER COLUMN closing_mode TYPE text COLLATE "default",
    ALTER COLUMN due_on TYPE text COLLATE "default";
