package io.walkerd.graph;

/**
 * The graph of the walk running on the current thread, so that nodes created with {@code new} during a walk can
 * be adopted by it when they are first connected. Set and cleared by the walker runtime around each walk.
 */
public final class WalkScope {
    private static final ThreadLocal<Graph> CURRENT = new ThreadLocal<>();

    private WalkScope() {}

    public static Graph graph() {
        Graph g = CURRENT.get();
        if (g == null) throw new IllegalStateException("graph operations need a running walker");
        return g;
    }

    public static Graph enter(Graph graph) {
        Graph previous = CURRENT.get();
        CURRENT.set(graph);
        return previous;
    }

    public static void restore(Graph previous) {
        if (previous == null) CURRENT.remove(); else CURRENT.set(previous);
    }
}
