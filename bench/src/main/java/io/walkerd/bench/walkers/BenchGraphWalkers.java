package io.walkerd.bench.walkers;

import io.walkerd.graph.Node;
import io.walkerd.graph.Root;
import io.walkerd.walker.EntryType;
import io.walkerd.walker.OnEntry;
import io.walkerd.walker.Specs;
import io.walkerd.walker.Walker;
import io.walkerd.walker.WalkerFailure;

import java.util.LinkedHashMap;
import java.util.Map;

/** The walkers of the {@code graph} rows that measure the store under many clients (see {@code run/GraphBench}). */
public final class BenchGraphWalkers {
    private BenchGraphWalkers() {}

    /** The most nodes one {@link BenchFill} call creates. */
    public static final int MAX_FILL = 10_000;

    /** What {@link BenchFill} creates and {@link BenchReadNode} reads; a different type from {@code bench_node}'s items,
     *  which that walker deletes. */
    public static class BenchDatum extends Node {
        public long serial;
        public String text;

        public BenchDatum() {}

        public BenchDatum(long serial, String text) {
            this.serial = serial;
            this.text = text;
        }
    }

    /**
     * Creates {@code count} nodes under the caller's root in one call (one commit), and reports how many and the
     * first one's id. The bench calls it with {@code count = 1} to give each measured user a node to read, and as
     * other users with {@code count = 1,000} to put 100,000 nodes in the store that the measured users never see.
     */
    @Specs(auth = true, entryType = EntryType.ROOT)
    public static class BenchFill extends Walker {
        public int count = 1;

        @OnEntry
        void enter(Root root) {
            if (count < 1 || count > MAX_FILL) throw new WalkerFailure(400, "count must be 1.." + MAX_FILL + ", got " + count);
            String first = null;
            for (int i = 0; i < count; i++) {
                BenchDatum d = root.connect(new BenchDatum(i, "filled by bench_fill"));
                if (first == null) first = d.id();
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("created", count);
            out.put("first", first);
            report(out);
        }
    }

    /**
     * Spawned on one of the caller's nodes ({@code /walker/bench_read_node/<node id>}): reads the caller's root
     * document (its access policy, which reads the root and nothing beyond it) and the node, reports the node, and
     * writes nothing. The read-only counterpart of {@code bench_node}.
     */
    @Specs(auth = true, entryType = EntryType.NODE)
    public static class BenchReadNode extends Walker {
        @OnEntry
        void enter(BenchDatum datum) {
            // the root's stored document (its edge list and access), as a walk from it would load it; not root().access(),
            // which answers WRITE for the caller's own root without reading anything
            root().anchor().loadedAccess();
            report(datum);
        }
    }
}
