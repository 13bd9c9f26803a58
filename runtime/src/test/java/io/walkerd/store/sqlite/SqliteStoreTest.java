package io.walkerd.store.sqlite;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.walkerd.graph.Id;
import io.walkerd.store.ChangeSet;
import io.walkerd.store.NodeRecord;
import io.walkerd.store.Store;
import io.walkerd.store.StoreContract;
import io.walkerd.store.StoreUnavailable;
import io.walkerd.store.StoredJson;
import io.walkerd.store.UserRecord;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The store contract on a SQLite file, and what only the SQLite store promises. */
class SqliteStoreTest extends StoreContract {

    @Override
    protected Store newStore(Path folder) {
        return SqliteStore.open(folder.resolve("walkerd.db"), SqliteStore.Sync.NORMAL);
    }

    /** The same contract on an in-memory database, whose readers share the one connection. */
    @Nested
    class InMemory extends StoreContract {
        @Override
        protected Store newStore(Path folder) { return SqliteStore.open(":memory:", SqliteStore.Sync.NORMAL); }

        @Test
        void twoInMemoryStoresShareNothing() {
            Store other = open();
            Id root = newRoot();
            assertThat(other.nodes(List.of(root))).isEmpty();
        }
    }

    private Path file() { return dir.resolve("store-0").resolve("walkerd.db"); }

    private static String query(Path file, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    @Test
    void anotherConnectionReadsTheFileWhileTheStoreIsOpen() throws SQLException {
        Id root = newRoot();
        NodeRecord n = node(root, "visible");
        store.commit(inserts(List.of(n), List.of()));

        assertThat(query(file(), "SELECT json_extract(doc, '$.archetype.label') FROM node WHERE id = '" + n.id() + "'"))
                .isEqualTo("visible");
        assertThat(query(file(), "SELECT root FROM node WHERE id = '" + n.id() + "'")).isEqualTo(root.hex());
        // and the store keeps writing while that connection reads
        store.commit(updates(setLabel(n.id(), 1, "still writable")));
        assertThat(query(file(), "SELECT json_extract(doc, '$.version') FROM node WHERE id = '" + n.id() + "'"))
                .isEqualTo("2");
    }

    @Test
    void anotherConnectionCanWriteWhileTheStoreIsOpen() throws SQLException {
        Id root = newRoot();
        NodeRecord n = node(root, "as written");
        store.commit(inserts(List.of(n), List.of()));

        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file()); Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE node SET doc = json_set(doc, '$.archetype.label', 'fixed by hand')"
                    + " WHERE id = '" + n.id() + "'");
        }

        // at once: the other connection's commit moved the file's stamp, so the kept document is not used
        assertThat(load(n.id()).archetype().path("label").asText()).isEqualTo("fixed by hand");
        store.commit(updates(setLabel(n.id(), 1, "written again")));
        assertThat(load(n.id()).archetype().path("label").asText()).isEqualTo("written again");
    }

    /** Changes a node's label by hand, as another process would, bumping its version as walkerd does. */
    private void changeByHand(Id id, String label) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file()); Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE node SET version = version + 1, doc = json_set(doc, '$.archetype.label', '" + label
                    + "', '$.version', version + 1) WHERE id = '" + id + "'");
        }
    }

    @Test
    void anotherProcessesCommitIsSeenByTheVeryNextRead() throws SQLException {
        Id root = newRoot();
        NodeRecord n = node(root, "as written");
        store.commit(inserts(List.of(n), List.of()));
        assertThat(load(n.id()).archetype().path("label").asText()).isEqualTo("as written"); // now kept in memory

        changeByHand(n.id(), "by hand");
        NodeRecord read = load(n.id());
        assertThat(read.archetype().path("label").asText()).isEqualTo("by hand");
        assertThat(read.version()).isEqualTo(2);
        // and after the writer has looked (it does before a write, or within 100 ms when idle), the same again
        store.commit(inserts(List.of(node(root, "unrelated")), List.of()));
        assertThat(load(n.id()).archetype().path("label").asText()).isEqualTo("by hand");
        changeByHand(n.id(), "twice by hand");
        assertThat(load(n.id()).archetype().path("label").asText()).isEqualTo("twice by hand");
    }

    @Test
    void twoStoresOnOneFileSeeEachOthersCommitsAtOnce() {
        try (Store other = SqliteStore.open(file(), SqliteStore.Sync.NORMAL)) {
            Id root = newRoot();
            NodeRecord n = node(root, "v1");
            store.commit(inserts(List.of(n), List.of()));
            assertThat(other.nodes(List.of(n.id())).get(0).archetype().path("label").asText()).isEqualTo("v1");
            for (int v = 1; v <= 50; v++) { // each store keeps the node, the other changes it, each read must see it
                Store writer = v % 2 == 0 ? store : other, reader = v % 2 == 0 ? other : store;
                writer.commit(updates(setLabel(n.id(), v, "v" + (v + 1))));
                assertThat(reader.nodes(List.of(n.id())).get(0).archetype().path("label").asText()).isEqualTo("v" + (v + 1));
                assertThat(writer.nodes(List.of(n.id())).get(0).version()).isEqualTo(v + 1);
            }
        }
    }

    @Test
    void theWalHeaderStampMovesByOneCommitOfAnyConnectionAndByNothingElse() throws Exception {
        Id root = newRoot();
        NodeRecord n = node(root, "v1");
        store.commit(inserts(List.of(n), List.of()));
        WalHeader header = WalHeader.of(file());
        long start = header.stamp();
        assertThat(start).isNotEqualTo(WalHeader.UNKNOWN);
        load(n.id());
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file()); Statement st = c.createStatement()) {
            st.execute("BEGIN IMMEDIATE");
            st.executeUpdate("UPDATE node SET doc = doc WHERE id = '" + n.id() + "'");
            st.execute("ROLLBACK");
            st.execute("PRAGMA wal_checkpoint(PASSIVE)");
            assertThat(header.stamp()).as("reads, a rollback and a checkpoint").isEqualTo(start);
            changeByHand(n.id(), "by hand");
            long afterOne = header.stamp();
            assertThat(WalHeader.oneCommitApart(start, afterOne)).isTrue();
            store.commit(updates(setLabel(n.id(), 2, "ours")));
            assertThat(WalHeader.oneCommitApart(afterOne, header.stamp())).isTrue();
        }
    }

    @Test
    void anUpdateBuiltOnAKeptDocumentThatAnotherProcessChangedConflictsInsteadOfOverwriting() throws SQLException {
        Id root = newRoot();
        NodeRecord n = node(root, "as written");
        store.commit(inserts(List.of(n), List.of()));
        assertThat(load(n.id()).version()).isEqualTo(1);

        changeByHand(n.id(), "by hand");
        // the update names version 1, as a walker that read the kept document would: the file's version decides
        assertThatThrownBy(() -> store.commit(updates(setLabel(n.id(), 1, "stale"))))
                .isInstanceOf(io.walkerd.store.CommitConflict.class);
        assertThat(load(n.id()).archetype().path("label").asText()).isEqualTo("by hand");
        store.commit(updates(setLabel(n.id(), 2, "after a fresh read")));
        assertThat(load(n.id()).archetype().path("label").asText()).isEqualTo("after a fresh read");
    }

    @Test
    void withoutACacheEveryReadAsksTheFile() throws SQLException {
        store.close();
        try (Store uncached = SqliteStore.open(file(), SqliteStore.Sync.NORMAL, 0)) {
            store = uncached; // (the one the test began with is closed after it, again: closing twice is allowed)
            Id root = newRoot();
            NodeRecord n = node(root, "as written");
            store.commit(inserts(List.of(n), List.of()));
            assertThat(load(n.id()).version()).isEqualTo(1);

            changeByHand(n.id(), "by hand");
            assertThat(load(n.id()).archetype().path("label").asText()).isEqualTo("by hand");
        }
    }

    @Test
    void readersRacingWritersNeverSeeAnOlderVersionThanAnAcknowledgedCommit() throws Exception {
        Id root = newRoot();
        NodeRecord n = node(root, "v1");
        store.commit(inserts(List.of(n), List.of()));
        java.util.concurrent.atomic.AtomicLong acknowledged = new java.util.concurrent.atomic.AtomicLong(1);
        java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
        List<String> stale = java.util.Collections.synchronizedList(new ArrayList<>());
        runTogether(4, t -> {
            if (t == 0) { // one writer: 300 versions, each acknowledged before the next
                for (long v = 1; v <= 300; v++) {
                    store.commit(updates(setLabel(n.id(), v, "v" + (v + 1))));
                    acknowledged.set(v + 1);
                }
                writing.set(false);
            } else { // readers: a read that begins after an acknowledgement must see that version or a later one
                while (writing.get()) {
                    long floor = acknowledged.get();
                    long seen = load(n.id()).version();
                    if (seen < floor) stale.add("read version " + seen + " after version " + floor + " was acknowledged");
                }
            }
        });
        assertThat(stale).isEmpty();
        assertThat(load(n.id()).version()).isEqualTo(301);
    }

    @Test
    void everyCommitAcknowledgedBeforeTheProcessIsKilledIsThere() throws Exception {
        store.close();
        Path db = file();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CommitUntilKilled.class.getName(), db.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> acknowledged = new ArrayList<>();
        try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(child.getInputStream()))) {
            String line;
            while ((line = out.readLine()) != null) {
                acknowledged.add(line);
                // SIGKILL: no shutdown hook, no close. Through the handle, which (unlike Process.destroyForcibly)
                // leaves the pipe open, so the ids already acknowledged in it are still read
                if (acknowledged.size() == 300) child.toHandle().destroyForcibly();
            }
        } finally {
            child.destroyForcibly();
        }
        assertThat(child.waitFor()).isNotZero();
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(300);

        try (Store reopened = SqliteStore.open(db, SqliteStore.Sync.NORMAL)) {
            List<Id> ids = acknowledged.stream().map(Id::of).toList();
            assertThat(reopened.nodes(ids)).extracting(NodeRecord::id).containsExactlyInAnyOrderElementsOf(ids);
        }
    }

    /** The child process of the kill test: commits nodes one after another, printing each id once committed. */
    public static final class CommitUntilKilled {
        public static void main(String[] args) {
            SqliteStore store = SqliteStore.open(Path.of(args[0]), SqliteStore.Sync.NORMAL);
            Id root = Id.random();
            store.ensureRoot(StoredJson.root(root, "NO_ACCESS"));
            while (true) {
                NodeRecord n = node(root, "acknowledged");
                store.commit(inserts(List.of(n), List.of()));
                System.out.println(n.id());
                System.out.flush();
            }
        }
    }

    @Test
    void theStoreWritesWhileAnotherConnectionHoldsAReadTransaction() throws SQLException {
        Id root = newRoot();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file())) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM node")) {
                rs.next();
                store.commit(inserts(List.of(node(root, "written meanwhile")), List.of()));
                assertThat(store.countOwned(root)).isEqualTo(2);
            }
            c.rollback();
        }
    }

    @Test
    void readsRunWhileAWriteTransactionIsOpenAndDoNotSeeIt() throws Exception {
        Id root = newRoot();
        NodeRecord imported = node(root, "not yet committed");
        CountDownLatch inTransaction = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        // an import holds its write transaction open for as long as its documents keep coming
        Iterable<Store.Exported> slowImport = () -> new Iterator<>() {
            int given;

            @Override
            public boolean hasNext() {
                if (given == 1) {
                    inTransaction.countDown();
                    await(finish);
                }
                return given < 1;
            }

            @Override
            public Store.Exported next() {
                given++;
                return new Store.Exported("node", StoredJson.node(imported));
            }
        };
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<?> importing = pool.submit(() -> store.importAll(slowImport));
            await(inTransaction);

            assertThat(store.nodes(List.of(root, imported.id()))).extracting(NodeRecord::id).containsExactly(root);
            assertThat(store.countOwned(root)).isEqualTo(1);

            finish.countDown();
            importing.get(30, TimeUnit.SECONDS);
            assertThat(store.nodes(List.of(imported.id()))).hasSize(1);
        } finally {
            finish.countDown();
            pool.shutdownNow();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) throw new AssertionError("waited 30 s for the other side");
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theFileIsInWalMode() throws SQLException {
        assertThat(query(file(), "PRAGMA journal_mode")).isEqualTo("wal");
    }

    @Test
    void theSchemaVersionIsRecordedInTheFile() throws SQLException {
        assertThat(query(file(), "PRAGMA user_version")).isEqualTo(String.valueOf(Schema.VERSION));
    }

    @Test
    void synchronousIsNormalByDefault() throws SQLException {
        assertThat(synchronous((SqliteStore) store)).isEqualTo(1);
    }

    @Test
    void synchronousIsFullWhenSyncIsFull() throws SQLException {
        try (SqliteStore full = SqliteStore.open(dir.resolve("full.db"), SqliteStore.Sync.FULL)) {
            assertThat(synchronous(full)).isEqualTo(2);
        }
    }

    @Test
    void syncSettingIsParsedFromItsName() {
        assertThat(SqliteStore.Sync.parse(null)).isEqualTo(SqliteStore.Sync.NORMAL);
        assertThat(SqliteStore.Sync.parse("Full")).isEqualTo(SqliteStore.Sync.FULL);
        assertThatThrownBy(() -> SqliteStore.Sync.parse("sometimes")).hasMessageContaining("normal or full");
    }

    /** SQLite's synchronous level as the write connection runs it: 1 is NORMAL, 2 is FULL. */
    private static long synchronous(SqliteStore s) {
        return s.writerSetting("PRAGMA synchronous");
    }

    @Test
    void aReopenedStoreSeesEverythingCommitted() {
        UserRecord u = user("reopen@example.com");
        store.createUser(u, StoredJson.root(u.rootId(), "NO_ACCESS"));
        NodeRecord n = node(u.rootId(), "kept");
        store.commit(new ChangeSet(null, List.of(n), List.of(), List.of(addEdges(u.rootId(), 1, "e:Link:" + Id.random())),
                List.of(), List.of(), List.of()));
        store.commit(updates(setLabel(n.id(), 1, "changed")));
        var before = exportById(store);
        store.close();

        try (Store reopened = SqliteStore.open(file(), SqliteStore.Sync.NORMAL)) {
            assertThat(exportById(reopened)).isEqualTo(before);
            assertThat(reopened.userByEmail("reopen@example.com")).contains(u);
            assertThat(reopened.nodes(List.of(n.id())).get(0).version()).isEqualTo(2);
        }
    }

    @Test
    void theFolderOfANewFileIsCreated() {
        Path nested = dir.resolve("data").resolve("deeper").resolve("walkerd.db");
        try (Store s = SqliteStore.open(nested.toString(), SqliteStore.Sync.NORMAL)) {
            s.check();
        }
        assertThat(Files.exists(nested)).isTrue();
    }

    @Test
    void aFileThatIsNotADatabaseIsRefusedInWords() throws Exception {
        Path junk = dir.resolve("junk.db");
        Files.writeString(junk, "this is not a database, just text that is long enough to look like a header ".repeat(20));

        assertThatThrownBy(() -> SqliteStore.open(junk, SqliteStore.Sync.NORMAL))
                .isInstanceOf(StoreUnavailable.class)
                .hasMessageContaining("not an SQLite database")
                .hasMessageNotContaining("SQLITE_");
    }

    @Test
    void aDatabaseOfAnotherProgramIsRefused() throws Exception {
        Path other = dir.resolve("other.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + other); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE accounts (id INTEGER)");
        }

        assertThatThrownBy(() -> SqliteStore.open(other, SqliteStore.Sync.NORMAL))
                .isInstanceOf(StoreUnavailable.class)
                .hasMessageContaining("another program");
    }

    @Test
    void aFileOfSchemaVersionOneIsBroughtUpToDateWithItsDocuments() throws Exception {
        Path old = dir.resolve("v1.db");
        Id root = Id.random();
        Id walker = Id.timeOrdered();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + old); Statement st = c.createStatement()) {
            // the tables as release 1 made them
            st.execute("CREATE TABLE node (id TEXT PRIMARY KEY, root TEXT NOT NULL, version INTEGER NOT NULL, doc TEXT NOT NULL)");
            st.execute("CREATE INDEX node_root ON node (root)");
            st.execute("CREATE TABLE edge (id TEXT PRIMARY KEY, root TEXT NOT NULL, version INTEGER NOT NULL, doc TEXT NOT NULL)");
            st.execute("CREATE INDEX edge_root ON edge (root)");
            st.execute("CREATE TABLE walker (id TEXT PRIMARY KEY, root TEXT, version INTEGER NOT NULL, doc TEXT NOT NULL)");
            st.execute("CREATE INDEX walker_root ON walker (root)");
            st.execute("CREATE TABLE user (id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE, doc TEXT NOT NULL)");
            st.execute("PRAGMA user_version = 1");
            st.execute("INSERT INTO node VALUES ('" + root.hex() + "', '" + root.hex() + "', 1, '"
                    + StoredJson.node(StoredJson.root(root, "NO_ACCESS")) + "')");
            st.execute("INSERT INTO walker VALUES ('" + walker.hex() + "', '" + root.hex() + "', 1, '{\"_id\": \"" + walker.hex()
                    + "\", \"name\": \"visit\", \"root\": \"" + root.hex() + "\", \"archetype\": {}}')");
        }

        try (SqliteStore upgraded = SqliteStore.open(old, SqliteStore.Sync.NORMAL)) {
            assertThat(query(old, "PRAGMA user_version")).isEqualTo(String.valueOf(Schema.VERSION));
            assertThat(upgraded.nodes(List.of(root))).hasSize(1);
            assertThat(upgraded.latestWalker("visit").orElseThrow().id()).as("found by its name").isEqualTo(walker);
            assertThat(upgraded.countOwned(root)).isEqualTo(2);
            assertThat(upgraded.nodesNamed("", root, 10)).as("by the type name column filled from the documents")
                    .extracting(NodeRecord::id).containsExactly(root);
            assertThat(upgraded.nodesNamed("", null, 10)).extracting(NodeRecord::id).containsExactly(root);
            assertThat(upgraded.createWebhookKey(webhookKey(root, "after the upgrade"))).isTrue();
            assertThat(upgraded.claimLease("l", "me", java.time.Instant.now().plusSeconds(5))).isTrue();
        }
    }

    @Test
    void aFileFromANewerSchemaIsRefused() throws Exception {
        store.close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file()); Statement st = c.createStatement()) {
            st.execute("PRAGMA user_version = " + (Schema.VERSION + 1));
        }

        assertThatThrownBy(() -> SqliteStore.open(file(), SqliteStore.Sync.NORMAL))
                .isInstanceOf(StoreUnavailable.class)
                .hasMessageContaining("newer walkerd");
    }

    @Test
    void aClosedStoreSaysSo() {
        store.close();
        assertThatThrownBy(() -> store.nodes(List.of(Id.random()))).isInstanceOf(StoreUnavailable.class)
                .hasMessage("the store is closed");
        assertThatThrownBy(() -> store.commit(reset(Id.random()))).isInstanceOf(StoreUnavailable.class)
                .hasMessage("the store is closed");
    }

    @Test
    void writesAndReadsRacingCloseEachSucceedOrAreRefusedAndNoneIsLeftWaiting() throws Exception {
        Id root = newRoot();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        CountDownLatch going = new CountDownLatch(16);
        List<Future<List<NodeRecord>>> writers = new ArrayList<>();
        try {
            for (int t = 0; t < 16; t++) {
                writers.add(pool.submit(() -> {
                    List<NodeRecord> committed = new ArrayList<>();
                    going.countDown();
                    try {
                        while (true) {
                            NodeRecord n = node(root, "racing close");
                            store.commit(inserts(List.of(n), List.of()));
                            committed.add(n);
                            store.nodes(List.of(n.id()));
                        }
                    } catch (StoreUnavailable refused) {
                        assertThat(refused).hasMessage("the store is closed");
                    }
                    return committed;
                }));
            }
            going.await(30, TimeUnit.SECONDS);
            store.close();

            List<NodeRecord> committed = new ArrayList<>();
            for (Future<List<NodeRecord>> w : writers) committed.addAll(w.get(30, TimeUnit.SECONDS));
            try (Store reopened = SqliteStore.open(file(), SqliteStore.Sync.NORMAL)) {
                assertThat(committed).isNotEmpty();
                assertThat(reopened.nodes(committed.stream().map(NodeRecord::id).toList())).hasSameSizeAs(committed);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void documentsAreStoredInTheirJsonFormWithColumnsThatAgree() throws SQLException {
        Id root = newRoot();
        NodeRecord n = node(root, "columns");
        store.commit(inserts(List.of(n), List.of()));
        store.commit(updates(setLabel(n.id(), 1, "v2")));

        String where = " FROM node WHERE id = '" + n.id() + "'";
        assertThat(query(file(), "SELECT version" + where)).isEqualTo("2");
        assertThat(query(file(), "SELECT json_extract(doc, '$.version')" + where)).isEqualTo("2");
        assertThat(query(file(), "SELECT json_extract(doc, '$._id')" + where)).isEqualTo(n.id().hex());
        assertThat(query(file(), "SELECT json_extract(doc, '$.name')" + where)).isEqualTo("Item");
        assertThat(query(file(), "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'node_root'"))
                .isEqualTo("1");
    }

    private static ObjectNode nested(int depth) {
        ObjectNode top = F.objectNode();
        ObjectNode level = top;
        for (int i = 1; i < depth; i++) level = level.putObject("x");
        return top;
    }

    @Test
    void aDocumentNestedBeyondTheLimitIsRefusedAndTheStoreKeepsServing() {
        Id root = newRoot();
        NodeRecord deep = new NodeRecord(Id.random(), "Item", root, access("NO_ACCESS"), List.of(),
                nested(SqliteStore.MAX_DEPTH + 10), 1);
        NodeRecord fine = node(root, "fine");
        store.commit(inserts(List.of(fine), List.of()));

        assertThatThrownBy(() -> store.commit(inserts(List.of(deep), List.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot be stored");
        assertThatThrownBy(() -> store.commit(updates(new ChangeSet.NodeUpdate(fine.id(), 1,
                nested(SqliteStore.MAX_DEPTH + 10), null, List.of(), List.of()))))
                .isInstanceOf(IllegalArgumentException.class);

        assertThat(store.nodes(List.of(deep.id()))).isEmpty();
        assertThat(load(fine.id()).version()).isEqualTo(1);
        store.commit(updates(setLabel(fine.id(), 1, "still served")));
        assertThat(load(fine.id()).archetype().path("label").asText()).isEqualTo("still served");
    }

    @Test
    void theDeepestDocumentAcceptedReadsBack() {
        Id root = newRoot();
        // the node document wraps the fields in one more level; the depth reached is the store's limit exactly
        NodeRecord deepest = new NodeRecord(Id.random(), "Item", root, access("NO_ACCESS"), List.of(),
                nested(SqliteStore.MAX_DEPTH - 1), 1);
        store.commit(inserts(List.of(deepest), List.of()));

        assertThat(load(deepest.id()).archetype()).isEqualTo(deepest.archetype());
        assertThat(exportById(store)).containsKey("node/" + deepest.id());
    }

    @Test
    void aFailedImportImportsNothing() {
        List<Store.Exported> docs = new ArrayList<>();
        docs.add(new Store.Exported("node", StoredJson.node(node(Id.random(), "fine"))));
        docs.add(new Store.Exported("node", F.objectNode().put("name", "no id")));

        assertThatThrownBy(() -> store.importAll(docs)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("_id");
        assertThat(exportById(store)).isEmpty();
    }
}
