-- Spotter schema version 5.

-- The bot's processes sharing this database (on PostgreSQL: shards split across processes or
-- machines). Each keeps its own row: written at start, after each library load and every
-- half minute, deleted when it stops. /kb status lists them and their library versions.
CREATE TABLE processes (
    name              TEXT PRIMARY KEY,  -- host and process id, unique while it runs
    shards            TEXT NOT NULL,     -- its share of the gateway, e.g. "shards 0-3 of 8"
    library_version   TEXT NOT NULL,     -- the fingerprint of the library files it answers from
    library_loaded_at REAL NOT NULL,     -- seconds since the Unix epoch (UTC), as below
    started_at        REAL NOT NULL,
    last_seen         REAL NOT NULL
);
