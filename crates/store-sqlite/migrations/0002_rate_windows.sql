-- Fixed-window counters shared by every process on the database: login attempts per client,
-- and the heartbeat that tells each server process how many others share the limits.
-- Limits, not records: no audit event goes with them, and old windows are deleted.
CREATE TABLE rate_windows (
    key          BLOB NOT NULL,
    window_start INTEGER NOT NULL,
    count        INTEGER NOT NULL,
    PRIMARY KEY (key, window_start)
) WITHOUT ROWID;
