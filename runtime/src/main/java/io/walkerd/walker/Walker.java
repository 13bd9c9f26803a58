package io.walkerd.walker;

import io.walkerd.graph.Archetype;
import io.walkerd.graph.ArchetypeJson;
import io.walkerd.graph.Id;
import io.walkerd.graph.Node;
import io.walkerd.graph.RefId;
import io.walkerd.graph.Root;

import java.util.Collection;

/**
 * Base of every walker. Public fields are its input; abilities are methods annotated {@link OnEntry} /
 * {@link OnExit}. From an ability a walker may {@link #visit} nodes, {@link #report} values, {@link #skip} the
 * current node or {@link #disengage} altogether.
 */
public abstract class Walker extends Archetype implements ArchetypeJson.Identified {
    private final transient Id id = Id.random();
    private transient Walk walk;

    void bind(Walk walk) { this.walk = walk; }

    private Walk walk() {
        if (walk == null) throw new IllegalStateException("walker is not running");
        return walk;
    }

    @Override
    public String refId() { return RefId.walker(typeName(), id); }

    /** Queues a node to be entered after those already queued. */
    protected final void visit(Node node) { walk().visit(node, false); }

    /** Queues nodes, in order, after those already queued. */
    protected final void visit(Collection<? extends Node> nodes) { for (Node n : nodes) walk().visit(n, false); }

    /** Queues a node to be entered next, before those already queued. */
    protected final void visitFirst(Node node) { walk().visit(node, true); }

    /** Adds a value to the response's {@code reports}. */
    protected final void report(Object value) { walk().report(value); }

    /** Stops the walk at once: nothing more runs, the graph changes made so far are kept. */
    protected final void disengage() { throw Walk.Disengage.INSTANCE; }

    /** Leaves the current node at once; the walk goes on with the next queued node. */
    protected final void skip() { throw Walk.Skip.INSTANCE; }

    /** The node the walker is on. */
    protected final Node here() { return walk().here(); }

    /** The caller's root. */
    protected final Root root() { return walk().root(); }

    /** Sets the response status (2xx but 204, 4xx or 5xx). */
    protected final void status(int status) { walk().status(status); }

    /** Replaces the whole response body with {@code body}. */
    protected final void body(Object body) { walk().body(body); }

    /**
     * Deletes everything the caller's root owns except the root, when the walk commits (a walker that fails
     * afterwards deletes nothing); returns how many documents that is.
     */
    protected final long resetGraph() { return walk().graph().resetOwned(); }

    /** How many node, edge and walker documents the caller's root owns, the root included. */
    protected final long countOwnedDocuments() { return walk().graph().countOwned(); }

    /** The call this walker runs for, and the services plugins provide. */
    public final WalkContext context() { return walk().context(); }
}
