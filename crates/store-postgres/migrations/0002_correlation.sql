-- The change log of reports, the warninglist and analysts' marks.
--
-- rev: every change of a report (insert, update, retraction, restore) sets its `rev` to the
-- largest rev so far + 1 under the store's write lock, so revs follow commit order whichever
-- process commits. Only the latest rev of a report is kept: the change log is "reports whose
-- rev is above N", read in rev order through the unique index. Existing reports get revs in
-- seq order, so a derived index rebuilt from rev 0 sees them in the order they were stored.
-- The ALTER's lock, held until the migration commits, keeps every other writer out meanwhile.
ALTER TABLE reports ADD COLUMN rev bigint;
UPDATE reports SET rev = numbered.n
FROM (SELECT seq, row_number() OVER (ORDER BY seq) AS n FROM reports) AS numbered
WHERE reports.seq = numbered.seq;
ALTER TABLE reports ALTER COLUMN rev SET NOT NULL;
CREATE UNIQUE INDEX reports_rev ON reports (rev);

-- Values that must never correlate. Entries are never deleted, only marked removed
-- (`removed_at`), so a shipped entry an admin removed is not shipped again. `key` is
-- `kind:canonical`, or `kind:raw:REGION:value` for a value that does not normalise; it is
-- listed in byte order, as in SQLite. entity and added_by are not foreign keys: a shipped
-- entry names an entity no report may have seen yet, and was added by nobody.
CREATE TABLE warninglist (
    key        text COLLATE "C" PRIMARY KEY,
    kind       text NOT NULL,
    value      text NOT NULL,
    entity     uuid,
    region     text,
    reason     text NOT NULL,
    source     text NOT NULL,
    added_by   uuid,
    added_at   bigint NOT NULL,
    removed_at bigint
);

-- One verdict per analyst per entity (`confirmed` or `false_positive`); a later one replaces
-- it. Not foreign keys, like reports' owner and author.
CREATE TABLE marks (
    entity  uuid NOT NULL,
    user_id uuid NOT NULL,
    agency  uuid NOT NULL,
    verdict text NOT NULL,
    note    text NOT NULL,
    at      bigint NOT NULL,
    PRIMARY KEY (entity, user_id)
);
