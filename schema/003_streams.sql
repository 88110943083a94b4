-- 003_streams.sql — DynamoDB Streams. A stream belongs to one enabling of a table's stream (a new
-- enabling makes a new stream with a new label); its shards form a chain (a shard is closed after
-- the rotation period and succeeded by a child); records are written in the same transaction as
-- the item change they describe, with sequence numbers that strictly increase and are never
-- reused. Records and closed streams are trimmed after the retention period.

CREATE TABLE streams (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    table_id    INTEGER NOT NULL,            -- the table (which may since have been deleted)
    account     TEXT    NOT NULL,
    region      TEXT    NOT NULL,
    table_name  TEXT    NOT NULL,
    arn         TEXT    NOT NULL UNIQUE,
    label       TEXT    NOT NULL,            -- ISO-8601 with milliseconds
    view_type   TEXT    NOT NULL,            -- KEYS_ONLY, NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES
    key_schema  TEXT    NOT NULL,            -- the table's KeySchema (JSON), for DescribeStream
    created_ms  INTEGER NOT NULL,
    disabled_ms INTEGER                      -- NULL while enabled
);
CREATE INDEX streams_by_table ON streams (account, region, table_name, id);

CREATE TABLE shards (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    stream_id   INTEGER NOT NULL,
    shard_id    TEXT    NOT NULL,            -- shardId-<20 digits>-<8 hex digits>
    parent_id   TEXT,                        -- the parent shard's shard_id
    created_ms  INTEGER NOT NULL,
    closed_ms   INTEGER,                     -- NULL while open
    first_seq   INTEGER NOT NULL,            -- StartingSequenceNumber
    last_seq    INTEGER                      -- EndingSequenceNumber once closed
);
CREATE INDEX shards_by_stream ON shards (stream_id, id);

CREATE TABLE stream_records (
    seq         INTEGER PRIMARY KEY,         -- the sequence number
    shard       INTEGER NOT NULL,            -- shards.id
    created_ms  INTEGER NOT NULL,
    record      TEXT    NOT NULL             -- the record exactly as GetRecords returns it
);
CREATE INDEX records_by_shard ON stream_records (shard, seq);

-- the last sequence number ever given out (never reused, even after trimming)
CREATE TABLE stream_sequence (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    last_seq INTEGER NOT NULL
);
INSERT INTO stream_sequence (id, last_seq) VALUES (1, 0);
