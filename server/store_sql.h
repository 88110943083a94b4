/* store_sql.h — every SQL statement dynastream runs, one row each (X-macro), prepared once per
 * connection when it opens. Only store.c includes this file. Parameters are always bound. */
STMT(BEGIN_READ,    "BEGIN")
STMT(BEGIN_WRITE,   "BEGIN IMMEDIATE")
STMT(COMMIT,        "COMMIT")
STMT(ROLLBACK,      "ROLLBACK")
STMT(SAVEPOINT,     "SAVEPOINT job")
STMT(RELEASE,       "RELEASE job")
STMT(ROLLBACK_TO,   "ROLLBACK TO job")
STMT(TABLE_GET,     "SELECT id, version, definition, item_count, size_bytes FROM tables"
                    " WHERE account = ?1 AND region = ?2 AND name = ?3")
STMT(TABLE_INSERT,  "INSERT OR IGNORE INTO tables (account, region, name, definition)"
                    " VALUES (?1, ?2, ?3, ?4)")
STMT(TABLE_SET_DEF, "UPDATE tables SET definition = ?2, version = version + 1 WHERE id = ?1")
STMT(TABLE_DELETE,  "DELETE FROM tables WHERE id = ?1")
STMT(TABLE_INDEX_ENTRIES_DELETE, "DELETE FROM index_items WHERE index_id >= ?1 AND index_id < ?2")
STMT(TABLE_INDEXES_DELETE, "DELETE FROM indexes WHERE id >= ?1 AND id < ?2")
STMT(TABLE_ITEMS_DELETE, "DELETE FROM items WHERE table_id = ?1")
STMT(TABLE_STATS,   "UPDATE tables SET item_count = item_count + ?2, size_bytes = size_bytes + ?3"
                    " WHERE id = ?1")
STMT(TABLE_NAMES,   "SELECT name FROM tables WHERE account = ?1 AND region = ?2 AND name > ?3"
                    " ORDER BY name")
STMT(ITEM_GET,      "SELECT item, size FROM items"
                    " WHERE table_id = ?1 AND hash = ?2 AND hk = ?3 AND rk = ?4")
STMT(ITEM_PUT,      "INSERT OR REPLACE INTO items (table_id, hash, hk, rk, size, item)"
                    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
STMT(ITEM_DELETE,   "DELETE FROM items WHERE table_id = ?1 AND hash = ?2 AND hk = ?3 AND rk = ?4")
STMT(ITEMS_COPY,    "INSERT INTO items (table_id, hash, hk, rk, size, item)"
                    " SELECT ?2, hash, hk, rk, size, item FROM items WHERE table_id = ?1")
STMT(ITEM_SCAN,     "SELECT hash, hk, rk, item, size FROM items"
                    " WHERE table_id = ?1 AND hash >= ?2 AND hash < ?3"
                    " ORDER BY hash, hk, rk")
STMT(ITEM_SCAN_AFTER, "SELECT hash, hk, rk, item, size FROM items"
                    " WHERE table_id = ?1 AND hash >= ?2 AND hash < ?3"
                    " AND (hash, hk, rk) > (?4, ?5, ?6)"
                    " ORDER BY hash, hk, rk")
STMT(QUERY_ASC,     "SELECT hash, hk, rk, item, size FROM items"
                    " WHERE table_id = ?1 AND hash = ?2 AND hk = ?3 AND rk >= ?4 AND rk < ?5"
                    " ORDER BY rk ASC")
STMT(QUERY_DESC,    "SELECT hash, hk, rk, item, size FROM items"
                    " WHERE table_id = ?1 AND hash = ?2 AND hk = ?3 AND rk >= ?4 AND rk < ?5"
                    " ORDER BY rk DESC")
STMT(INDEX_GET_STATS, "SELECT item_count, size_bytes FROM indexes WHERE id = ?1")
STMT(INDEX_DELETE,  "DELETE FROM indexes WHERE id = ?1")
STMT(INDEX_ENTRIES_DELETE, "DELETE FROM index_items WHERE index_id = ?1")
STMT(INDEX_STATS,   "INSERT INTO indexes (id, item_count, size_bytes) VALUES (?1, ?2, ?3)"
                    " ON CONFLICT (id) DO UPDATE SET item_count = item_count + ?2,"
                    " size_bytes = size_bytes + ?3")
STMT(INDEX_PUT,     "INSERT OR REPLACE INTO index_items (index_id, hash, hk, rk, thk, trk, size, item)"
                    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
STMT(INDEX_DEL,     "DELETE FROM index_items WHERE index_id = ?1 AND hash = ?2 AND hk = ?3"
                    " AND rk = ?4 AND thk = ?5 AND trk = ?6")
STMT(INDEX_QUERY_ASC, "SELECT hash, hk, rk, thk, trk, item, size FROM index_items"
                    " WHERE index_id = ?1 AND hash = ?2 AND hk = ?3"
                    " AND (rk, thk, trk) >= (?4, ?5, ?6) AND (rk, thk, trk) < (?7, ?8, ?9)"
                    " ORDER BY rk ASC, thk ASC, trk ASC")
STMT(INDEX_QUERY_DESC, "SELECT hash, hk, rk, thk, trk, item, size FROM index_items"
                    " WHERE index_id = ?1 AND hash = ?2 AND hk = ?3"
                    " AND (rk, thk, trk) >= (?4, ?5, ?6) AND (rk, thk, trk) < (?7, ?8, ?9)"
                    " ORDER BY rk DESC, thk DESC, trk DESC")
STMT(INDEX_SCAN,    "SELECT hash, hk, rk, thk, trk, item, size FROM index_items"
                    " WHERE index_id = ?1 AND hash >= ?2 AND hash < ?3"
                    " AND (hash, hk, rk, thk, trk) > (?4, ?5, ?6, ?7, ?8)"
                    " ORDER BY hash, hk, rk, thk, trk")
STMT(SEQ_NEXT,      "UPDATE stream_sequence SET last_seq = last_seq + 1 WHERE id = 1 RETURNING last_seq")
STMT(SEQ_LAST,      "SELECT last_seq FROM stream_sequence WHERE id = 1")
STMT(STREAM_CREATE, "INSERT INTO streams (table_id, account, region, table_name, arn, label,"
                    " view_type, key_schema, created_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")
STMT(STREAM_DISABLE, "UPDATE streams SET disabled_ms = ?2 WHERE id = ?1 AND disabled_ms IS NULL")
STMT(STREAM_BY_ARN, "SELECT id, table_id, arn, label, view_type, table_name, key_schema, created_ms,"
                    " disabled_ms FROM streams WHERE arn = ?1 AND account = ?2 AND region = ?3")
STMT(STREAM_LIST,   "SELECT id, table_id, arn, label, view_type, table_name, key_schema, created_ms,"
                    " disabled_ms FROM streams WHERE account = ?1 AND region = ?2"
                    " AND (?3 IS NULL OR table_name = ?3) AND id > ?4 ORDER BY id")
STMT(STREAM_ID_BY_ARN, "SELECT id FROM streams WHERE arn = ?1")
STMT(STREAM_ALL,    "SELECT s.id, s.disabled_ms, h.id, h.created_ms FROM streams s"
                    " LEFT JOIN shards h ON h.stream_id = s.id AND h.closed_ms IS NULL")
STMT(SHARD_OPEN,    "INSERT INTO shards (stream_id, shard_id, parent_id, created_ms, first_seq)"
                    " VALUES (?1, ?2, ?3, ?4, (SELECT last_seq + 1 FROM stream_sequence WHERE id = 1))")
STMT(SHARD_CLOSE,   "UPDATE shards SET closed_ms = ?2, last_seq = coalesce("
                    "(SELECT max(seq) FROM stream_records WHERE shard = ?1), first_seq - 1)"
                    " WHERE id = ?1 AND closed_ms IS NULL")
STMT(SHARD_CURRENT, "SELECT id, shard_id FROM shards WHERE stream_id = ?1 AND closed_ms IS NULL"
                    " ORDER BY id DESC LIMIT 1")
STMT(SHARD_LIST,    "SELECT id, shard_id, parent_id, created_ms, closed_ms, first_seq, last_seq"
                    " FROM shards WHERE stream_id = ?1 AND id > ?2 ORDER BY id")
STMT(SHARD_GET,     "SELECT id, shard_id, parent_id, created_ms, closed_ms, first_seq, last_seq"
                    " FROM shards WHERE stream_id = ?1 AND shard_id = ?2")
STMT(RECORD_INSERT, "INSERT INTO stream_records (seq, shard, created_ms, record) VALUES (?1, ?2, ?3, ?4)")
STMT(RECORD_READ,   "SELECT seq, record, created_ms FROM stream_records WHERE shard = ?1 AND seq >= ?2"
                    " ORDER BY seq LIMIT ?3")
STMT(RECORDS_TRIM,  "DELETE FROM stream_records WHERE created_ms < ?1")
STMT(SHARDS_ADVANCE, "UPDATE shards SET first_seq = (SELECT max(seq) + 1 FROM stream_records r"
                    " WHERE r.shard = shards.id AND r.created_ms < ?1)"
                    " WHERE EXISTS (SELECT 1 FROM stream_records r WHERE r.shard = shards.id"
                    " AND r.created_ms < ?1)")
STMT(SHARDS_TRIM,   "DELETE FROM shards WHERE closed_ms IS NOT NULL AND closed_ms < ?1"
                    " AND NOT EXISTS (SELECT 1 FROM stream_records r WHERE r.shard = shards.id)")
STMT(CHECKPOINTS_TRIM, "DELETE FROM replicator_checkpoints WHERE updated_ms < ?1 AND NOT EXISTS"
                    " (SELECT 1 FROM shards h WHERE h.shard_id = replicator_checkpoints.shard_id)")
STMT(STREAMS_TRIM,  "DELETE FROM streams WHERE disabled_ms IS NOT NULL AND disabled_ms < ?1"
                    " AND NOT EXISTS (SELECT 1 FROM shards h WHERE h.stream_id = streams.id)")
STMT(SHARD_BY_ROW,  "SELECT id, shard_id, parent_id, created_ms, closed_ms, first_seq, last_seq"
                    " FROM shards WHERE id = ?1 AND stream_id = ?2")
/* ---- replicator (store_replicator.c) ---- */
STMT(CHECKPOINT_PUT, "INSERT INTO replicator_checkpoints (mapping, shard_id, stream_arn, sequence,"
                    " done, updated_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
                    " ON CONFLICT (mapping, shard_id) DO UPDATE SET stream_arn = ?3,"
                    " sequence = coalesce(?4, sequence), done = max(done, ?5), updated_ms = ?6")
STMT(CHECKPOINT_LIST, "SELECT stream_arn, shard_id, sequence, done FROM replicator_checkpoints"
                    " WHERE mapping = ?1 ORDER BY updated_ms, shard_id")
STMT(RECORD_CREATED, "SELECT created_ms FROM stream_records WHERE seq = ?1")
STMT(TTL_TABLES,    "SELECT id, account, region, name FROM tables"
                    " WHERE json_extract(definition, '$.TimeToLiveAttribute') IS NOT NULL ORDER BY id")
STMT(TABLE_NAMESPACES, "SELECT account, region FROM tables WHERE name = ?1 ORDER BY account, region")
