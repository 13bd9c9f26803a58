package io.walkerd.store.sqlite;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.walkerd.graph.Id;
import io.walkerd.store.ChangeSet;
import io.walkerd.store.CommitConflict;
import io.walkerd.store.EdgeRecord;
import io.walkerd.store.NodeRecord;
import io.walkerd.store.ObjectRecord;
import io.walkerd.store.ScheduleState;
import io.walkerd.store.WalkerRecord;
import io.walkerd.store.WebhookKeyRecord;
import io.walkerd.store.Store;
import io.walkerd.store.StoreUnavailable;
import io.walkerd.store.StoredJson;
import io.walkerd.store.UserRecord;
import org.sqlite.SQLiteConfig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The embedded store: one SQLite file in WAL mode (or an in-memory database), documents kept as
 * {@link StoredJson} text.
 *
 * <p>Connections: every write goes through one {@link GroupCommitWriter} thread that owns the write connection and
 * commits the writes that queue up together; reads use a {@link ReaderPool} of their own connections, which WAL lets run
 * beside a write without waiting for it. An in-memory database exists only inside its one connection, so there the
 * readers share the write connection and take turns with the writer's transactions.
 *
 * <p>Durability: a write returns after its COMMIT. With {@link Sync#NORMAL} the commit is in the WAL file, which
 * survives the process being killed; with {@link Sync#FULL} the WAL is also synced to the disk at each commit, which
 * survives a power loss.
 */
public final class SqliteStore implements Store {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SqliteStore.class);
    /** How long a statement waits for a lock held by another process (an {@code sqlite3} shell, a backup). */
    static final int BUSY_TIMEOUT_MS = 5_000;
    /**
     * Read connections of a file store: twice the cores, at least 8 and at most 32. Readers hold one only while a
     * statement runs, but with many request threads per core a reader is often preempted while holding one.
     */
    static final int READERS = Math.max(8, Math.min(32, 2 * Runtime.getRuntime().availableProcessors()));
    /** The most document text kept current in memory by default, in bytes, nodes, edges and objects together. */
    public static final long CACHED_TEXT = 32L << 20;
    private static final String MEMORY = ":memory:";
    /** Documents nested deeper than this are refused (walkerd's own limit, far lower, is enforced before). */
    static final int MAX_DEPTH = 1_000;
    /**
     * Parses and prints stored documents. Whatever it prints, it must read back: a document that could be written
     * but not read would make its node unreadable for good. So reading is bounded only by twice the depth writing
     * allows, and not by length (Jackson's defaults refuse long strings, names and numbers on reading alone).
     */
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(2 * MAX_DEPTH)
                    .maxStringLength(Integer.MAX_VALUE).maxNameLength(Integer.MAX_VALUE)
                    .maxNumberLength(Integer.MAX_VALUE).build())
            .build());
    /** Reads node, edge and object documents in one pass, their fields kept as stored text. */
    private static final DocumentReader DOCUMENTS = new DocumentReader(JSON);

    /** How hard a commit pushes its data to the disk before it returns. */
    public enum Sync {
        /** Survives a killed process (the commit is in the WAL file); a power loss may lose the last commits. */
        NORMAL,
        /** Survives a power loss: the WAL is synced to the disk at every commit. */
        FULL;

        /** {@code normal} or {@code full}, as the {@code DATABASE_SYNC} setting spells it; null or blank is normal. */
        public static Sync parse(String text) {
            if (text == null || text.isBlank()) return NORMAL;
            return switch (text.trim().toLowerCase(Locale.ROOT)) {
                case "normal" -> NORMAL;
                case "full" -> FULL;
                default -> throw new IllegalArgumentException("the sync setting is normal or full, not '" + text + "'");
            };
        }
    }

    private final String where;
    /**
     * Node, edge and object documents as they are in the file, each parsed once (see {@link DocumentCache}, kept
     * current by {@link Coherence}): a read by id that finds them all there does not ask the database. The hot part of
     * a graph (a board of 10,000 nodes and edges is about 8 MB of text) fits the default budget.
     */
    private final DocumentCache<NodeRecord> nodeCache;
    private final DocumentCache<EdgeRecord> edgeCache;
    private final DocumentCache<ObjectRecord> objectCache;
    private final Coherence coherence;
    private final Session writeSession;
    private final GroupCommitWriter writer;
    /** The read connections; null for an in-memory database. */
    private final ReaderPool readers;
    /** Held by whoever uses the one connection of an in-memory database; null for a file. */
    private final ReentrantLock memoryLock;
    /** Moves committed pages from the WAL into the file off the writer thread; null for an in-memory database. */
    private final Checkpointer checkpointer;
    private Session checkpointSession;
    private volatile boolean closed;

    /**
     * Opens (creating it and its folder if needed) the database file at {@code path}, or a new in-memory database
     * when {@code path} is null or {@code ":memory:"}; the in-memory one lives as long as this store.
     *
     * @throws StoreUnavailable saying why the file cannot be used
     */
    public static SqliteStore open(String path, Sync sync) {
        return new SqliteStore(path == null || path.equals(MEMORY) ? null : Path.of(path), sync, CACHED_TEXT);
    }

    public static SqliteStore open(Path file, Sync sync) { return new SqliteStore(file, sync, CACHED_TEXT); }

    /** @param cachedText the most document text kept in memory, in bytes (0: every read asks the database) */
    public static SqliteStore open(Path file, Sync sync, long cachedText) { return new SqliteStore(file, sync, cachedText); }

    public static SqliteStore inMemory() { return new SqliteStore(null, Sync.NORMAL, CACHED_TEXT); }

    private SqliteStore(Path file, Sync sync, long cachedText) {
        nodeCache = new DocumentCache<>(cachedText / 2);
        edgeCache = new DocumentCache<>(cachedText / 4);
        objectCache = new DocumentCache<>(cachedText / 4);
        this.where = file == null ? "the in-memory database" : file.toString();
        String url = file == null ? "jdbc:sqlite::memory:" : "jdbc:sqlite:" + file.toAbsolutePath();
        if (file != null) createFolder(file);
        List<Session> opened = new ArrayList<>();
        try {
            writeSession = connect(url, sync);
            opened.add(writeSession);
            if (file != null) {
                String mode = writeSession.pragma("PRAGMA journal_mode = WAL");
                if (!"wal".equalsIgnoreCase(mode)) {
                    throw new StoreUnavailable("cannot use " + where + ": SQLite could not switch it to WAL mode"
                            + " (its folder may not allow the shared-memory file beside it)", null);
                }
                // after a large import the WAL would otherwise keep its largest size on the disk for good
                writeSession.pragma("PRAGMA journal_size_limit = " + (64 << 20));
                // checkpoints are the checkpointer's; the writer's own only past this many pages (see Checkpointer)
                writeSession.pragma("PRAGMA wal_autocheckpoint = " + Checkpointer.WRITER_PAGES);
            }
            Schema.prepare(writeSession, where);
            if (file == null) {
                readers = null;
                memoryLock = new ReentrantLock();
                checkpointer = null;
            } else {
                List<Session> reading = new ArrayList<>(READERS);
                for (int i = 0; i < READERS; i++) {
                    Session reader = connect(url, sync);
                    opened.add(reader);
                    // a read connection must never write, even by mistake
                    reader.pragma("PRAGMA query_only = 1");
                    reading.add(reader);
                }
                readers = new ReaderPool(reading);
                memoryLock = null;
                Session checkpoints = connect(url, sync);
                opened.add(checkpoints);
                // its own checkpoints only (a checkpoint is no write of pages: query_only does not stop it)
                checkpoints.pragma("PRAGMA query_only = 1");
                checkpointer = new Checkpointer(checkpoints, "walkerd-sqlite-checkpoints");
                checkpointSession = checkpoints;
            }
        } catch (SQLException | RuntimeException e) {
            close(opened);
            if (e instanceof SQLException sql) throw Failures.unavailable("open " + where, sql);
            throw (RuntimeException) e;
        }
        coherence = new Coherence(List.of(nodeCache, edgeCache, objectCache), file == null ? null : walHeader(file, cachedText));
        writer = new GroupCommitWriter(writeSession, memoryLock, checkpointer, coherence, "walkerd-sqlite-writer");
    }

    private static void close(List<Session> opened) {
        for (Session s : opened) {
            try { s.close(); } catch (RuntimeException ignored) { /* reporting the first failure */ }
        }
    }

    /**
     * The file's commit stamps (see {@link WalHeader}); without them (a cache of 0, or a header that cannot be mapped)
     * the stamp is always unknown, and every read asks the database.
     */
    private java.util.function.LongSupplier walHeader(Path file, long cachedText) {
        if (cachedText <= 0) return () -> WalHeader.UNKNOWN;
        try {
            return WalHeader.of(file)::stamp;
        } catch (IOException | RuntimeException e) {
            log.warn("the WAL index of {} cannot be read ({}): documents are read from the file every time", where, e.toString());
            return () -> WalHeader.UNKNOWN;
        }
    }

    private void createFolder(Path file) {
        Path folder = file.toAbsolutePath().getParent();
        try {
            if (folder != null) Files.createDirectories(folder);
        } catch (IOException e) {
            throw new StoreUnavailable("cannot create the folder " + folder + " for " + where, e);
        }
    }

    private static Session connect(String url, Sync sync) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        // otherwise the driver matches every INSERT's text against a pattern to offer keys that ids make useless
        config.setGetGeneratedKeys(false);
        Session s = new Session(config.createConnection(url));
        // per connection, not stored in the file: every connection says it
        s.pragma("PRAGMA synchronous = " + sync.name());
        s.pragma("PRAGMA temp_store = MEMORY");
        // reads come from the operating system's page cache through a memory map (no copy per page read), and each
        // connection keeps up to 32 MiB of pages of its own: a store much larger than SQLite's 2 MiB default cache
        // must not cost a system call per page
        s.pragma("PRAGMA mmap_size = " + (256L << 20));
        s.pragma("PRAGMA cache_size = -32768");
        return s;
    }

    @Override
    public String backend() { return "sqlite"; }

    // ---- graph -------------------------------------------------------------------------------------------------

    // json_each takes the whole id list as one parameter: one prepared statement for any number of ids, and no
    // limit on variables to chunk around
    private static final String NODES_BY_ID = "SELECT id, doc FROM node WHERE id IN (SELECT value FROM json_each(?))";
    private static final String EDGES_BY_ID = "SELECT id, doc FROM edge WHERE id IN (SELECT value FROM json_each(?))";
    private static final String OBJECTS_BY_ID = "SELECT id, doc FROM object WHERE id IN (SELECT value FROM json_each(?))";
    /**
     * One id (the caller's root, the one edge and node of a small walk: most reads): the primary key's index alone,
     * where the list form first parses a JSON array and builds a temporary index of its values.
     */
    private static final String NODE_BY_ID = "SELECT id, doc FROM node WHERE id = ?";
    private static final String EDGE_BY_ID = "SELECT id, doc FROM edge WHERE id = ?";
    private static final String OBJECT_BY_ID = "SELECT id, doc FROM object WHERE id = ?";

    @Override
    public List<NodeRecord> nodes(Collection<Id> ids) {
        return byId("read nodes", NODE_BY_ID, NODES_BY_ID, ids, nodeCache, DOCUMENTS::node);
    }

    @Override
    public List<EdgeRecord> edges(Collection<Id> ids) {
        return byId("read edges", EDGE_BY_ID, EDGES_BY_ID, ids, edgeCache, DOCUMENTS::edge);
    }

    @Override
    public List<ObjectRecord> objects(Collection<Id> ids) {
        return byId("read objects", OBJECT_BY_ID, OBJECTS_BY_ID, ids, objectCache, DOCUMENTS::object);
    }

    @Override
    public List<NodeRecord> nodesNamed(String name, Id root, int limit) {
        List<byte[]> docs = root == null
                ? read("find nodes by type", s -> s.documents(
                        "SELECT doc FROM node WHERE name = ? ORDER BY rowid LIMIT ?", name, limit))
                : read("find nodes by type", s -> s.documents(
                        "SELECT doc FROM node WHERE name = ? AND root = ? ORDER BY rowid LIMIT ?",
                        name, root.hex(), limit));
        List<NodeRecord> out = new ArrayList<>(docs.size());
        for (byte[] doc : docs) out.add(DOCUMENTS.node(doc));
        return out;
    }

    /**
     * The documents with these ids: those the cache holds from there, the others from one read of the database,
     * offered to the cache afterwards (kept only if no commit was published meanwhile, see {@link Coherence}).
     *
     * @param one the query by one id ({@code id = ?}); {@code many} the query by a JSON array of ids
     */
    private <T> List<T> byId(String doing, String one, String many, Collection<Id> ids, DocumentCache<T> cache,
                             Function<byte[], T> record) {
        if (ids.isEmpty()) return List.of();
        long stamp = coherence.stamp();
        if (!coherence.current(stamp)) return byIdFromFile(doing, one, many, ids, record); // the file moved on
        List<T> out = new ArrayList<>(ids.size());
        List<Id> missing = null;
        for (Id id : ids) {
            DocumentCache.Entry<T> kept = cache.get(id.hex());
            if (kept == null) {
                if (missing == null) missing = new ArrayList<>(ids.size() - out.size());
                missing.add(id);
                continue;
            }
            T parsed = kept.parsed;
            if (parsed == null) kept.parsed = parsed = record.apply(kept.text);
            out.add(parsed);
        }
        if (missing == null) return out;
        long generation = coherence.generation();
        List<Session.Keyed> docs = readKeyed(doing, one, many, missing);
        // parsed after the connection is back in the pool
        List<T> read = new ArrayList<>(docs.size());
        for (Session.Keyed doc : docs) read.add(record.apply(doc.document()));
        coherence.offer(generation, stamp, () -> {
            for (int i = 0; i < docs.size(); i++) cache.offer(docs.get(i).key(), docs.get(i).document(), read.get(i));
        });
        out.addAll(read);
        return out;
    }

    /** The documents with these ids, all read from the database, none kept. */
    private <T> List<T> byIdFromFile(String doing, String one, String many, Collection<Id> ids, Function<byte[], T> record) {
        List<Session.Keyed> docs = readKeyed(doing, one, many, ids);
        List<T> out = new ArrayList<>(docs.size());
        for (Session.Keyed doc : docs) out.add(record.apply(doc.document()));
        return out;
    }

    private List<Session.Keyed> readKeyed(String doing, String one, String many, Collection<Id> ids) {
        boolean single = ids.size() == 1;
        String sql = single ? one : many;
        String key = single ? ids.iterator().next().hex() : idList(ids);
        return read(doing, s -> s.keyedDocuments(sql, key));
    }

    @Override
    public void ensureRoot(NodeRecord root) {
        // roots are ensured far more often than created: look first, on a read connection
        String id = root.id().hex();
        if (read("read a root", s -> s.number("SELECT 1 FROM node WHERE id = ?", id)) != null) return;
        String doc = print(StoredJson.node(versionOne(root)));
        writer.write("create a root", s -> s.update(
                "INSERT OR IGNORE INTO node (id, root, version, name, doc) VALUES (?, ?, 1, ?, ?)", id, root.root().hex(),
                root.name(), doc));
    }

    @Override
    public void commit(ChangeSet changes) {
        if (changes.isEmpty()) return;
        // new documents are printed here, in the caller's thread, so that the one writer thread does less
        List<String[]> nodeRows = new ArrayList<>(changes.insertNodes().size());
        for (NodeRecord n : changes.insertNodes()) {
            nodeRows.add(new String[]{n.id().hex(), n.root().hex(), print(StoredJson.node(versionOne(n))), n.name()});
        }
        List<String[]> edgeRows = new ArrayList<>(changes.insertEdges().size());
        for (EdgeRecord e : changes.insertEdges()) {
            edgeRows.add(new String[]{e.id().hex(), e.root().hex(), print(StoredJson.edge(versionOne(e)))});
        }
        List<String[]> objectRows = new ArrayList<>(changes.insertObjects().size());
        for (ObjectRecord o : changes.insertObjects()) {
            objectRows.add(new String[]{o.id().hex(), o.root().hex(), print(StoredJson.object(versionOne(o)))});
        }
        List<Object[]> walkerRows = new ArrayList<>(changes.walkers().size());
        for (WalkerRecord w : changes.walkers()) walkerRows.add(walkerRow(w.id().hex(), StoredJson.walker(w)));
        // what the commit changes in the caches: the new documents' text, from here; the writer adds the rest
        List<Runnable> published = new ArrayList<>();
        if (changes.resetRoot() == null) {
            kept(published, nodeCache, nodeRows);
            kept(published, edgeCache, edgeRows);
            kept(published, objectCache, objectRows);
        }
        writer.write("commit a change set", s -> {
            apply(s, changes, nodeRows, edgeRows, objectRows, walkerRows, published);
            return null;
        }, published);
    }

    /** Puts each new row's document (id first, document third) into {@code cache} once committed. */
    private static void kept(List<Runnable> published, DocumentCache<?> cache, List<String[]> rows) {
        for (String[] row : rows) {
            byte[] text = row[2].getBytes(StandardCharsets.UTF_8);
            published.add(() -> cache.put(row[0], text));
        }
    }


    /** A walker row: id, root, name, status, due (epoch ms, 0 for at once), document. */
    private static Object[] walkerRow(String id, JsonNode d) {
        JsonNode schedule = d.path("schedule");
        String status = schedule.path("status").isTextual() ? schedule.get("status").asText() : null;
        long due = 0;
        if (schedule.path("execute_date").isTextual()) {
            try {
                due = Instant.parse(schedule.get("execute_date").asText()).toEpochMilli();
            } catch (java.time.format.DateTimeParseException notIso) {
                due = 0;
            }
        }
        String root = d.hasNonNull("root") ? Id.of(d.get("root").asText()).hex() : null;
        return new Object[]{id, root, d.path("name").asText(null), status, due, print(d)};
    }

    private static void writeWalker(Session s, Object[] row) throws SQLException {
        s.update("INSERT OR REPLACE INTO walker (id, root, version, name, status, due, doc) VALUES (?, ?, 1, ?, ?, ?, ?)",
                row[0], row[1], row[2], row[3], row[4], row[5]);
    }

    /**
     * Runs on the writer thread, inside a savepoint: a {@link CommitConflict} thrown here undoes everything this
     * change set did. Every version is checked against what is stored before anything is written. What it changes
     * in the document caches goes into {@code published}, applied only once the transaction has committed.
     */
    private void apply(Session s, ChangeSet changes, List<String[]> nodeRows, List<String[]> edgeRows,
                       List<String[]> objectRows, List<Object[]> walkerRows, List<Runnable> published) throws SQLException {
        for (ChangeSet.NodeUpdate u : changes.updateNodes()) {
            Long stored = s.number("SELECT version FROM node WHERE id = ?", u.id().hex());
            if (stored == null) throw new CommitConflict("node " + u.id() + " was deleted since it was read");
            if (u.checksVersion() && stored != u.version()) throw changed("node", u.id());
        }
        for (ChangeSet.EdgeUpdate u : changes.updateEdges()) {
            Long stored = s.number("SELECT version FROM edge WHERE id = ?", u.id().hex());
            if (stored == null) throw new CommitConflict("edge " + u.id() + " was deleted since it was read");
            if (stored != u.version()) throw changed("edge", u.id());
        }
        for (ChangeSet.Versioned d : changes.deleteNodes()) checkDelete(s, "node", d);
        for (ChangeSet.Versioned d : changes.deleteEdges()) checkDelete(s, "edge", d);
        for (ChangeSet.ObjectUpdate u : changes.updateObjects()) {
            Long stored = s.number("SELECT version FROM object WHERE id = ?", u.id().hex());
            if (stored == null) throw new CommitConflict("object " + u.id() + " was deleted since it was read");
            if (stored != u.version()) throw changed("object", u.id());
        }
        for (ChangeSet.Versioned d : changes.deleteObjects()) checkDelete(s, "object", d);

        if (changes.resetRoot() != null) {
            // which documents the reset deleted is not known one by one: the caches start again
            published.add(coherence::clearCaches);
            reset(s, changes.resetRoot().hex(), published);
        }
        for (String[] row : nodeRows) insert(s, "node", row);
        for (String[] row : edgeRows) insert(s, "edge", row);
        for (String[] row : objectRows) insert(s, "object", row);
        for (ChangeSet.ObjectUpdate u : changes.updateObjects()) updateObject(s, u, published);
        for (ChangeSet.Versioned d : changes.deleteObjects()) delete(s, "object", objectCache, d.id().hex(), published);
        for (Object[] row : walkerRows) writeWalker(s, row);
        for (ChangeSet.NodeUpdate u : changes.updateNodes()) updateNode(s, u, published);
        for (ChangeSet.EdgeUpdate u : changes.updateEdges()) updateEdge(s, u, published);
        for (ChangeSet.Versioned d : changes.deleteNodes()) delete(s, "node", nodeCache, d.id().hex(), published);
        for (ChangeSet.Versioned d : changes.deleteEdges()) delete(s, "edge", edgeCache, d.id().hex(), published);
    }

    private static void delete(Session s, String table, DocumentCache<?> cache, String id, List<Runnable> published)
            throws SQLException {
        s.update("DELETE FROM " + table + " WHERE id = ?", id);
        published.add(() -> cache.remove(id));
    }


    private static void checkDelete(Session s, String table, ChangeSet.Versioned d) throws SQLException {
        Long stored = s.number("SELECT version FROM " + table + " WHERE id = ?", d.id().hex());
        if (stored == null) throw new CommitConflict(table + " " + d.id() + " was deleted since it was read");
        if (stored != d.version()) throw changed(table, d.id());
    }

    private static CommitConflict changed(String what, Id id) {
        return new CommitConflict(what + " " + id + " changed since it was read");
    }

    private void reset(Session s, String root, List<Runnable> published) throws SQLException {
        s.update("DELETE FROM node WHERE root = ?1 AND id <> ?1", root);
        s.update("DELETE FROM edge WHERE root = ?", root);
        s.update("DELETE FROM walker WHERE root = ?", root);
        s.update("DELETE FROM object WHERE root = ?", root);
        String[] row = s.row("SELECT version, doc FROM node WHERE id = ?", root);
        if (row == null) return;
        ObjectNode d = parse(row[1]);
        if (d.path("edges").isEmpty()) return;
        d.putArray("edges");
        write(s, "node", nodeCache, root, Long.parseLong(row[0]), d, published);
    }

    /** Inserts a row: id, root, document, and for a node its type name. */
    private static void insert(Session s, String table, String[] row) throws SQLException {
        try {
            if (row.length > 3) {
                s.update("INSERT INTO " + table + " (id, root, version, doc, name) VALUES (?, ?, 1, ?, ?)", row[0], row[1], row[2], row[3]);
            } else {
                s.update("INSERT INTO " + table + " (id, root, version, doc) VALUES (?, ?, 1, ?)", row[0], row[1], row[2]);
            }
        } catch (SQLException e) {
            if (Failures.isConstraint(e)) throw new CommitConflict(table + " " + row[0] + " exists already");
            throw e;
        }
    }

    private void updateNode(Session s, ChangeSet.NodeUpdate u, List<Runnable> published) throws SQLException {
        String[] row = s.row("SELECT version, doc FROM node WHERE id = ?", u.id().hex());
        if (row == null) return; // this change set's own reset deleted it
        ObjectNode d = parse(row[1]);
        boolean changed = false;
        if (u.archetype() != null) { d.set("archetype", u.archetype()); changed = true; }
        if (u.access() != null) { d.set("access", u.access()); changed = true; }
        if (!u.addEdges().isEmpty() || !u.removeEdges().isEmpty()) {
            Set<String> edges = new LinkedHashSet<>();
            d.path("edges").forEach(e -> edges.add(e.asText()));
            // added first, then removed: an edge both connected and disconnected by one walk ends up absent
            boolean edgesChanged = edges.addAll(u.addEdges());
            edgesChanged |= edges.removeAll(u.removeEdges());
            if (edgesChanged) {
                ArrayNode list = d.putArray("edges");
                edges.forEach(list::add);
                changed = true;
            }
        }
        if (changed) write(s, "node", nodeCache, u.id().hex(), Long.parseLong(row[0]), d, published);
    }

    private void updateEdge(Session s, ChangeSet.EdgeUpdate u, List<Runnable> published) throws SQLException {
        if (u.archetype() == null && u.access() == null) return;
        String[] row = s.row("SELECT version, doc FROM edge WHERE id = ?", u.id().hex());
        if (row == null) return; // this change set's own reset deleted it
        ObjectNode d = parse(row[1]);
        if (u.archetype() != null) d.set("archetype", u.archetype());
        if (u.access() != null) d.set("access", u.access());
        write(s, "edge", edgeCache, u.id().hex(), Long.parseLong(row[0]), d, published);
    }

    private void updateObject(Session s, ChangeSet.ObjectUpdate u, List<Runnable> published) throws SQLException {
        if (u.archetype() == null && u.access() == null) return;
        String[] row = s.row("SELECT version, doc FROM object WHERE id = ?", u.id().hex());
        if (row == null) return; // this change set's own reset deleted it
        ObjectNode d = parse(row[1]);
        if (u.archetype() != null) d.set("archetype", u.archetype());
        if (u.access() != null) d.set("access", u.access());
        write(s, "object", objectCache, u.id().hex(), Long.parseLong(row[0]), d, published);
    }

    /**
     * Stores a changed document with its version one higher, in its text and in its column, and notes its text for
     * {@code cache} once committed.
     */
    private static void write(Session s, String table, DocumentCache<?> cache, String id, long stored, ObjectNode d,
                              List<Runnable> published) throws SQLException {
        long version = stored + 1;
        d.put("version", version);
        String text = print(d);
        s.update("UPDATE " + table + " SET version = ?, doc = ? WHERE id = ?", version, text, id);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        published.add(() -> cache.put(id, bytes));
    }

    @Override
    public long countOwned(Id root) {
        String id = root.hex();
        return read("count a root's documents", s -> s.number("SELECT (SELECT count(*) FROM node WHERE root = ?1)"
                + " + (SELECT count(*) FROM edge WHERE root = ?1) + (SELECT count(*) FROM walker WHERE root = ?1)"
                + " + (SELECT count(*) FROM object WHERE root = ?1)", id));
    }

    // ---- walker documents ---------------------------------------------------------------------------------------

    @Override
    public Optional<WalkerRecord> walker(Id id) {
        String doc = read("read a walker document", s -> s.text("SELECT doc FROM walker WHERE id = ?", id.hex()));
        return Optional.ofNullable(doc).map(d -> StoredJson.walkerRecord(parse(d)));
    }

    @Override
    public Optional<WalkerRecord> latestWalker(String name) {
        String doc = read("read a walker document", s -> s.text(
                "SELECT doc FROM walker WHERE name = ? ORDER BY id DESC LIMIT 1", name));
        return Optional.ofNullable(doc).map(d -> StoredJson.walkerRecord(parse(d)));
    }

    @Override
    public List<WalkerRecord> dueTasks(Instant now, int limit) {
        List<byte[]> docs = read("read pending tasks", s -> s.documents(
                "SELECT doc FROM walker WHERE status = 'PENDING' AND coalesce(due, 0) <= ? ORDER BY id LIMIT ?",
                now.toEpochMilli(), limit));
        List<WalkerRecord> out = new ArrayList<>(docs.size());
        for (byte[] doc : docs) out.add(StoredJson.walkerRecord(parse(doc)));
        return out;
    }

    @Override
    public boolean startTask(Id id, Instant at) {
        return writer.write("start a task", s -> {
            String doc = s.text("SELECT doc FROM walker WHERE id = ? AND status = 'PENDING'", id.hex());
            if (doc == null) return false;
            ObjectNode d = parse(doc);
            if (d.get("schedule") instanceof ObjectNode schedule) {
                schedule.put("status", ScheduleState.STARTED);
                schedule.put("executed_date", at.toString());
            }
            s.update("UPDATE walker SET status = ?, doc = ? WHERE id = ?", ScheduleState.STARTED, print(d), id.hex());
            return true;
        });
    }

    // ---- webhook keys -------------------------------------------------------------------------------------------

    @Override
    public boolean createWebhookKey(WebhookKeyRecord key) {
        String doc = print(StoredJson.webhookKey(key));
        return writer.write("create a webhook key", s -> {
            if (s.number("SELECT 1 FROM webhook WHERE root = ? AND name = ?", key.root().hex(), key.name()) != null) return false;
            s.update("INSERT INTO webhook (id, root, name, key_hash, doc) VALUES (?, ?, ?, ?, ?)",
                    key.id().hex(), key.root().hex(), key.name(), key.keyHash(), doc);
            return true;
        });
    }

    @Override
    public Optional<WebhookKeyRecord> webhookKeyByHash(String keyHash) {
        String doc = read("read a webhook key", s -> s.text("SELECT doc FROM webhook WHERE key_hash = ?", keyHash));
        return Optional.ofNullable(doc).map(d -> StoredJson.webhookKeyRecord(parse(d)));
    }

    @Override
    public List<WebhookKeyRecord> webhookKeys(Id root) {
        List<byte[]> docs = read("read webhook keys", s -> s.documents(
                "SELECT doc FROM webhook WHERE root = ? ORDER BY rowid", root.hex()));
        List<WebhookKeyRecord> out = new ArrayList<>(docs.size());
        for (byte[] doc : docs) out.add(StoredJson.webhookKeyRecord(parse(doc)));
        return out;
    }

    @Override
    public boolean extendWebhookKey(Id root, Id id, Instant expiration) {
        return writer.write("extend a webhook key", s -> {
            String doc = s.text("SELECT doc FROM webhook WHERE id = ? AND root = ?", id.hex(), root.hex());
            if (doc == null) return false;
            ObjectNode d = parse(doc);
            d.put("expiration", expiration.toString());
            s.update("UPDATE webhook SET doc = ? WHERE id = ?", print(d), id.hex());
            return true;
        });
    }

    @Override
    public int deleteWebhookKeys(Id root, Collection<Id> ids) {
        if (ids.isEmpty()) return 0;
        String list = idList(ids);
        return writer.write("delete webhook keys", s -> s.update(
                "DELETE FROM webhook WHERE root = ? AND id IN (SELECT value FROM json_each(?))", root.hex(), list));
    }

    // ---- leases -------------------------------------------------------------------------------------------------

    @Override
    public boolean claimLease(String name, String holder, Instant until) {
        long now = System.currentTimeMillis();
        return writer.write("claim a lease", s -> {
            s.update("DELETE FROM lease WHERE until < ?", now);
            String current = s.text("SELECT holder FROM lease WHERE name = ?", name);
            if (current != null && !current.equals(holder)) return false;
            s.update("INSERT OR REPLACE INTO lease (name, holder, until) VALUES (?, ?, ?)", name, holder, until.toEpochMilli());
            return true;
        });
    }

    // ---- users -------------------------------------------------------------------------------------------------

    @Override
    public Optional<UserRecord> userById(Id id) {
        String doc = read("read a user", s -> s.text("SELECT doc FROM user WHERE id = ?", id.hex()));
        return Optional.ofNullable(doc).map(d -> StoredJson.user(parse(d)));
    }

    @Override
    public Optional<UserRecord> userByEmail(String email) {
        String doc = read("read a user", s -> s.text("SELECT doc FROM user WHERE email = ?", email));
        return Optional.ofNullable(doc).map(d -> StoredJson.user(parse(d)));
    }

    @Override
    public boolean createUser(UserRecord user, NodeRecord root) {
        String userDoc = print(StoredJson.user(user));
        String rootDoc = print(StoredJson.node(versionOne(root)));
        return writer.write("create a user", s -> {
            if (s.number("SELECT 1 FROM user WHERE email = ?", user.email()) != null) return false;
            s.update("INSERT INTO user (id, email, doc) VALUES (?, ?, ?)", user.id().hex(), user.email(), userDoc);
            s.update("INSERT OR IGNORE INTO node (id, root, version, name, doc) VALUES (?, ?, 1, ?, ?)",
                    root.id().hex(), root.root().hex(), root.name(), rootDoc);
            return true;
        });
    }

    @Override
    public boolean changePassword(Id userId, String passwordHash, int expectedTokenVersion) {
        return writer.write("change a password", s -> {
            String doc = s.text("SELECT doc FROM user WHERE id = ?", userId.hex());
            if (doc == null) return false;
            ObjectNode d = parse(doc);
            if (d.path("token_version").asInt(0) != expectedTokenVersion) return false;
            d.put("password", passwordHash);
            d.put("token_version", expectedTokenVersion + 1);
            s.update("UPDATE user SET doc = ? WHERE id = ?", print(d), userId.hex());
            return true;
        });
    }

    @Override
    public boolean markAdmin(String email, boolean admin) {
        return writer.write("mark an admin", s -> {
            String doc = s.text("SELECT doc FROM user WHERE email = ?", email);
            if (doc == null) return false;
            ObjectNode d = parse(doc);
            d.put("is_admin", admin);
            s.update("UPDATE user SET doc = ? WHERE email = ?", print(d), email);
            return true;
        });
    }

    // ---- operations ---------------------------------------------------------------------------------------------

    @Override
    public void check() {
        read("read the database", s -> s.number("SELECT count(*) FROM (SELECT 1 FROM node LIMIT 1)"));
    }

    /**
     * Streams every document from one read transaction, so the export is a consistent snapshot even while walkers
     * write. {@code out} runs while that transaction is open: on a file, writes carry on meanwhile.
     */
    @Override
    public void exportAll(Consumer<Exported> out) {
        read("export the database", s -> {
            s.update("BEGIN");
            try {
                for (String collection : COLLECTIONS) {
                    s.eachText("SELECT doc FROM " + collection, doc -> out.accept(new Exported(collection, parse(doc))));
                }
            } finally {
                s.update("COMMIT");
            }
            return null;
        });
    }

    /**
     * One transaction for the whole import: it lands whole or not at all. A document replaces any with the same
     * id; a user also replaces any other user with the same email. Other writes wait until it is done.
     *
     * @throws IllegalArgumentException for a document that is not in {@link StoredJson}'s form (nothing imported)
     */
    @Override
    public void importAll(Iterable<Exported> documents) {
        List<Runnable> published = new ArrayList<>(1);
        published.add(coherence::clearCaches); // whatever it replaced
        writer.write("import documents", s -> {
            for (Exported e : documents) importOne(s, e);
            return null;
        }, published);
    }

    private static void importOne(Session s, Exported e) throws SQLException {
        ObjectNode d = e.document();
        switch (e.collection()) {
            case "node" -> {
                NodeRecord n = valid(e, () -> StoredJson.node(d));
                s.update("INSERT OR REPLACE INTO node (id, root, version, name, doc) VALUES (?, ?, ?, ?, ?)",
                        n.id().hex(), n.root().hex(), n.version(), n.name(), print(StoredJson.node(n)));
            }
            case "edge" -> {
                EdgeRecord r = valid(e, () -> StoredJson.edge(d));
                s.update("INSERT OR REPLACE INTO edge (id, root, version, doc) VALUES (?, ?, ?, ?)",
                        r.id().hex(), r.root().hex(), r.version(), print(StoredJson.edge(r)));
            }
            case "user" -> {
                UserRecord u = valid(e, () -> StoredJson.user(d));
                s.update("INSERT OR REPLACE INTO user (id, email, doc) VALUES (?, ?, ?)",
                        u.id().hex(), u.email(), print(StoredJson.user(u)));
            }
            case "walker" -> {
                // kept as it came (a document of another release may carry more), with its id and owner checked
                Id id = valid(e, () -> Id.of(d.get("_id").asText()));
                if (d.hasNonNull("root")) valid(e, () -> Id.of(d.get("root").asText()));
                writeWalker(s, walkerRow(id.hex(), d));
            }
            case "object" -> {
                ObjectRecord o = valid(e, () -> StoredJson.objectRecord(d));
                s.update("INSERT OR REPLACE INTO object (id, root, version, doc) VALUES (?, ?, ?, ?)",
                        o.id().hex(), o.root().hex(), o.version(), print(StoredJson.object(o)));
            }
            case "webhook" -> {
                WebhookKeyRecord k = valid(e, () -> StoredJson.webhookKeyRecord(d));
                s.update("DELETE FROM webhook WHERE id = ? OR key_hash = ? OR (root = ? AND name = ?)",
                        k.id().hex(), k.keyHash(), k.root().hex(), k.name());
                s.update("INSERT INTO webhook (id, root, name, key_hash, doc) VALUES (?, ?, ?, ?, ?)",
                        k.id().hex(), k.root().hex(), k.name(), k.keyHash(), print(StoredJson.webhookKey(k)));
            }
            default -> throw new IllegalArgumentException("unknown collection '" + e.collection()
                    + "' (expected one of " + COLLECTIONS + ")");
        }
    }

    private static <T> T valid(Exported e, Supplier<T> read) {
        try {
            return read.get();
        } catch (RuntimeException bad) {
            String id = e.document().path("_id").asText("(no _id)");
            throw new IllegalArgumentException("a " + e.collection() + " document (" + id
                    + ") is not in the stored form: it needs a 24-hex _id" + switch (e.collection()) {
                        case "user", "webhook" -> " and root_id";
                        case "walker" -> "";
                        default -> " and root";
                    }, bad);
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) return;
            closed = true;
        }
        writer.close();
        if (checkpointer != null) {
            checkpointer.close();
            checkpointSession.close();
        }
        if (readers != null) {
            readers.close();
            // the last connection to close checkpoints the WAL into the file and removes it
            writeSession.close();
        } else {
            memoryLock.lock();
            try {
                writeSession.close();
            } finally {
                memoryLock.unlock();
            }
        }
    }

    /** A per-connection setting as the write connection runs it ({@code PRAGMA synchronous}): for diagnostics. */
    long writerSetting(String pragma) {
        return writer.write("read a setting", s -> s.number(pragma));
    }

    @Override
    public String toString() { return "SqliteStore(" + where + ")"; }

    // ---- plumbing ----------------------------------------------------------------------------------------------

    private <T> T read(String doing, Session.SqlWork<T> work) {
        if (closed) throw Failures.closed();
        if (memoryLock != null) {
            memoryLock.lock();
            try {
                if (closed) throw Failures.closed();
                return work.apply(writeSession);
            } catch (SQLException e) {
                throw Failures.unavailable(doing, e);
            } finally {
                memoryLock.unlock();
            }
        }
        try {
            return readers.read(work);
        } catch (SQLException e) {
            throw Failures.unavailable(doing, e);
        }
    }

    private static String idList(Collection<Id> ids) {
        StringBuilder b = new StringBuilder(ids.size() * 27 + 2).append('[');
        for (Id id : ids) {
            if (b.length() > 1) b.append(',');
            b.append('"').append(id.hex()).append('"'); // 24 hex digits: nothing to escape
        }
        return b.append(']').toString();
    }

    private static NodeRecord versionOne(NodeRecord n) {
        return n.version() == 1 ? n : new NodeRecord(n.id(), n.name(), n.root(), n.access(), n.edges(), n.archetype(), 1);
    }

    private static ObjectRecord versionOne(ObjectRecord o) {
        return o.version() == 1 ? o : new ObjectRecord(o.id(), o.name(), o.root(), o.access(), o.archetype(), 1);
    }

    private static EdgeRecord versionOne(EdgeRecord e) {
        return e.version() == 1 ? e : new EdgeRecord(e.id(), e.name(), e.root(), e.access(), e.source(), e.target(),
                e.undirected(), e.archetype(), 1);
    }

    private static ObjectNode parse(String doc) {
        try {
            return object(JSON.readTree(doc));
        } catch (JsonProcessingException e) {
            throw notJson(e);
        }
    }

    /** The UTF-8 bytes SQLite holds: parsed without first making a String of them. */
    private static ObjectNode parse(byte[] doc) {
        try {
            return object(JSON.readTree(doc));
        } catch (IOException e) {
            throw notJson(e);
        }
    }

    private static ObjectNode object(JsonNode n) {
        if (n instanceof ObjectNode o) return o;
        throw new StoreUnavailable("a stored document is not a JSON object (was the file edited by hand?)", null);
    }

    private static StoreUnavailable notJson(IOException e) {
        return new StoreUnavailable("a stored document is not valid JSON (was the file edited by hand?)", e);
    }

    private static String print(JsonNode doc) {
        try {
            return JSON.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a document cannot be stored: " + e.getOriginalMessage(), e);
        }
    }
}
