package io.walkerd.conformance;

import io.walkerd.graph.Node;
import io.walkerd.graph.Root;
import io.walkerd.walker.OnEntry;
import io.walkerd.walker.Walker;

/** The chain root → A → B → C and the walkers that build, walk, cut and change it. */
public final class SimpleGraph {
    private SimpleGraph() {}

    public static class A extends Node {
        public int val;

        public A() {}

        public A(int val) { this.val = val; }
    }

    public static class B extends Node {
        /** An int or a string. */
        public Object val;

        public B() {}

        public B(Object val) { this.val = val; }
    }

    public static class C extends Node {
        /** Any JSON value. */
        public Object val;

        public C() {}

        public C(Object val) { this.val = val; }
    }

    /** Makes root → A(0) → B(1) → C(2) and reports root, A, B, C. */
    public static class CreateGraph extends Walker {
        @OnEntry
        void enterRoot(Root root) {
            A a = root.connect(new A(0));
            B b = a.connect(new B(1));
            C c = b.connect(new C(2));
            report(root);
            report(a);
            report(b);
            report(c);
        }
    }

    /** Reports each node of the chain from where it is spawned; C ends the walk. */
    public static class TraverseGraph extends Walker {
        @OnEntry({Root.class, A.class, B.class})
        void enter(Node here) {
            report(here);
            visit(here.outgoing());
        }

        @OnEntry
        void enterC(C here) { report(here); }
    }

    /** Walks root → A → B and returns whether B was disconnected from anything. */
    public static class DetachNode extends Walker {
        @OnEntry({Root.class, A.class})
        void enter(Node here) { visit(here.outgoing()); }

        @OnEntry
        boolean enterB(B here) { return here.disconnectAll(); }
    }

    /** Sets A's val to 1 and B's to 2, reporting root, A and B. */
    public static class UpdateGraph extends Walker {
        @OnEntry
        void enter(Root here) {
            report(here);
            visit(here.outgoing());
        }

        @OnEntry
        void enterA(A here) {
            here.val = 1;
            report(here);
            visit(here.outgoing());
        }

        @OnEntry
        void enterB(B here) {
            here.val = 2;
            report(here);
            visit(here.outgoing());
        }
    }
}
