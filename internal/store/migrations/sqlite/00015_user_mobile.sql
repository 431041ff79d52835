-- +goose Up
-- A staff member's mobile, sealed like parties' numbers, for the
-- reminders and alerts the mechanisms text (liaisons, late reports).
ALTER TABLE users ADD COLUMN phone_sealed TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN phone_index TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE users DROP COLUMN phone_index;
ALTER TABLE users DROP COLUMN phone_sealed;
