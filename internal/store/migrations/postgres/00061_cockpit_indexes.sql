-- +goose Up
-- The cockpit's core indicators (issue 18) at a province's million cases
-- (store/overview_core.go). Each was a walk of every case of each court
-- through cases_court_filed with a look-up of the row: 2.7 s for the
-- cases with property, 2.3 s for the petitions, 0.6 s for the three
-- years, on SQLite, for each period the page counts.
--
-- The cases with property, by court and type, with the days a case is
-- reckoned on (57 % of the cases; 27 MB at a million): 0.15 s.
CREATE INDEX cases_property ON cases (court_id, type, closed_on, due_on, closing_mode) WHERE has_property AND property_known;
-- The petitions (3 % of the cases; 1 MB): 5 ms.
CREATE INDEX cases_petition ON cases (court_id, filed_on, closed_on) WHERE petition;
-- The three years read the day closed beside the day filed: the same
-- index, the case list's order unchanged, without a look-up per case
-- (0.1 s).
DROP INDEX cases_court_filed;
CREATE INDEX cases_court_filed ON cases (court_id, filed_on, id, closed_on);

-- +goose Down
DROP INDEX cases_court_filed;
CREATE INDEX cases_court_filed ON cases (court_id, filed_on, id);
DROP INDEX cases_petition;
DROP INDEX cases_property;
