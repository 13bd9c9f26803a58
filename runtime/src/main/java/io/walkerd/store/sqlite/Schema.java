package io.walkerd.store.sqlite;

import io.walkerd.store.StoreUnavailable;

import java.sql.SQLException;

/**
 * The tables, created when the file is new. SQLite's {@code user_version} holds the schema version, so that a later
 * release can see what it opens and migrate it.
 *
 * <p>Each document is kept whole, as {@link io.walkerd.store.StoredJson} text in {@code doc}, so that
 * {@code sqlite3 walkerd.db "select json_extract(doc,'$.archetype') from node"} shows it; the columns beside it
 * repeat what the store looks documents up by (owner root, version, email) and are written together with it.
 * Plain tables (not STRICT), so that an older {@code sqlite3} can still open the file.
 */
final class Schema {
    static final int VERSION = 3;

    private static final String[] CREATE = {
            "CREATE TABLE node (id TEXT PRIMARY KEY, root TEXT NOT NULL, version INTEGER NOT NULL, doc TEXT NOT NULL)",
            "CREATE INDEX node_root ON node (root)",
            "CREATE TABLE edge (id TEXT PRIMARY KEY, root TEXT NOT NULL, version INTEGER NOT NULL, doc TEXT NOT NULL)",
            "CREATE INDEX edge_root ON edge (root)",
            "CREATE TABLE walker (id TEXT PRIMARY KEY, root TEXT, version INTEGER NOT NULL, doc TEXT NOT NULL)",
            "CREATE INDEX walker_root ON walker (root)",
            "CREATE TABLE user (id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE, doc TEXT NOT NULL)",
    };

    /** Version 2: savable objects, walker documents by name and schedule, webhook keys, leases, nodes by type. */
    private static final String[] TO_2 = {
            "CREATE TABLE object (id TEXT PRIMARY KEY, root TEXT NOT NULL, version INTEGER NOT NULL, doc TEXT NOT NULL)",
            "CREATE INDEX object_root ON object (root)",
            "ALTER TABLE walker ADD COLUMN name TEXT",
            "ALTER TABLE walker ADD COLUMN status TEXT",
            // when a PENDING document may run, in epoch milliseconds (0: at once)
            "ALTER TABLE walker ADD COLUMN due INTEGER",
            "UPDATE walker SET name = json_extract(doc, '$.name'), status = json_extract(doc, '$.schedule.status')",
            "CREATE INDEX walker_name ON walker (name, id)",
            "CREATE INDEX walker_status ON walker (status, due)",
            "CREATE INDEX node_name ON node (json_extract(doc, '$.name'), root)",
            "CREATE TABLE webhook (id TEXT PRIMARY KEY, root TEXT NOT NULL, name TEXT NOT NULL, key_hash TEXT NOT NULL UNIQUE,"
                    + " doc TEXT NOT NULL, UNIQUE (root, name))",
            "CREATE TABLE lease (name TEXT PRIMARY KEY, holder TEXT NOT NULL, until INTEGER NOT NULL)",
            "CREATE INDEX lease_until ON lease (until)",
    };

    /**
     * Version 3: a node's type name in a column of its own, and the indexes by owner and by type rebuilt on it:
     * {@code node_root (root, name)} serves counting, resetting and finding a root's nodes (of a type), and
     * {@code node_name (name)} finding nodes of a type across owners. The type index was on
     * {@code json_extract(doc, '$.name'), root}: every write of a node's document (an edge added to a root, say)
     * rewrote its entry, and new nodes of one type landed next to their owner's rather than together, one more page
     * dirtied per write on a large store. Now rewriting a document touches no index, and a type's new nodes go to
     * the end of its range.
     */
    private static final String[] TO_3 = {
            "ALTER TABLE node ADD COLUMN name TEXT",
            "UPDATE node SET name = json_extract(doc, '$.name')",
            "DROP INDEX node_name",
            "DROP INDEX node_root",
            "CREATE INDEX node_root ON node (root, name)",
            "CREATE INDEX node_name ON node (name)",
    };

    private Schema() {}

    /** Creates the tables in a new file, brings an older file up to this version, and refuses a newer one. */
    static void prepare(Session s, String where) throws SQLException {
        s.update("BEGIN IMMEDIATE");
        try {
            long version = s.number("PRAGMA user_version");
            if (version == 0) {
                if (s.number("SELECT count(*) FROM sqlite_master WHERE type = 'table'") > 0) {
                    throw new StoreUnavailable(where + " is an SQLite database of another program (it has tables"
                            + " but no walkerd schema version)", null);
                }
                for (String sql : CREATE) s.update(sql);
                version = 1;
            } else if (version > VERSION) {
                throw new StoreUnavailable(where + " was written by a newer walkerd (schema version " + version
                        + "; this release knows up to " + VERSION + ")", null);
            }
            if (version < 2) for (String sql : TO_2) s.update(sql);
            if (version < 3) for (String sql : TO_3) s.update(sql);
            s.update("PRAGMA user_version = " + VERSION);
            s.update("COMMIT");
        } catch (SQLException | RuntimeException e) {
            s.update("ROLLBACK");
            throw e;
        }
    }
}
