package io.walkerd.walker;

import io.walkerd.graph.AccessPolicy;
import io.walkerd.graph.Access;
import io.walkerd.graph.Archetype;
import io.walkerd.graph.ArchetypeJson;
import io.walkerd.graph.Id;
import io.walkerd.graph.Node;
import io.walkerd.graph.NodeAnchor;
import io.walkerd.graph.Obj;
import io.walkerd.graph.ObjectAnchor;
import io.walkerd.graph.RefId;
import io.walkerd.graph.Root;
import io.walkerd.store.ScheduleState;
import io.walkerd.store.WalkerRecord;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * Base of every walker. Public fields are its input; abilities are methods annotated {@link OnEntry} /
 * {@link OnExit}. From an ability a walker may {@link #visit} nodes, {@link #report} values, {@link #skip} the
 * current node or {@link #disengage} altogether, {@link #spawn} another walker, {@link #createTask} for later, and
 * {@link #save} / {@link #load} savable objects.
 */
public abstract class Walker extends Archetype implements ArchetypeJson.Identified {
    /** Time-ordered: a walker's document (task, async call, saved run) sorts after older ones. */
    private transient Id id = Id.timeOrdered();
    private transient Walk walk;

    void bind(Walk walk) { this.walk = walk; }

    boolean isRunning() { return walk != null; }

    /** This walker's id: the id of its document when it runs as a task, an async call or a saved scheduled run. */
    Id documentId() { return id; }

    /** Gives this walker the id of an existing document (a task being run); returns it. */
    Walker withDocumentId(Id documentId) {
        this.id = documentId;
        return this;
    }

    private Walk walk() {
        if (walk == null) throw new IllegalStateException("walker is not running");
        return walk;
    }

    /** {@code w:<walker name>:<hex>}. */
    @Override
    public String refId() { return RefId.walker(WalkerType.nameOf(getClass()), id); }

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

    /**
     * Leaves the current step at once: the node being entered (the walk goes on with the next queued node), or, from
     * an ability without a node type, the rest of those abilities (the walk goes on).
     */
    protected final void skip() { throw Walk.Skip.INSTANCE; }

    /** The node the walker is on. */
    protected final Node here() { return walk().here(); }

    /** The caller's root. */
    protected final Root root() { return walk().call().root; }

    /** Sets the response status (2xx but 204, 4xx or 5xx). */
    protected final void status(int status) { walk().call().status = status; }

    /** Replaces the whole response body with {@code body}. */
    protected final void body(Object body) {
        Call call = walk().call();
        call.body = body;
        call.bodySet = true;
    }

    /**
     * Deletes everything the caller's root owns except the root, when the walk commits (a walker that fails
     * afterwards deletes nothing); returns how many documents that is.
     */
    protected final long resetGraph() { return walk().call().graph.resetOwned(); }

    /** How many node, edge, object and walker documents the caller's root owns, the root included. */
    protected final long countOwnedDocuments() { return walk().call().graph.countOwned(); }

    /**
     * Runs {@code other} (any walker, private ones included) on the current node now, within this call: it sees and
     * changes the same graph, its reports join this response, its node entries count towards this call's limits,
     * and its changes are committed with this walker's, or not at all when either fails. Returns {@code other}, so
     * that its fields can be read afterwards.
     */
    protected final <W extends Walker> W spawn(W other) { return spawn(other, here()); }

    /** Like {@link #spawn(Walker)}, on {@code node}. */
    protected final <W extends Walker> W spawn(W other, Node node) {
        walk().spawn(other, node);
        return other;
    }

    /**
     * Creates a task: {@code task} will run on {@code node} as the caller, in the background, once this walk has
     * committed (a walker that fails creates none). Returns its id, {@code w:<walker name>:<hex>}; its document
     * keeps the outcome ({@code schedule}: status, http_status, reports, error).
     */
    protected final String createTask(Walker task, Node node) { return createTask(task, node, null); }

    /** Like {@link #createTask(Walker, Node)}, not before {@code notBefore} (null: at once). */
    protected final String createTask(Walker task, Node node, Instant notBefore) {
        Call call = walk().call();
        WalkerType type = call.registry.typeOf(task.getClass());
        NodeAnchor on = node.anchor();
        String caller = call.graph.callerRootRef();
        WalkerRecord document = new WalkerRecord(task.documentId(), type.name(), RefId.parse(caller).id(),
                new AccessPolicy(Access.NO_ACCESS).toJson(), call.json.toJson(task),
                ScheduleState.pending(on.refId(), caller, notBefore));
        call.graph.saveWalkerDocument(document);
        call.tasksCreated();
        return RefId.walker(type.name(), task.documentId());
    }

    /** Saves a savable object (owned by the caller's root) when the walk commits; returns it, now with an id. */
    protected final <T extends Obj> T save(T object) {
        walk().call().graph.save(object);
        return object;
    }

    /**
     * The node ({@code n:...}) or savable object ({@code o:...}) with this ref id, if it exists, is of {@code type}
     * and the caller may read it; else null. Changes to it are saved at the end of the walk when the caller may
     * write it.
     */
    protected final <T extends Archetype> T load(String refId, Class<T> type) {
        Call call = walk().call();
        RefId ref = RefId.parse(refId);
        if (ref == null) return null;
        Archetype found = null;
        if (ref.kind() == 'n') {
            NodeAnchor n = call.graph.node(refId);
            found = n == null ? null : n.archetype();
        } else if (ref.kind() == 'o') {
            ObjectAnchor o = call.graph.object(refId);
            found = o == null ? null : o.archetype();
        }
        return type.isInstance(found) ? type.cast(found) : null;
    }

    /**
     * Up to {@code limit} nodes of {@code type} that the caller's root owns (every owner's, for a walker running as
     * the super root, as scheduled walkers do), without walking to them.
     */
    protected final <N extends Node> List<N> findNodes(Class<N> type, int limit) {
        return walk().call().graph.nodesOfType(type, limit);
    }

    /** The call this walker runs for, and the services plugins provide. */
    public final WalkContext context() { return walk().call().context; }
}
