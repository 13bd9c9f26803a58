package io.walkerd.walker;

import io.walkerd.graph.Access;
import io.walkerd.graph.Node;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * One run of a walker over the graph. At each node the abilities run in this order: the walker's entries for the
 * node's type, the node's entries for any walker, the node's entries for this walker's type, the node's exits for
 * this walker's type, the node's exits for any walker, the walker's exits for the node's type. The walker's
 * untyped entries run once before the first node, its untyped exits once after the last. Abilities of one class
 * and phase run in declaration order.
 *
 * <p>{@code skip()} leaves the current step only: the node being entered (the walk goes on with the next queued
 * node), or, from an untyped entry or exit, the rest of those untyped abilities (the walk itself goes on).
 * {@code disengage()} ends the walk at once.
 */
final class Walk {
    /** Thrown by {@link Walker#disengage()}: ends the walk. */
    static final class Disengage extends RuntimeException {
        static final Disengage INSTANCE = new Disengage();

        private Disengage() { super("disengage", null, false, false); }
    }

    /** Thrown by {@link Walker#skip()}: leaves the current step. */
    static final class Skip extends RuntimeException {
        static final Skip INSTANCE = new Skip();

        private Skip() { super("skip", null, false, false); }
    }

    private final Walker walker;
    private final WalkerType type;
    private final Call call;
    private final Deque<Node> queue = new ArrayDeque<>();
    private final List<Object> returns = new ArrayList<>();
    private Node here;

    Walk(Walker walker, WalkerType type, Call call) {
        this.walker = walker;
        this.type = type;
        this.call = call;
    }

    void run(Node start) {
        walker.bind(this);
        call.graph.upcoming(() -> queue);
        here = start;
        Abilities abilities = type.abilities();
        try {
            try {
                for (Ability a : abilities.entries()) if (a.untyped()) call(a, walker, null);
            } catch (Skip ignored) {
                // leaves the spawn-time step: the walk goes on at the start node
            }
            queue.add(start);
            while (!queue.isEmpty()) {
                here = queue.poll();
                call.step();
                try {
                    atNode(abilities, here);
                } catch (Skip ignored) {
                    // the walker leaves this node; the walk goes on
                }
            }
            try {
                for (Ability a : abilities.exits()) if (a.untyped()) call(a, walker, null);
            } catch (Skip ignored) {
                // leaves the rest of the exits
            }
        } catch (Disengage ignored) {
            // stop at once
        } finally {
            walker.bind(null);
        }
    }

    private void atNode(Abilities walkerAbilities, Node node) {
        NodeAbilities.Split onNode = call.registry.nodeAbilities.of(node.getClass());
        for (Ability a : walkerAbilities.entries()) if (!a.untyped() && a.matches(node)) call(a, walker, node);
        for (Ability a : onNode.anyEntry()) call(a, node, walker);
        for (Ability a : onNode.typedEntry()) if (a.matches(walker)) call(a, node, walker);
        for (Ability a : onNode.typedExit()) if (a.matches(walker)) call(a, node, walker);
        for (Ability a : onNode.anyExit()) call(a, node, walker);
        for (Ability a : walkerAbilities.exits()) if (!a.untyped() && a.matches(node)) call(a, walker, node);
    }

    private void call(Ability a, Object target, Object argument) {
        call.checkTime();
        returns.add(a.invoke(target, argument));
    }

    void visit(Node node, boolean first) {
        if (node == null) return;
        if (node.isAttached() && !call.graph.accessTo(node.anchor()).atLeast(Access.READ)) return;
        call.checkQueue(queue.size() + 1);
        if (first) queue.addFirst(node); else queue.addLast(node);
    }

    /** Runs {@code other} on {@code node} now, within this call: same graph, same response, same commit, same limits. */
    void spawn(Walker other, Node node) {
        if (other.isRunning()) throw new IllegalStateException("walker " + other.getClass().getSimpleName() + " is running already");
        WalkerType otherType = call.registry.typeOf(other.getClass());
        try {
            new Walk(other, otherType, call).run(node);
        } finally {
            call.graph.upcoming(() -> queue);
        }
    }

    void report(Object value) {
        call.checkTime();
        call.reports.add(value);
    }

    Node here() { return here; }

    Call call() { return call; }

    List<Object> returns() { return returns; }
}
