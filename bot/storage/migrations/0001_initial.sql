-- Spotter schema version 1.

-- Facts about this database file, e.g. the salt used to hash voter ids.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- One row per question asked. Holds no user id on purpose.
-- source is checked in Python, not here, so a new source needs no table rebuild.
CREATE TABLE questions (
    id          TEXT PRIMARY KEY,           -- 32 hex digits, also used in button custom_ids
    guild_id    INTEGER,
    channel_id  INTEGER,
    question    TEXT NOT NULL,
    source      TEXT NOT NULL,
    slug        TEXT,
    section     TEXT,
    heading     TEXT,
    score       REAL NOT NULL,
    answered    INTEGER NOT NULL CHECK (answered IN (0, 1)),
    latency_ms  REAL NOT NULL,
    created_at  REAL NOT NULL               -- seconds since the Unix epoch (UTC)
);

CREATE INDEX questions_guild_created ON questions (guild_id, created_at);

-- One row per (question, voter): a voter may change their vote, never cast two.
-- No foreign key to questions: a click may arrive before its question is flushed.
CREATE TABLE votes (
    question_id TEXT NOT NULL,
    voter       BLOB NOT NULL,              -- keyed blake2b of the user id, never the id
    helpful     INTEGER NOT NULL CHECK (helpful IN (0, 1)),
    created_at  REAL NOT NULL,
    PRIMARY KEY (question_id, voter)
);

-- Per-guild overrides; NULL means "use the global default".
CREATE TABLE guild_settings (
    guild_id                   INTEGER PRIMARY KEY,
    min_confidence             REAL,
    ask_visibility             TEXT,
    exercise_visibility        TEXT,
    cooldown_seconds           REAL,
    auto_answer_channels       TEXT NOT NULL DEFAULT '[]',  -- JSON list of channel ids
    auto_answer_min_confidence REAL,
    updated_at                 REAL NOT NULL
);
