-- The change log of reports, the warninglist and analysts' marks.
--
-- rev: every change of a report (insert, update, retraction, restore) sets its `rev` to the
-- largest rev so far + 1, inside the write transaction, so revs follow commit order (one writer
-- at a time, BEGIN IMMEDIATE, also across processes). Only the latest rev of a report is kept:
-- the change log is "reports whose rev is above N", read in rev order through the unique index.
-- The default is only for the ALTER (SQLite cannot add a NOT NULL column without one); every
-- write sets rev explicitly. Existing reports get revs in seq order, so a derived index rebuilt
-- from rev 0 sees them in the order they were stored.
ALTER TABLE reports ADD COLUMN rev INTEGER NOT NULL DEFAULT 0;
UPDATE reports SET rev = numbered.n
FROM (SELECT seq, row_number() OVER (ORDER BY seq) AS n FROM reports) AS numbered
WHERE reports.seq = numbered.seq;
CREATE UNIQUE INDEX reports_rev ON reports (rev);

-- Values that must never correlate. Entries are never deleted, only marked removed
-- (`removed_at`), so a shipped entry an admin removed is not shipped again. `key` is
-- `kind:canonical`, or `kind:raw:REGION:value` for a value that does not normalise.
-- entity and added_by are not foreign keys: a shipped entry names an entity no report may
-- have seen yet, and was added by nobody.
CREATE TABLE warninglist (
    key        TEXT PRIMARY KEY NOT NULL,
    kind       TEXT NOT NULL,
    value      TEXT NOT NULL,
    entity     BLOB,
    region     TEXT,
    reason     TEXT NOT NULL,
    source     TEXT NOT NULL,
    added_by   BLOB,
    added_at   INTEGER NOT NULL,
    removed_at INTEGER
) WITHOUT ROWID;

-- One verdict per analyst per entity (`confirmed` or `false_positive`); a later one replaces
-- it. Not foreign keys, like reports' owner and author: the entity table's rows are sightings.
CREATE TABLE marks (
    entity  BLOB NOT NULL,
    user_id BLOB NOT NULL,
    agency  BLOB NOT NULL,
    verdict TEXT NOT NULL,
    note    TEXT NOT NULL,
    at      INTEGER NOT NULL,
    PRIMARY KEY (entity, user_id)
) WITHOUT ROWID;
