package io.walkerd.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A node of the persistent graph. Subclasses add public fields (their data) and may declare abilities: methods
 * annotated {@code @OnEntry} / {@code @OnExit} taking the walker type they react to.
 */
public abstract class Node extends Archetype {
    private transient NodeAnchor anchor;
    /** The id this node will be stored under, given before it joins a graph (when a response shows it first). */
    private transient Id pendingId;

    void attach(NodeAnchor anchor) {
        if (this.anchor != null && this.anchor != anchor) throw new IllegalStateException("node already attached");
        this.anchor = anchor;
    }

    /** This node's anchor, adopting the node into the running walk's graph if it was created during the walk. */
    public NodeAnchor anchor() {
        if (anchor == null) WalkScope.graph().adopt(this);
        return anchor;
    }

    /** True once the node has an identity (it was loaded, or connected or adopted during this walk). */
    /** The anchor when attached, else null: never adopts. */
    NodeAnchor anchorIfAttached() { return anchor; }

    public boolean isAttached() { return anchor != null; }

    /** The id a node not yet in the graph will have if it joins it; showing it changes nothing stored. */
    public Id pendingId() {
        if (pendingId == null) pendingId = Id.fresh();
        return pendingId;
    }

    /** The ref id, without adopting a node that is not in the graph (serialising must never change what is stored). */
    public String refIdWithoutAdopting() {
        return anchor != null ? anchor.refId() : RefId.node(typeName(), pendingId());
    }

    /** The caller's access level on this node, decided from the access as loaded. */
    public Access access() {
        NodeAnchor a = anchor();
        return a.graph().accessTo(a);
    }

    /** The ref id, e.g. {@code n:Person:6721...}. */
    public String id() { return anchor().refId(); }

    // ---- edges -------------------------------------------------------------------------------------------------

    /** Connects this node to {@code target} with a plain edge; returns the target, so calls can be chained. */
    public <N extends Node> N connect(N target) { return connect(target, new GenericEdge()); }

    /** Connects this node to {@code target} with the given (typed) edge; returns the target. */
    public <N extends Node> N connect(N target, Edge edge) {
        NodeAnchor a = anchor();
        a.graph().connect(a, target.anchor(), edge, false);
        return target;
    }

    /** Connects both ways with one undirected edge; returns the target. */
    public <N extends Node> N connectUndirected(N target, Edge edge) {
        NodeAnchor a = anchor();
        a.graph().connect(a, target.anchor(), edge, true);
        return target;
    }

    /** Nodes this node points to (undirected edges count both ways), in edge creation order. */
    public List<Node> outgoing() { return outgoing(Edge.class, Node.class); }

    public <N extends Node> List<N> outgoing(Class<N> nodeType) { return outgoing(Edge.class, nodeType); }

    public <N extends Node> List<N> outgoing(Class<? extends Edge> edgeType, Class<N> nodeType) {
        return neighbours(true, edgeType, nodeType, e -> true);
    }

    /** Nodes pointing to this node. */
    public List<Node> incoming() { return incoming(Edge.class, Node.class); }

    public <N extends Node> List<N> incoming(Class<? extends Edge> edgeType, Class<N> nodeType) {
        return neighbours(false, edgeType, nodeType, e -> true);
    }

    /** Nodes this node points to over edges of {@code edgeType} that pass {@code filter}. */
    public <E extends Edge, N extends Node> List<N> outgoing(Class<E> edgeType, Class<N> nodeType, Predicate<? super E> filter) {
        return neighbours(true, edgeType, nodeType, filter);
    }

    /** Outgoing edges of a type. */
    public <E extends Edge> List<E> outgoingEdges(Class<E> edgeType) {
        List<E> out = new ArrayList<>();
        for (EdgeAnchor e : edgeAnchors(true)) if (edgeType.isInstance(e.archetype())) out.add(edgeType.cast(e.archetype()));
        return out;
    }

    /** Every edge touching this node that the caller may read. */
    public List<Edge> edges() {
        NodeAnchor a = anchor();
        List<Edge> out = new ArrayList<>();
        for (EdgeAnchor e : a.graph().edgesOf(a)) out.add(e.archetype());
        return out;
    }

    /** Removes every edge from this node to {@code target}; true when one was removed. */
    public boolean disconnect(Node target) { return disconnect(Edge.class, n -> n == target); }

    /** Removes every outgoing edge of a type; true when one was removed. */
    public boolean disconnect(Class<? extends Edge> edgeType) { return disconnect(edgeType, n -> true); }

    /** Removes every outgoing edge of a type whose target passes {@code to}; true when one was removed. */
    public boolean disconnect(Class<? extends Edge> edgeType, Predicate<Node> to) {
        NodeAnchor a = anchor();
        boolean removed = false;
        for (EdgeAnchor e : edgeAnchors(true)) {
            if (!edgeType.isInstance(e.archetype())) continue;
            NodeAnchor other = a.graph().node(e.other(a.refId()));
            if (other != null && to.test(other.archetype())) {
                a.graph().destroy(e);
                removed = true;
            }
        }
        return removed;
    }

    /** Removes every edge this node points to; true when one was removed. */
    public boolean disconnectAll() { return disconnect(Edge.class); }

    /** Deletes this node and every edge touching it (needs WRITE). */
    public void destroy() {
        NodeAnchor a = anchor();
        a.graph().destroy(a);
    }

    // ---- access ------------------------------------------------------------------------------------------------

    /** Grants {@code level} on this node to the root {@code rootRefId} ({@code n::<hex>} or bare hex). */
    public void allowRoot(String rootRefId, Access level) { anchor().allowRoot(rootRefId, level); }

    /** Removes the grant of {@code rootRefId} on this node. */
    public void disallowRoot(String rootRefId) { anchor().disallowRoot(rootRefId); }

    /** Sets the level every other root has on this node. */
    public void allowAll(Access level) { anchor().allowAll(level); }

    public void disallowAll() { allowAll(Access.NO_ACCESS); }

    // ---- internals ---------------------------------------------------------------------------------------------

    private List<EdgeAnchor> edgeAnchors(boolean outgoing) {
        NodeAnchor a = anchor();
        String me = a.refId();
        List<EdgeAnchor> out = new ArrayList<>();
        for (EdgeAnchor e : a.graph().edgesOf(a)) {
            boolean mine = outgoing ? e.source().equals(me) : e.target().equals(me);
            if (mine || e.undirected()) out.add(e);
        }
        return out;
    }

    private <E extends Edge, N extends Node> List<N> neighbours(boolean outgoing, Class<E> edgeType, Class<N> nodeType, Predicate<? super E> filter) {
        NodeAnchor a = anchor();
        List<N> out = new ArrayList<>();
        for (EdgeAnchor e : edgeAnchors(outgoing)) {
            if (!edgeType.isInstance(e.archetype()) || !filter.test(edgeType.cast(e.archetype()))) continue;
            NodeAnchor other = a.graph().node(e.other(a.refId()));
            if (other != null && nodeType.isInstance(other.archetype())) out.add(nodeType.cast(other.archetype()));
        }
        return out;
    }
}
