-- +goose Up
-- The index of parties' blind phone indexes goes (issue 19): no query
-- reads parties by phone (phones stay sealed and are never searched;
-- the SMS outbox, complaints and users keep their own phone indexes),
-- yet every party written kept it up, and a first import built it over
-- every party: at a million cases 2.6 million random 64-character keys,
-- on PostgreSQL 15.6 s on one of the build's two connections, in a
-- build of 38 s (load 9; under C.UTF-8 each comparison is a strcoll).
-- The column stays, with its values.
DROP INDEX IF EXISTS parties_phone;
DELETE FROM deferred_indexes WHERE name = 'parties_phone';

-- +goose Down
CREATE INDEX parties_phone ON parties (phone_index);
