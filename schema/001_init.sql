-- 001_init.sql — dynastream's first schema: tables and their items.
-- Items of every table live in one WITHOUT ROWID table keyed by the table id, a 32-bit hash of the
-- encoded partition key (DynamoDB-like scan order, contiguous parallel-scan segments), and the
-- order-preserving encodings of the partition and sort keys (keycodec.c). The item is kept as the
-- canonical JSON text that GetItem returns, so reads splice it into the response unchanged.

CREATE TABLE tables (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: ids key caches and indexes
    account     TEXT    NOT NULL,            -- access key id ('' under --shared-db)
    region      TEXT    NOT NULL,            -- region of the credential scope ('' under --shared-db)
    name        TEXT    NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1,  -- bumped on every change of definition (cache key)
    definition  TEXT    NOT NULL,            -- the table's stored description (JSON, table.c)
    item_count  INTEGER NOT NULL DEFAULT 0,
    size_bytes  INTEGER NOT NULL DEFAULT 0,  -- sum of DynamoDB item sizes
    UNIQUE (account, region, name)
);

CREATE TABLE items (
    table_id INTEGER NOT NULL,
    hash     INTEGER NOT NULL,               -- keycodec_hash(hk), 0 .. 2^32-1
    hk       BLOB    NOT NULL,               -- encoded partition key
    rk       BLOB    NOT NULL,               -- encoded sort key, empty without one
    size     INTEGER NOT NULL,               -- DynamoDB item size in bytes
    item     TEXT    NOT NULL,               -- canonical JSON of the item
    PRIMARY KEY (table_id, hash, hk, rk)
) WITHOUT ROWID;
