-- The first schema of a warroom node's SQLite store.
--
-- Conventions: ids are 16-byte UUID BLOBs; timestamps are INTEGER nanoseconds since the Unix
-- epoch (exact round trip of jiff::Timestamp, and plain integer comparison for ranges and order);
-- enumerations are their domain text (`victim_complaint`, `AMBER+STRICT`) so that a hand-run
-- query reads well and a value this build does not know is reported as corrupt, not misread.

CREATE TABLE agencies (
    id        BLOB PRIMARY KEY NOT NULL,
    name      TEXT NOT NULL,
    country   TEXT NOT NULL,
    kind      TEXT NOT NULL,
    home_node TEXT NOT NULL
);

CREATE TABLE users (
    id            BLOB PRIMARY KEY NOT NULL,
    agency        BLOB NOT NULL REFERENCES agencies (id),
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    -- Role names joined by ',' in the set's order.
    roles         TEXT NOT NULL,
    disabled      INTEGER NOT NULL,
    password_hash TEXT,
    created_at    INTEGER NOT NULL
);
CREATE INDEX users_agency ON users (agency);

CREATE TABLE groups (
    id   BLOB PRIMARY KEY NOT NULL,
    name TEXT NOT NULL
);

-- Members are not tied to `agencies`: a group may name agencies of federated nodes before
-- this node has their records.
CREATE TABLE group_members (
    group_id BLOB NOT NULL REFERENCES groups (id),
    agency   BLOB NOT NULL,
    PRIMARY KEY (group_id, agency)
) WITHOUT ROWID;
CREATE INDEX group_members_agency ON group_members (agency, group_id);

CREATE TABLE tokens (
    id         BLOB PRIMARY KEY NOT NULL,
    user_id    BLOB NOT NULL REFERENCES users (id),
    name       TEXT NOT NULL,
    hash       BLOB NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER,
    revoked_at INTEGER
);
CREATE INDEX tokens_user ON tokens (user_id);

CREATE TABLE sessions (
    hash       BLOB PRIMARY KEY NOT NULL,
    user_id    BLOB NOT NULL REFERENCES users (id),
    csrf       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;

-- The current version of each report. `seq` (the rowid) is given once at insert and never
-- changes, so listing order and cursors survive updates. Owner and author are not foreign keys:
-- reports from federated nodes may arrive before their agency does, and the insert path stays
-- free of two parent look-ups per report.
--
-- distribution: `dist_agencies` and `dist_groups` are concatenated 16-byte ids in set order.
-- methods: a JSON array of slugs (order kept; filtered with json_each).
-- entities: the report's own entity list (id, kind, value), length-prefixed binary, so a read
-- gives back exactly what was written even where `entities` holds another label for the id.
CREATE TABLE reports (
    seq            INTEGER PRIMARY KEY,
    id             BLOB NOT NULL UNIQUE,
    owner          BLOB NOT NULL,
    author         BLOB NOT NULL,
    kind           TEXT NOT NULL,
    marking        TEXT NOT NULL,
    dist_agencies  BLOB NOT NULL,
    dist_groups    BLOB NOT NULL,
    methods        TEXT NOT NULL,
    victim_country TEXT,
    occurred_at    INTEGER,
    reported_at    INTEGER NOT NULL,
    recorded_at    INTEGER NOT NULL,
    version        INTEGER NOT NULL,
    retracted_at   INTEGER,
    hit_notices    INTEGER NOT NULL,
    fingerprint    BLOB NOT NULL,
    entities       BLOB NOT NULL,
    body           TEXT NOT NULL
);
CREATE INDEX reports_owner ON reports (owner, seq);

-- Superseded versions only: the current one lives in `reports`, so an insert writes its body
-- once; an update copies the outgoing row here first.
CREATE TABLE report_versions (
    seq            INTEGER NOT NULL REFERENCES reports (seq),
    version        INTEGER NOT NULL,
    id             BLOB NOT NULL,
    owner          BLOB NOT NULL,
    author         BLOB NOT NULL,
    kind           TEXT NOT NULL,
    marking        TEXT NOT NULL,
    dist_agencies  BLOB NOT NULL,
    dist_groups    BLOB NOT NULL,
    methods        TEXT NOT NULL,
    victim_country TEXT,
    occurred_at    INTEGER,
    reported_at    INTEGER NOT NULL,
    recorded_at    INTEGER NOT NULL,
    retracted_at   INTEGER,
    hit_notices    INTEGER NOT NULL,
    fingerprint    BLOB NOT NULL,
    entities       BLOB NOT NULL,
    body           TEXT NOT NULL,
    PRIMARY KEY (seq, version)
);

-- Entities and their sightings share one tree keyed by entity: first a header row
-- (seen_at = -2^63 and report_seq = 0, so it sorts first) with the entity's kind, value and
-- first_seen_at, then one row per sighting in a report that is not retracted (kind, value and
-- first_seen_at NULL; agency, marking and distribution come from the report by its rowid).
-- Entity ids are random, so every insert lands on a random page, and random pages are what a
-- batch of reports pays for (each dirty page is a 4 KiB WAL frame, then a checkpoint write);
-- side by side, an entity's header and its new sighting are one such page, not one in each
-- of two trees. The key order is the `sightings` order (entity, then time), so a lookup is
-- one range scan with no sort, and a report's rows are found again by key from its entity list.
-- report_seq is not a foreign key: the header rows have none.
CREATE TABLE entities (
    entity_id     BLOB NOT NULL,
    seen_at       INTEGER NOT NULL,
    report_seq    INTEGER NOT NULL,
    kind          TEXT,
    value         TEXT,
    first_seen_at INTEGER,
    -- Sighting rows carry their report's id and access facts (owner, marking, distribution),
    -- so that a lookup is one range scan with no join, however many reports hold the entity;
    -- updates and retractions rewrite or delete a report's sighting rows anyway.
    report_id     BLOB,
    owner         BLOB,
    marking       TEXT,
    dist_agencies BLOB,
    dist_groups   BLOB,
    PRIMARY KEY (entity_id, seen_at, report_seq)
) WITHOUT ROWID;

-- Row counts kept in step by the writes, so counting 10M sightings is not a table scan.
CREATE TABLE counters (
    name  TEXT PRIMARY KEY NOT NULL,
    value INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO counters (name, value) VALUES ('reports', 0), ('sightings', 0);

CREATE TABLE audit (
    seq          INTEGER PRIMARY KEY,
    at           INTEGER NOT NULL,
    actor_user   BLOB,
    actor_agency BLOB,
    action       TEXT NOT NULL,
    object_kind  TEXT NOT NULL,
    object_id    TEXT NOT NULL,
    request_id   TEXT NOT NULL,
    purpose      TEXT,
    prev_hash    BLOB NOT NULL,
    hash         BLOB NOT NULL
);
CREATE INDEX audit_agency ON audit (actor_agency, seq) WHERE actor_agency IS NOT NULL;
