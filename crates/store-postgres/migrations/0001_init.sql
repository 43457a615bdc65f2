-- The first schema of a warroom node's PostgreSQL store, created in the connection's current
-- schema (the first of its search_path): every name here and in the queries is unqualified, so
-- one database can hold several stores side by side (the tests give each its own schema).
--
-- Conventions, as in the SQLite backend: timestamps are bigint nanoseconds since the Unix epoch
-- (an exact round trip of jiff::Timestamp; timestamptz keeps microseconds only); enumerations are
-- their domain text (`victim_complaint`, `AMBER+STRICT`); ids are `uuid`. Text that is sorted
-- for a listing is compared with COLLATE "C", so the order is the bytes' order, as in SQLite,
-- whatever the database's collation.

CREATE TABLE agencies (
    id        uuid PRIMARY KEY,
    name      text NOT NULL,
    country   text NOT NULL,
    kind      text NOT NULL,
    home_node text NOT NULL
);

CREATE TABLE users (
    id            uuid PRIMARY KEY,
    agency        uuid NOT NULL REFERENCES agencies (id),
    username      text NOT NULL CONSTRAINT users_username_key UNIQUE,
    display_name  text NOT NULL,
    -- Role names joined by ',' in the set's order.
    roles         text NOT NULL,
    disabled      boolean NOT NULL,
    password_hash text,
    created_at    bigint NOT NULL
);
CREATE INDEX users_agency ON users (agency);

CREATE TABLE groups (
    id   uuid PRIMARY KEY,
    name text NOT NULL
);

-- Members are not tied to `agencies`: a group may name agencies of federated nodes before
-- this node has their records.
CREATE TABLE group_members (
    group_id uuid NOT NULL REFERENCES groups (id),
    agency   uuid NOT NULL,
    PRIMARY KEY (group_id, agency)
);
CREATE INDEX group_members_agency ON group_members (agency, group_id);

CREATE TABLE tokens (
    id         uuid PRIMARY KEY,
    user_id    uuid NOT NULL REFERENCES users (id),
    name       text NOT NULL,
    hash       bytea NOT NULL UNIQUE,
    created_at bigint NOT NULL,
    expires_at bigint,
    revoked_at bigint
);
CREATE INDEX tokens_user ON tokens (user_id);

CREATE TABLE sessions (
    hash       bytea PRIMARY KEY,
    user_id    uuid NOT NULL REFERENCES users (id),
    csrf       text NOT NULL,
    created_at bigint NOT NULL,
    expires_at bigint NOT NULL
);

-- The current version of each report. `seq` is given once at insert, under the store's write
-- lock, as the last seq + 1: seqs follow commit order, so a listing cursor never skips a report
-- committed after the page was read. It never changes, so listing order survives updates.
-- Owner and author are not foreign keys: reports from federated nodes may arrive before their
-- agency does.
--
-- methods: slugs in the order given. entities: the report's own entity list (id, kind, value),
-- length-prefixed binary as in the SQLite backend, so a read gives back exactly what was
-- written even where `entities` holds another label for the id.
CREATE TABLE reports (
    seq            bigint PRIMARY KEY,
    id             uuid NOT NULL UNIQUE,
    owner          uuid NOT NULL,
    author         uuid NOT NULL,
    kind           text NOT NULL,
    marking        text NOT NULL,
    dist_agencies  uuid[] NOT NULL,
    dist_groups    uuid[] NOT NULL,
    methods        text[] NOT NULL,
    victim_country text,
    occurred_at    bigint,
    reported_at    bigint NOT NULL,
    recorded_at    bigint NOT NULL,
    version        bigint NOT NULL,
    retracted_at   bigint,
    hit_notices    boolean NOT NULL,
    fingerprint    bytea NOT NULL,
    entities       bytea NOT NULL,
    body           text NOT NULL
);
CREATE INDEX reports_owner ON reports (owner, seq);

-- Superseded versions only: the current one lives in `reports`; an update copies the outgoing
-- row here first.
CREATE TABLE report_versions (
    seq            bigint NOT NULL REFERENCES reports (seq),
    version        bigint NOT NULL,
    id             uuid NOT NULL,
    owner          uuid NOT NULL,
    author         uuid NOT NULL,
    kind           text NOT NULL,
    marking        text NOT NULL,
    dist_agencies  uuid[] NOT NULL,
    dist_groups    uuid[] NOT NULL,
    methods        text[] NOT NULL,
    victim_country text,
    occurred_at    bigint,
    reported_at    bigint NOT NULL,
    recorded_at    bigint NOT NULL,
    retracted_at   bigint,
    hit_notices    boolean NOT NULL,
    fingerprint    bytea NOT NULL,
    entities       bytea NOT NULL,
    body           text NOT NULL,
    PRIMARY KEY (seq, version)
);

-- One row per entity, with its earliest sighting.
CREATE TABLE entities (
    id            uuid PRIMARY KEY,
    kind          text NOT NULL,
    value         text NOT NULL,
    first_seen_at bigint NOT NULL
);

-- One row per entity per report that is not retracted. Rows carry their report's id and access
-- facts (owner, marking, distribution), so a lookup is one index range scan in `sightings`
-- order with no join, however many reports hold the entity; updates and retractions delete a
-- report's rows by key (from its entity list) and write the new ones.
CREATE TABLE sightings (
    entity_id     uuid NOT NULL,
    seen_at       bigint NOT NULL,
    report_seq    bigint NOT NULL,
    report_id     uuid NOT NULL,
    owner         uuid NOT NULL,
    marking       text NOT NULL,
    dist_agencies uuid[] NOT NULL,
    dist_groups   uuid[] NOT NULL,
    PRIMARY KEY (entity_id, seen_at, report_seq)
);

-- Row counts kept in step by the writes, so counting 10M sightings is not a table scan.
CREATE TABLE counters (
    name  text PRIMARY KEY,
    value bigint NOT NULL
);
INSERT INTO counters (name, value) VALUES ('reports', 0), ('sightings', 0);

-- The hash chain. Appended only under the store's write lock, after reading the head in the
-- same transaction, so seqs run 1, 2, 3... with no gap and no fork, whichever process writes.
CREATE TABLE audit (
    seq          bigint PRIMARY KEY,
    at           bigint NOT NULL,
    actor_user   uuid,
    actor_agency uuid,
    action       text NOT NULL,
    object_kind  text NOT NULL,
    object_id    text NOT NULL,
    request_id   text NOT NULL,
    purpose      text,
    prev_hash    bytea NOT NULL,
    hash         bytea NOT NULL
);
CREATE INDEX audit_agency ON audit (actor_agency, seq) WHERE actor_agency IS NOT NULL;

-- Fixed-window counters shared by every process on the database: login attempts per client,
-- and the heartbeat that tells each server process how many others share the limits.
-- Limits, not records: no audit event goes with them, and old windows are deleted.
CREATE TABLE rate_windows (
    key          bytea  NOT NULL,
    window_start bigint NOT NULL,
    count        bigint NOT NULL,
    PRIMARY KEY (key, window_start)
);
