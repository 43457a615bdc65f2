-- Entities get node-local sequential numbers, and sightings are keyed by them.
--
-- Before: one tree keyed by entity id (a random UUIDv5) held every entity's header and its
-- sightings, so each new identifier, most of what a report brings, landed on a random page,
-- and at 1M reports a 10,000-report commit rewrote ~70,000 pages of a 1 GB tree (each a
-- 4 KiB WAL frame, then a checkpoint write): ingest fell from 18k to 5k reports/s.
--
-- After: `entities` is a rowid table whose rowid (`no`) is given in order of first sight, so
-- a new entity's header is appended at the end of the table, and `sightings` is keyed by
-- (entity number, time, report), so a new entity's sightings are appended too. Only the
-- unique index from entity id to number stays random, and its entries are a tenth of a
-- sighting row's size: at 1M reports it is about 150 MB, which the writer's page cache holds.
-- Sightings of entities already known still land inside their entity's range, as before.
--
-- `no` is an internal number: it never leaves the store (entity ids do), and a restore or a
-- migration to another store gives new numbers.
ALTER TABLE entities RENAME TO entities_0003;

CREATE TABLE entities (
    no            INTEGER PRIMARY KEY,
    id            BLOB NOT NULL,
    kind          TEXT NOT NULL,
    value         TEXT NOT NULL,
    first_seen_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX entities_id ON entities (id);

-- One row per sighting in a report that is not retracted: just the key. Who may read it
-- (the report's owner, marking and distribution) is read from the report by its rowid
-- (`report_seq`, not a foreign key: the insert path stays free of parent look-ups). Sighting
-- rows used to carry those facts so that a lookup needed no join; lookups are answered from
-- the in-memory identifier index now, and the store's sightings are read only until it is
-- ready and by migrations, while every ingest paid for the wider rows (a third of a batch's
-- writer time went to binding and storing them).
CREATE TABLE sightings (
    entity_no  INTEGER NOT NULL,
    seen_at    INTEGER NOT NULL,
    report_seq INTEGER NOT NULL,
    PRIMARY KEY (entity_no, seen_at, report_seq)
) WITHOUT ROWID;

INSERT INTO entities (id, kind, value, first_seen_at)
SELECT entity_id, kind, value, first_seen_at FROM entities_0003
WHERE report_seq = 0
ORDER BY first_seen_at, entity_id;

INSERT INTO sightings (entity_no, seen_at, report_seq)
SELECT e.no, o.seen_at, o.report_seq
FROM entities_0003 AS o JOIN entities AS e ON e.id = o.entity_id
WHERE o.report_seq > 0
ORDER BY e.no, o.seen_at, o.report_seq;

DROP TABLE entities_0003;
