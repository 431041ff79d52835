-- +goose Up
-- Issue 19: every query of the home page's to-dos walks an index in the
-- order it lists, however many open records there are, and so does
-- PostgreSQL's generic plan of a cached statement.
--
-- The visits without a deadline (the new visits the command centre
-- starts), in id order. visits_todo holds them, but PostgreSQL reads no
-- id order after due_at IS NULL: its generic plan walked visits_pkey over
-- every visit (31 ms at 100,000 cases, 11,670 rows thrown away).
CREATE INDEX visits_todo_undated ON visits (court_id, step, id) WHERE due_at IS NULL;
-- The same for a subtree's steps (a higher court's command centre).
CREATE INDEX visits_step_undated ON visits (step, id) WHERE due_at IS NULL;
-- The warnings waiting for a decision, oldest first (IntegrityTodos).
CREATE INDEX integrity_warnings_todo ON integrity_warnings (court_id, proposed_at, id) WHERE state = 'proposed';
-- The items a watchdog's court issued, to accept (RectToDos): the
-- rectifications were read whole to find them.
CREATE INDEX rectifications_issuer ON rectifications (issuer_court);
-- The leaders' trips past the second deadline, by it (TripTodos).
CREATE INDEX trips_escalate ON trips (court_id, escalate_on) WHERE status IN ('planned', 'returned') AND out_of_jurisdiction;
-- The reviews waiting for the leader, and for a watchdog's conclusion,
-- in id order (TripTodos).
CREATE INDEX trip_reviews_head ON trip_reviews (court_id, id) WHERE head_at IS NULL;
CREATE INDEX trip_reviews_unconcluded ON trip_reviews (court_id, id) WHERE concluded_at IS NULL;

-- +goose Down
DROP INDEX trip_reviews_unconcluded;
DROP INDEX trip_reviews_head;
DROP INDEX trips_escalate;
DROP INDEX rectifications_issuer;
DROP INDEX integrity_warnings_todo;
DROP INDEX visits_step_undated;
DROP INDEX visits_todo_undated;
