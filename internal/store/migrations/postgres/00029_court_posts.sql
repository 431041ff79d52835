-- +goose Up
-- Each court's co-leaders and its one liaison per body (issue 14): a post
-- is held by at most one user. The liaison flag on users made any number
-- of liaisons; each court's first flagged holder of a body's role becomes
-- that body's liaison.
CREATE TABLE court_posts (
    court_id      BIGINT NOT NULL REFERENCES courts (id),
    post          TEXT NOT NULL,
    user_id       BIGINT NOT NULL REFERENCES users (id),
    appointed_by  TEXT NOT NULL,
    appointed_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (court_id, post)
);
CREATE INDEX court_posts_user ON court_posts (user_id);
INSERT INTO court_posts (court_id, post, user_id, appointed_by, appointed_at)
    SELECT u.court_id, CASE ur.role WHEN 'bureau' THEN 'bureau_liaison' WHEN 'discipline_group' THEN 'discipline_liaison' ELSE 'supervision_liaison' END,
        MIN(u.id), 'migration', CURRENT_TIMESTAMP
    FROM users u JOIN user_roles ur ON ur.user_id = u.id
    WHERE u.liaison AND NOT u.disabled AND ur.role IN ('bureau', 'discipline_group', 'supervision_office')
    GROUP BY u.court_id, ur.role;

-- +goose Down
DROP TABLE court_posts;
