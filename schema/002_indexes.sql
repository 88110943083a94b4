-- 002_indexes.sql — secondary indexes. An index's id is (table id << 16) | its number in the table's
-- definition, so that all indexes of a table are one id range; `indexes` holds each index's live
-- statistics (created on its first entry); each item that has the index's key
-- attributes has one entry in `index_items`, keyed like `items` by the index's own keys, then by the
-- item's table keys so that entries with equal index keys are distinct and ordered. The entry holds
-- the projected item (ALL, KEYS_ONLY or INCLUDE) as canonical JSON. Entries are written in the same
-- transaction as the item they come from.

CREATE TABLE indexes (
    id          INTEGER PRIMARY KEY,         -- (table id << 16) | index number
    item_count  INTEGER NOT NULL DEFAULT 0,
    size_bytes  INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE index_items (
    index_id INTEGER NOT NULL,
    hash     INTEGER NOT NULL,               -- keycodec_hash(hk)
    hk       BLOB    NOT NULL,               -- encoded index partition key
    rk       BLOB    NOT NULL,               -- encoded index sort key, empty without one
    thk      BLOB    NOT NULL,               -- encoded table partition key of the item
    trk      BLOB    NOT NULL,               -- encoded table sort key of the item, or empty
    size     INTEGER NOT NULL,               -- DynamoDB size of the projected item
    item     TEXT    NOT NULL,               -- canonical JSON of the projected item
    PRIMARY KEY (index_id, hash, hk, rk, thk, trk)
) WITHOUT ROWID;
