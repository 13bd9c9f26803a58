package io.walkerd.conformance;

import io.walkerd.conformance.SimpleGraph.A;
import io.walkerd.conformance.SimpleGraph.B;
import io.walkerd.conformance.SimpleGraph.C;
import io.walkerd.graph.Node;
import io.walkerd.graph.Root;
import io.walkerd.walker.OnEntry;
import io.walkerd.walker.Walker;

/** A node loaded by id, changed, and saved with the walk (if the caller may write it). */
public final class MemorySync {
    private MemorySync() {}

    /** Loads the node {@code other_node_id}, sets its val to 4 and reports it; reports null when it cannot read it. */
    public static class CheckMemorySync extends Walker {
        public String other_node_id;

        @OnEntry
        void enter(Root here) {
            Node n = load(other_node_id, Node.class);
            if (n instanceof A a) a.val = 4;
            else if (n instanceof B b) b.val = 4;
            else if (n instanceof C c) c.val = 4;
            report(n);
        }
    }
}
