-- +goose Up
-- The message centre (issue 14, liaisons and leaders): one row per
-- recipient, read when read_at is set. title and link only: a party's
-- details and a complaint's content stay behind the link.
CREATE TABLE messages (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id),
    court_id    INTEGER NOT NULL REFERENCES courts (id),
    kind        TEXT NOT NULL,
    title       TEXT NOT NULL,
    link        TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    read_at     TIMESTAMP
);
CREATE INDEX messages_user ON messages (user_id, id);
-- The header's count on every page reads this index alone.
CREATE INDEX messages_unread ON messages (user_id) WHERE read_at IS NULL;
-- Which kinds are texted as well; a kind without a row is not. A trip
-- review was texted before the message centre came, and still is.
CREATE TABLE notice_settings (
    kind  TEXT PRIMARY KEY,
    sms   BOOLEAN NOT NULL
);
INSERT INTO notice_settings (kind, sms) VALUES ('trip_review', TRUE);

-- +goose Down
DROP TABLE notice_settings;
DROP TABLE messages;
