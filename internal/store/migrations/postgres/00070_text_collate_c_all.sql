-- +goose Up
-- Every other text column compares bytes too (COLLATE "C"), as the case
-- tables' indexed ones have since 00069: the order and equality of
-- SQLite (BINARY), and of the C.UTF-8 clusters here, whatever locale a
-- province's cluster was made with. On a database whose default
-- collation is Chinese (ICU zh-CN, or glibc's zh_CN.UTF-8) the pages and
-- reports that sort by a court's, a department's or a person's name
-- sorted by pinyin, and the same records came out in another order than
-- on SQLite: the disposition counts by department, for one
-- (`ZHILIAN_TEST_PG_LOCALE=zh-CN go test ./internal/store/`). lower()
-- under "C" folds ASCII only, as SQLite's does; the queries use it on
-- user names and the audit's actor, whose letters are ASCII. A column's
-- collation changes without rewriting its table; the indexes over it are
-- built again. The queue's tables (river_*) and goose's are not ours and
-- keep theirs. A later migration that adds a text column writes COLLATE
-- "C" (TestTextColumnsCompareBytes).
-- +goose StatementBegin
DO $$
DECLARE
    r record;
BEGIN
    FOR r IN
        SELECT c.relname,
            string_agg(format('ALTER COLUMN %I TYPE text COLLATE "C"', a.attname), ', ' ORDER BY a.attnum) AS alters
        FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
        WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')
            AND c.relname NOT LIKE 'river\_%' AND c.relname <> 'goose_db_version'
            AND a.attnum > 0 AND NOT a.attisdropped
            AND a.atttypid = 'text'::regtype AND a.attcollation = 'default'::regcollation
        GROUP BY c.relname ORDER BY c.relname
    LOOP
        EXECUTE format('ALTER TABLE %I %s', r.relname, r.alters);
    END LOOP;
END
$$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
DO $$
DECLARE
    r record;
BEGIN
    FOR r IN
        SELECT c.relname,
            string_agg(format('ALTER COLUMN %I TYPE text COLLATE "default"', a.attname), ', ' ORDER BY a.attnum) AS alters
        FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
        WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')
            AND c.relname NOT LIKE 'river\_%' AND c.relname <> 'goose_db_version'
            AND a.attnum > 0 AND NOT a.attisdropped
            AND a.atttypid = 'text'::regtype AND a.attcollation = '"C"'::regcollation
            -- 00069's own.
            AND (c.relname, a.attname) NOT IN (('cases', 'number'), ('cases', 'type'), ('cases', 'filed_on'),
                ('cases', 'officer'), ('cases', 'closed_on'), ('cases', 'closing_mode'), ('cases', 'due_on'),
                ('parties', 'name'), ('party_names', 'name'))
        GROUP BY c.relname ORDER BY c.relname
    LOOP
        EXECUTE format('ALTER TABLE %I %s', r.relname, r.alters);
    END LOOP;
END
$$;
-- +goose StatementEnd
