-- +goose Up
-- Everyone who travels reports (issue 13, point 10). A trip's travellers
-- are members of the court's staff, the registering officer among them;
-- each files and signs his own 附件1 and counts in the lateness and
-- 一岗双责 figures. companions keeps, in words, those who go and are not
-- of the court. returned_on is the traveller's own return, from his
-- report.
CREATE TABLE trip_travellers (
    trip_id      BIGINT NOT NULL REFERENCES trips (id),
    user_id      BIGINT NOT NULL REFERENCES users (id),
    returned_on  TEXT,
    PRIMARY KEY (trip_id, user_id)
);
CREATE INDEX trip_travellers_user ON trip_travellers (user_id);
INSERT INTO trip_travellers (trip_id, user_id, returned_on) SELECT id, officer_id, returned_on FROM trips;
-- One 附件1 per traveller, not per trip.
DROP INDEX trip_reports_annex1;
CREATE UNIQUE INDEX trip_reports_annex1 ON trip_reports (trip_id, officer_id) WHERE kind = 'annex1' AND supplements IS NULL;

-- +goose Down
DROP INDEX trip_reports_annex1;
CREATE UNIQUE INDEX trip_reports_annex1 ON trip_reports (trip_id) WHERE kind = 'annex1' AND supplements IS NULL;
DROP TABLE trip_travellers;
