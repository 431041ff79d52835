-- +goose Up
-- Special inspections, the review (issue 16): a finding the group refers
-- to the watchdogs becomes a clue of its own source kind 'inspection'
-- (source_id the finding), and a campaign may relax cross-court review
-- (交叉评查, the default) to cross-department review.
ALTER TABLE clues DROP CONSTRAINT clues_source_check;
ALTER TABLE clues ADD CONSTRAINT clues_source_check CHECK (source IN ('complaint', 'visit', 'trip_review', 'tracking', 'inspection', 'other'));
ALTER TABLE inspection_campaigns ADD COLUMN cross_court BOOLEAN NOT NULL DEFAULT TRUE;

-- +goose Down
ALTER TABLE inspection_campaigns DROP COLUMN cross_court;
UPDATE clues SET source = 'other' WHERE source = 'inspection';
ALTER TABLE clues DROP CONSTRAINT clues_source_check;
ALTER TABLE clues ADD CONSTRAINT clues_source_check CHECK (source IN ('complaint', 'visit', 'trip_review', 'tracking', 'other'));
