package io.walkerd.walker;

import io.walkerd.graph.Access;
import io.walkerd.graph.Graph;
import io.walkerd.graph.Node;
import io.walkerd.graph.Root;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * One run of a walker over the graph. At each node the abilities run in this order: the walker's entries for the
 * node's type, the node's entries for any walker, the node's entries for this walker's type, the node's exits for
 * this walker's type, the node's exits for any walker, the walker's exits for the node's type. The walker's
 * untyped entries run once before the first node, its untyped exits once after the last.
 */
final class Walk {
    /** Thrown by {@link Walker#disengage()}: ends the walk. */
    static final class Disengage extends RuntimeException {
        static final Disengage INSTANCE = new Disengage();

        private Disengage() { super("disengage", null, false, false); }
    }

    /** Thrown by {@link Walker#skip()}: leaves the current node. */
    static final class Skip extends RuntimeException {
        static final Skip INSTANCE = new Skip();

        private Skip() { super("skip", null, false, false); }
    }

    private final Walker walker;
    private final WalkerType type;
    private final Graph graph;
    private final WalkContext context;
    private final Root root;
    private final NodeAbilities nodeAbilities;
    private final Deque<Node> queue = new ArrayDeque<>();
    private final List<Object> reports = new ArrayList<>();
    private final List<Object> returns = new ArrayList<>();
    private Node here;
    private Integer status;
    private Object body;
    private boolean bodySet;

    Walk(Walker walker, WalkerType type, Graph graph, WalkContext context, Root root, NodeAbilities nodeAbilities) {
        this.walker = walker;
        this.type = type;
        this.graph = graph;
        this.context = context;
        this.root = root;
        this.nodeAbilities = nodeAbilities;
        walker.bind(this);
        graph.upcoming(() -> queue);
    }

    void run(Node start) {
        here = start;
        Abilities abilities = type.abilities();
        try {
            for (Ability a : abilities.entries()) if (a.untyped()) call(a, walker, null);
            queue.add(start);
            while (!queue.isEmpty()) {
                here = queue.poll();
                try {
                    atNode(abilities, here);
                } catch (Skip ignored) {
                    // the walker leaves this node; the walk goes on
                }
            }
            for (Ability a : abilities.exits()) if (a.untyped()) call(a, walker, null);
        } catch (Disengage ignored) {
            // stop at once
        } catch (Skip ignored) {
            // skip outside a node ends the walk's current step only
        } finally {
            walker.bind(null);
        }
    }

    private void atNode(Abilities walkerAbilities, Node node) {
        NodeAbilities.Split onNode = nodeAbilities.of(node.getClass());
        for (Ability a : walkerAbilities.entries()) if (!a.untyped() && a.matches(node)) call(a, walker, node);
        for (Ability a : onNode.anyEntry()) call(a, node, walker);
        for (Ability a : onNode.typedEntry()) if (a.matches(walker)) call(a, node, walker);
        for (Ability a : onNode.typedExit()) if (a.matches(walker)) call(a, node, walker);
        for (Ability a : onNode.anyExit()) call(a, node, walker);
        for (Ability a : walkerAbilities.exits()) if (!a.untyped() && a.matches(node)) call(a, walker, node);
    }

    private void call(Ability a, Object target, Object argument) {
        returns.add(a.invoke(target, argument));
    }

    void visit(Node node, boolean first) {
        if (node == null) return;
        if (node.isAttached() && !graph.accessTo(node.anchor()).atLeast(Access.READ)) return;
        if (first) queue.addFirst(node); else queue.addLast(node);
    }

    void report(Object value) { reports.add(value); }

    Node here() { return here; }

    Root root() { return root; }

    Graph graph() { return graph; }

    WalkContext context() { return context; }

    void status(int status) { this.status = status; }

    void body(Object body) {
        this.body = body;
        this.bodySet = true;
    }

    List<Object> reports() { return reports; }

    List<Object> returns() { return returns; }

    Integer status() { return status; }

    boolean bodySet() { return bodySet; }

    Object body() { return body; }
}
