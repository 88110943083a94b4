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
