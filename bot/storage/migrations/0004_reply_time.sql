-- Spotter schema version 4.

-- What the asker waited: milliseconds from their message or command (its snowflake time) to
-- the reply sent. NULL where it was not measured: the CLI, questions logged before version 4,
-- replies that could not be sent. latency_ms stays the engine's own time.
ALTER TABLE questions ADD COLUMN reply_ms REAL;
