package io.walkerd.conformance;

import io.walkerd.graph.Node;
import io.walkerd.graph.Root;
import io.walkerd.graph.TypeName;
import io.walkerd.walker.OnEntry;
import io.walkerd.walker.OnExit;
import io.walkerd.walker.Specs;
import io.walkerd.walker.Walker;

/**
 * Shows the order in which abilities run: every ability returns a label, and the response's {@code returns} lists
 * them as they ran.
 */
@Specs(auth = false)
public class VisitSequence extends Walker {

    /** jac-cloud's node type {@code Node}; the Java name is taken by the runtime's base class. */
    @TypeName("Node")
    public static class SequenceNode extends Node {
        public String val;

        public SequenceNode() {}

        public SequenceNode(String val) { this.val = val; }

        @OnEntry
        String entry1() { return val + "-2"; }

        @OnEntry
        String entry3(VisitSequence walker) { return val + "-3"; }

        @OnExit
        String exit1(VisitSequence walker) { return val + "-4"; }

        @OnExit
        String exit2() { return val + "-5"; }
    }

    @OnEntry
    String entry1() { return "walker entry"; }

    @OnEntry
    String entry2(Root here) {
        here.connect(new SequenceNode("a"));
        here.connect(new SequenceNode("b"));
        here.connect(new SequenceNode("c"));
        visit(here.outgoing());
        return "walker enter to root";
    }

    @OnEntry
    String entry3(SequenceNode here) { return here.val + "-1"; }

    @OnExit
    String exit1(SequenceNode here) { return here.val + "-6"; }

    @OnExit
    String exit2() { return "walker exit"; }
}
