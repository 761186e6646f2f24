-- Spotter schema version 3.

-- Changes moderators made to the exercise library from Discord: who, what, when.
-- Unlike the question log this names the person on purpose: it is an audit of edits.
CREATE TABLE library_changes (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER,
    user_id     INTEGER NOT NULL,
    user_name   TEXT NOT NULL,
    action      TEXT NOT NULL,              -- upload, remove, add_faq (checked in Python)
    pages       TEXT NOT NULL DEFAULT '[]', -- JSON list of the files written or moved
    summary     TEXT NOT NULL,
    created_at  REAL NOT NULL               -- seconds since the Unix epoch (UTC)
);

CREATE INDEX library_changes_created ON library_changes (created_at);
