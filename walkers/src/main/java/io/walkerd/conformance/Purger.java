package io.walkerd.conformance;

import io.walkerd.graph.Node;
import io.walkerd.graph.Root;
import io.walkerd.walker.OnEntry;
import io.walkerd.walker.Walker;

import java.util.function.IntFunction;

/**
 * A five-level binary tree under the root (2 D, 4 E, 8 F, 16 G, 32 H: 62 nodes and 62 edges) to count and purge.
 */
public final class Purger {
    private Purger() {}

    public static class D extends Node {
        public int id;

        public D() {}

        public D(int id) { this.id = id; }
    }

    public static class E extends Node {
        public int id;

        public E() {}

        public E(int id) { this.id = id; }
    }

    public static class F extends Node {
        public int id;

        public F() {}

        public F(int id) { this.id = id; }
    }

    public static class G extends Node {
        public int id;

        public G() {}

        public G(int id) { this.id = id; }
    }

    public static class H extends Node {
        public int id;

        public H() {}

        public H(int id) { this.id = id; }
    }

    /** Gives the root two D children, each D two E, and so on down to H, visiting each level as it builds it. */
    public static class PopulateGraph extends Walker {
        @OnEntry
        void setup1(Root here) { grow(here, D::new); }

        @OnEntry
        void setup2(D here) { grow(here, E::new); }

        @OnEntry
        void setup3(E here) { grow(here, F::new); }

        @OnEntry
        void setup4(F here) { grow(here, G::new); }

        @OnEntry
        void setup5(G here) { grow(here, H::new); }

        private void grow(Node here, IntFunction<Node> child) {
            for (int i = 0; i < 2; i++) here.connect(child.apply(i));
            visit(here.outgoing());
        }
    }

    /** Reports every node of the tree, root first, breadth-first. */
    public static class TraversePopulatedGraph extends Walker {
        @OnEntry({Root.class, D.class, E.class, F.class, G.class, H.class})
        void enter(Node here) {
            report(here);
            visit(here.outgoing());
        }
    }

    /** Reports how many node, edge and walker documents the caller's root owns, the root included. */
    public static class CheckPopulatedGraph extends Walker {
        @OnEntry
        void enter(Root here) { report(countOwnedDocuments()); }
    }

    /** Deletes everything the caller's root owns but the root, and reports how many documents that was. */
    public static class PurgePopulatedGraph extends Walker {
        @OnEntry
        void purge(Root here) { report(resetGraph()); }
    }
}
