-- +goose Up
-- Case imports from the page run as jobs of the queue (issue 12): the upload
-- waits in the upload directory of the server that took it (queue names that
-- server's import queue), with the column mapping, until a worker claims the
-- import. waiting marks an import not claimed yet, or given back at a
-- shutdown; attempts counts the claims that did not end in a shutdown, so that
-- a file that kills its worker again and again is given up; claims counts
-- every claim and tells the jobs of one import apart.
ALTER TABLE imports ADD COLUMN upload_path TEXT NOT NULL DEFAULT '';
ALTER TABLE imports ADD COLUMN mapping TEXT NOT NULL DEFAULT '';
ALTER TABLE imports ADD COLUMN queue TEXT NOT NULL DEFAULT '';
ALTER TABLE imports ADD COLUMN remote_addr TEXT NOT NULL DEFAULT '';
ALTER TABLE imports ADD COLUMN waiting BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE imports ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE imports ADD COLUMN claims INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE imports DROP COLUMN claims;
ALTER TABLE imports DROP COLUMN attempts;
ALTER TABLE imports DROP COLUMN waiting;
ALTER TABLE imports DROP COLUMN remote_addr;
ALTER TABLE imports DROP COLUMN queue;
ALTER TABLE imports DROP COLUMN mapping;
ALTER TABLE imports DROP COLUMN upload_path;
