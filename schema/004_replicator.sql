-- 004_replicator.sql — checkpoints of the bundled replicator (replicator/core.c). One row per
-- (mapping, shard): how far the mapping has applied that shard. The replica write and the row's
-- update commit in the same transaction (ops/replicate_ops.c), so a restarted server neither loses
-- nor re-applies a record. The standalone replicator keeps the same rows in a file of its own.

CREATE TABLE replicator_checkpoints (
    mapping     TEXT    NOT NULL,            -- the mapping id, "SOURCE=TARGET"
    shard_id    TEXT    NOT NULL,            -- ShardId (unique across streams)
    stream_arn  TEXT    NOT NULL,            -- the stream the shard belongs to
    sequence    TEXT,                        -- last SequenceNumber applied; NULL: none yet
    done        INTEGER NOT NULL DEFAULT 0,  -- 1: the shard was read to its end (or skipped)
    updated_ms  INTEGER NOT NULL,
    PRIMARY KEY (mapping, shard_id)
) WITHOUT ROWID;
