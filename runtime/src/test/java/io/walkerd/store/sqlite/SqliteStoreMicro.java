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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Rough figures for the SQLite store, run by hand (not a test: no timing is asserted anywhere):
 * {@code java -cp <test class path> io.walkerd.store.sqlite.SqliteStoreMicro [normal|full]}.
 *
 * <p>The write is shaped like {@code bench_node}'s commit: replace the one item under the caller's root (delete the
 * old node and edge, insert a new pair, move the root's edge ref).
 */
public final class SqliteStoreMicro {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    public static void main(String[] args) throws Exception {
        SqliteStore.Sync sync = SqliteStore.Sync.parse(args.length > 0 ? args[0] : "normal");
        Path folder = Files.createTempDirectory("walkerd-micro");
        try (SqliteStore store = SqliteStore.open(folder.resolve("walkerd.db"), sync)) {
            System.out.println("sync=" + sync);
            for (int threads : new int[]{1, 1, 16, 100}) writes(store, threads, 4_000);
            reads(store);
        }
    }

    private static void writes(SqliteStore store, int threads, int total) throws Exception {
        int each = total / threads;
        CountDownLatch start = new CountDownLatch(1);
        AtomicLong failures = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread w = new Thread(() -> {
                Id root = Id.random();
                store.ensureRoot(StoredJson.root(root, "NO_ACCESS"));
                NodeRecord old = null;
                EdgeRecord oldEdge = null;
                long rootVersion = 1;
                try {
                    start.await();
                    for (int i = 0; i < each; i++) {
                        NodeRecord item = item(root, i);
                        EdgeRecord edge = new EdgeRecord(Id.random(), "Link", root, access(), "n::" + root,
                                "n:BenchItem:" + item.id(), false, F.objectNode(), 1);
                        String ref = "e:Link:" + edge.id();
                        store.commit(new ChangeSet(null, List.of(item), List.of(edge),
                                List.of(new ChangeSet.NodeUpdate(root, rootVersion, null, null, List.of(ref),
                                        old == null ? List.of() : List.of("e:Link:" + oldEdge.id()))),
                                List.of(),
                                old == null ? List.of() : List.of(new ChangeSet.Versioned(old.id(), 1)),
                                old == null ? List.of() : List.of(new ChangeSet.Versioned(oldEdge.id(), 1))));
                        old = item;
                        oldEdge = edge;
                    }
                } catch (Exception e) {
                    failures.incrementAndGet();
                    e.printStackTrace();
                }
            });
            w.start();
            workers.add(w);
        }
        long t0 = System.nanoTime();
        start.countDown();
        for (Thread w : workers) w.join();
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("writes: %3d threads, %d commits: %.0f commits/s (%d failures)%n",
                threads, each * threads, each * threads / seconds, failures.get());
    }

    private static void reads(SqliteStore store) {
        Id root = Id.random();
        store.ensureRoot(StoredJson.root(root, "NO_ACCESS"));
        List<NodeRecord> nodes = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) nodes.add(item(root, i));
        store.commit(new ChangeSet(null, nodes, List.of(), List.of(), List.of(), List.of(), List.of()));
        List<Id> ids = nodes.stream().map(NodeRecord::id).toList();
        long[] nanos = new long[200];
        for (int round = 0; round < 200 + 100; round++) {
            long t0 = System.nanoTime();
            store.nodes(ids);
            if (round >= 100) nanos[round - 100] = System.nanoTime() - t0; // the first hundred warm the JIT
        }
        java.util.Arrays.sort(nanos);
        System.out.printf("read 2,000 nodes by id: median %.2f ms, fastest %.2f ms%n", nanos[100] / 1e6, nanos[0] / 1e6);
    }

    private static NodeRecord item(Id root, int serial) {
        ObjectNode fields = F.objectNode().put("serial", serial).put("note", "created by bench_node");
        fields.putObject("meta").put("owner", "bench").put("priority", serial % 5);
        return new NodeRecord(Id.random(), "BenchItem", root, access(), List.of(), fields, 1);
    }

    private static ObjectNode access() {
        ObjectNode a = F.objectNode().put("all", "NO_ACCESS");
        a.putObject("roots").putObject("anchors");
        return a;
    }
}
