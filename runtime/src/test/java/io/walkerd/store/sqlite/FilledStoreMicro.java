package io.walkerd.store.sqlite;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.walkerd.graph.Id;
import io.walkerd.store.ChangeSet;
import io.walkerd.store.EdgeRecord;
import io.walkerd.store.NodeRecord;
import io.walkerd.store.StoredJson;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Row 5 of the graph bench at the store's level, run by hand (not a test: no timing is asserted):
 * {@code java -cp <test class path> io.walkerd.store.sqlite.FilledStoreMicro [seconds] [rounds]}.
 *
 * <p>Two stores in one JVM (so both run the same compiled code): one holding only 100 users' roots and one node
 * each, one where 100 other users also hold 1,000 nodes and edges each. 100 threads, one per user, call the store as
 * {@code bench_read_node} does (the user's node and root by id) or as {@code bench_node} does (the root, its edges
 * and their nodes by id, then one commit that replaces the item), windows alternating between the two stores.
 */
public final class FilledStoreMicro {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final int USERS = 100;
    /** {@code -Dmicro.ids=random}: twelve random bytes per id, as before stored documents' ids began with their time. */
    private static final boolean RANDOM_IDS = "random".equals(System.getProperty("micro.ids"));

    private static Id newId() { return RANDOM_IDS ? Id.random() : Id.fresh(); }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        // to profile one side: "empty" or "filled" windows only, of "read" or "node" calls only
        String only = args.length > 2 ? args[2] : "both";
        String kind = args.length > 3 ? args[3] : "both";
        Path folder = Files.createTempDirectory("walkerd-filled-micro");
        try (SqliteStore empty = SqliteStore.open(folder.resolve("empty.db"), SqliteStore.Sync.NORMAL);
             SqliteStore filled = SqliteStore.open(folder.resolve("filled.db"), SqliteStore.Sync.NORMAL)) {
            List<User> emptyUsers = users(empty), filledUsers = users(filled);
            long t0 = System.nanoTime();
            for (int u = 0; u < 100; u++) {
                User other = user(filled);
                List<NodeRecord> nodes = new ArrayList<>();
                List<EdgeRecord> edges = new ArrayList<>();
                List<String> refs = new ArrayList<>();
                for (int i = 0; i < 1_000; i++) {
                    NodeRecord n = item(other.root, "BenchDatum", i);
                    EdgeRecord e = edge(other.root, n);
                    nodes.add(n);
                    edges.add(e);
                    refs.add("e:Link:" + e.id());
                }
                filled.commit(new ChangeSet(null, nodes, edges, List.of(new ChangeSet.NodeUpdate(other.root, 1, null, null, refs, List.of())),
                        List.of(), List.of(), List.of()));
            }
            System.out.printf("filled in %.1f s: %s%n", (System.nanoTime() - t0) / 1e9, sizes(folder.resolve("filled.db")));
            for (int warm = 0; warm < 2; warm++) {
                window("warm-up read", empty, emptyUsers, false, seconds);
                window("warm-up read", filled, filledUsers, false, seconds);
                window("warm-up node", empty, emptyUsers, true, seconds);
                window("warm-up node", filled, filledUsers, true, seconds);
            }
            for (int r = 0; r < rounds; r++) {
                boolean emptyFirst = r % 2 == 0;
                for (boolean write : new boolean[]{false, true}) {
                    if (!kind.equals("both") && kind.equals("node") != write) continue;
                    if (!only.equals("both")) {
                        window((write ? "bench_node-like " : "bench_read_node-like ") + only, only.equals("empty") ? empty : filled,
                                only.equals("empty") ? emptyUsers : filledUsers, write, seconds);
                        continue;
                    }
                    String what = write ? "bench_node-like" : "bench_read_node-like";
                    if (emptyFirst) {
                        window(what + " empty ", empty, emptyUsers, write, seconds);
                        window(what + " filled", filled, filledUsers, write, seconds);
                    } else {
                        window(what + " filled", filled, filledUsers, write, seconds);
                        window(what + " empty ", empty, emptyUsers, write, seconds);
                    }
                }
            }
            System.out.println("files: empty " + sizes(folder.resolve("empty.db")) + ", filled " + sizes(folder.resolve("filled.db")));
        }
    }

    private static final class User {
        final Id root;
        NodeRecord datum;
        NodeRecord item;
        EdgeRecord edge;
        long rootVersion = 1;

        User(Id root) { this.root = root; }
    }

    private static User user(SqliteStore store) {
        User u = new User(newId());
        store.ensureRoot(StoredJson.root(u.root, "NO_ACCESS"));
        return u;
    }

    private static List<User> users(SqliteStore store) {
        List<User> users = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            User u = user(store);
            u.datum = item(u.root, "BenchDatum", i);
            EdgeRecord e = edge(u.root, u.datum);
            store.commit(new ChangeSet(null, List.of(u.datum), List.of(e),
                    List.of(new ChangeSet.NodeUpdate(u.root, 1, null, null, List.of("e:Link:" + e.id()), List.of())), List.of(), List.of(), List.of()));
            u.rootVersion = 2;
            users.add(u);
        }
        return users;
    }

    private static void window(String what, SqliteStore store, List<User> users, boolean write, int seconds) throws InterruptedException {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong calls = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (User u : users) {
            Thread t = new Thread(() -> {
                while (running.get()) {
                    if (write) node(store, u);
                    else {
                        store.nodes(List.of(u.datum.id()));
                        store.nodes(List.of(u.root));
                    }
                    calls.incrementAndGet();
                }
            });
            t.start();
            threads.add(t);
        }
        Thread.sleep(500);
        READ_NANOS.set(0);
        COMMIT_NANOS.set(0);
        long c0 = calls.get(), t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        long c1 = calls.get(), t1 = System.nanoTime();
        long reading = READ_NANOS.get(), committing = COMMIT_NANOS.get();
        running.set(false);
        for (Thread t : threads) t.join();
        System.out.printf("%-28s %,8.0f calls/s%s%n", what, (c1 - c0) / ((t1 - t0) / 1e9), write
                ? String.format("  (per call: reads %.2f ms, commit %.2f ms)", reading / 1e6 / (c1 - c0), committing / 1e6 / (c1 - c0)) : "");
    }

    /** What bench_node asks of the store: the root, its edges and their nodes, then one commit replacing the item. */
    static final AtomicLong READ_NANOS = new AtomicLong(), COMMIT_NANOS = new AtomicLong();

    private static void node(SqliteStore store, User u) {
        long t0 = System.nanoTime();
        NodeRecord root = store.nodes(List.of(u.root)).get(0);
        List<Id> edgeIds = new ArrayList<>();
        for (var ref : root.edges()) edgeIds.add(Id.of(ref.substring(ref.lastIndexOf(':') + 1)));
        List<EdgeRecord> edges = store.edges(edgeIds);
        List<Id> targets = new ArrayList<>();
        for (EdgeRecord e : edges) targets.add(Id.of(e.target().substring(e.target().lastIndexOf(':') + 1)));
        store.nodes(targets);
        long t1 = System.nanoTime();
        READ_NANOS.addAndGet(t1 - t0);
        NodeRecord item = item(u.root, "BenchItem", 0);
        EdgeRecord edge = edge(u.root, item);
        store.commit(new ChangeSet(null, List.of(item), List.of(edge),
                List.of(new ChangeSet.NodeUpdate(u.root, root.version(), null, null, List.of("e:Link:" + edge.id()),
                        u.edge == null ? List.of() : List.of("e:Link:" + u.edge.id()))),
                List.of(),
                u.item == null ? List.of() : List.of(new ChangeSet.Versioned(u.item.id(), 1)),
                u.edge == null ? List.of() : List.of(new ChangeSet.Versioned(u.edge.id(), 1))));
        COMMIT_NANOS.addAndGet(System.nanoTime() - t1);
        u.item = item;
        u.edge = edge;
    }

    private static NodeRecord item(Id root, String type, int serial) {
        ObjectNode fields = F.objectNode().put("serial", serial).put("text", "filled by bench_fill");
        return new NodeRecord(newId(), type, root, access(), List.of(), fields, 1);
    }

    private static EdgeRecord edge(Id root, NodeRecord to) {
        return new EdgeRecord(newId(), "Link", root, access(), "n::" + root, "n:" + to.name() + ":" + to.id(), false, F.objectNode(), 1);
    }

    private static ObjectNode access() {
        ObjectNode a = F.objectNode().put("all", "NO_ACCESS");
        a.putObject("roots").putObject("anchors");
        return a;
    }

    private static String sizes(Path db) {
        try {
            Path wal = Path.of(db + "-wal");
            return String.format("%.1f MiB + %.1f MiB WAL", Files.size(db) / 1048576.0, Files.exists(wal) ? Files.size(wal) / 1048576.0 : 0.0);
        } catch (java.io.IOException x) {
            return "?";
        }
    }
}
