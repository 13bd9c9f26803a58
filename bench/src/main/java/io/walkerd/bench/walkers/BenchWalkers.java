package io.walkerd.bench.walkers;

import io.walkerd.graph.Node;
import io.walkerd.graph.Root;
import io.walkerd.walker.OnEntry;
import io.walkerd.walker.Specs;
import io.walkerd.walker.Walker;

/** The REST walkers the bench calls. Names start with {@code bench_} so they never clash with an application's. */
public final class BenchWalkers {
    private BenchWalkers() {}

    /** The cheapest walker: one report, no graph change (the {@code walker-rest} trivial row). */
    @Specs(auth = false)
    public static class BenchHello extends Walker {
        @OnEntry
        void enter(Root root) { report("hello"); }
    }

    /** The caller's root id; the bench checks its cached tokens with it. */
    @Specs(auth = true)
    public static class BenchWhoami extends Walker {
        @OnEntry
        void enter(Root root) { report(root.id()); }
    }

    /** What {@link BenchNode} creates. */
    public static class BenchItem extends Node {
        public long serial;
        public String text;

        public BenchItem() {}

        public BenchItem(long serial, String text) {
            this.serial = serial;
            this.text = text;
        }
    }

    /**
     * Creates a node on the caller's root, enters it and reports it. It first deletes the items earlier calls left, so
     * that the root's edge list stays short however long the bench runs (otherwise every call would load a longer root).
     * The bench calls it as many users, one call at a time each, as an application's users would.
     */
    @Specs(auth = true)
    public static class BenchNode extends Walker {
        public long serial;

        @OnEntry
        void enter(Root root) {
            for (BenchItem old : root.outgoing(BenchItem.class)) old.destroy();
            visit(root.connect(new BenchItem(serial, "created by bench_node")));
        }

        @OnEntry
        void enter(BenchItem item) { report(item); }
    }
}
