-- +goose Up
-- Issue 19: the officer's and the tracking bodies' home to-dos read by
-- index, in the order they list.
--
-- An officer's cases closed lately without his 附件2, oldest closing
-- first (TripTodos): cases_officer is by filing day, so every case the
-- officer ever had (thousands over ten years) was read and sorted by its
-- closing day.
CREATE INDEX cases_officer_closed ON cases (officer_id, closed_on) WHERE closed_on IS NOT NULL;
-- His reports found not truthful and the supplements filed since
-- (TripTodos): every review of the province was read, and for each
-- contradicted one every report, to find a supplement.
CREATE INDEX trip_reviews_contradicted ON trip_reviews (officer_id) WHERE reason = 'contradicted';
CREATE INDEX trip_reports_supplements ON trip_reports (supplements) WHERE supplements IS NOT NULL;
-- A court's open trackings, the latest first (TrackingTodos), and
-- through them their opinions, decisions and officers in one statement
-- each.
CREATE INDEX trackings_court_open ON trackings (court_id, created_at, id) WHERE state NOT IN ('not_tracked', 'closed', 'lapsed');

-- +goose Down
DROP INDEX trackings_court_open;
DROP INDEX trip_reports_supplements;
DROP INDEX trip_reviews_contradicted;
DROP INDEX cases_officer_closed;
