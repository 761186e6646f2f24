-- Spotter schema version 2.

-- Whole-bot windows (stats/gaps without a guild, the CLI, retention purges) filter on
-- created_at alone, which the (guild_id, created_at) index cannot serve.
CREATE INDEX questions_created ON questions (created_at);

-- When a vote was last changed; created_at stays the time of the first click.
ALTER TABLE votes ADD COLUMN updated_at REAL;
UPDATE votes SET updated_at = created_at WHERE updated_at IS NULL;

-- Lets the retention purge find old votes without scanning them all.
CREATE INDEX votes_created ON votes (created_at);
