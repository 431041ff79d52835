-- +goose Up
-- Sorting the case list by amount or closing date stays a range scan.
CREATE INDEX cases_amount ON cases (amount, id);
CREATE INDEX cases_closed ON cases (closed_on, id);

-- +goose Down
DROP INDEX cases_closed;
DROP INDEX cases_amount;
