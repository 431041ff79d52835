-- +goose Up
-- A trip review's talk reminder (谈话提醒) is a record of the register of
-- dispositions (issue 14): a first-form disposition of the officer, with
-- its talk, linked to the review it handled. review_id names that review;
-- the talks recorded before this are entered here, so the register and
-- its counts hold them too. The review keeps its own copy for its leader,
-- who does not see the register.
ALTER TABLE dispositions ADD COLUMN review_id INTEGER REFERENCES trip_reviews (id);
CREATE UNIQUE INDEX dispositions_review ON dispositions (review_id);

INSERT INTO dispositions (court_id, user_id, form, measure, basis, decider, decided_on, follow_up_on, clue_id, review_id, entered_by, created_at)
SELECT rv.court_id, rv.officer_id, 1, '谈话提醒', '外出报告审查' || rv.id || '：' || CASE rv.reason WHEN 'yes' THEN '报告单有“有”项' WHEN 'annex2' THEN '全程廉洁报告“未做到”'
    WHEN 'contradicted' THEN '与当事人反映不符（不如实报告）' WHEN 'unreported' THEN '当事人反映问题，外出未报告' ELSE rv.reason END,
    rv.head_by, rv.talk_on, NULL, NULL, rv.id, rv.head_by, rv.head_at
FROM trip_reviews rv WHERE rv.talk_on IS NOT NULL AND rv.talk_on <> '' AND rv.head_at IS NOT NULL;

INSERT INTO disposition_talks (disposition_id, kind, held_on, place, participants, content, statement, commitment, follow_up_on, by_name, created_at)
SELECT p.id, '谈话提醒', rv.talk_on, rv.talk_place, '谈话人：' || rv.head_by || '；谈话对象：' || u.name, rv.talk_content, rv.talk_statement, '', NULL,
    rv.head_by, rv.head_at
FROM dispositions p JOIN trip_reviews rv ON rv.id = p.review_id JOIN users u ON u.id = rv.officer_id;

-- +goose Down
DELETE FROM disposition_talks WHERE disposition_id IN (SELECT id FROM dispositions WHERE review_id IS NOT NULL);
DELETE FROM dispositions WHERE review_id IS NOT NULL;
DROP INDEX dispositions_review;
ALTER TABLE dispositions DROP COLUMN review_id;
