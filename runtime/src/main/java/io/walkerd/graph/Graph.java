package io.walkerd.graph;

import java.util.List;

/**
 * The graph as one walk sees it: loads nodes and edges on demand, checks the caller's access, and records every
 * change so that it can be written at the end of the walk. Implemented by the store.
 */
public interface Graph {

    /** The caller's root ref id (the public root for an unauthenticated caller). */
    String callerRootRef();

    /** The caller's level on an anchor. */
    Access accessTo(Anchor anchor);

    /** Every edge touching the node that the caller may read, loaded in one round trip where not yet loaded. */
    List<EdgeAnchor> edgesOf(NodeAnchor node);

    /** The node at an edge's endpoint, or null when it is gone or the caller may not read it. */
    NodeAnchor node(String refId);

    /** Gives a node created during the walk an identity owned by the caller's root. */
    NodeAnchor adopt(Node node);

    /** Creates an edge between two nodes (both must allow the caller to connect); the edge becomes persistent. */
    EdgeAnchor connect(NodeAnchor source, NodeAnchor target, Edge edge, boolean undirected);

    /** Deletes an edge and removes it from both endpoints. */
    void destroy(EdgeAnchor edge);

    /** Deletes a node and every edge touching it. */
    void destroy(NodeAnchor node);

    /** Saves a new object, owned by the caller's root, when the walk commits; an object already saved stays as is. */
    ObjectAnchor save(Obj object);

    /** A stored object by ref id, or null when it is absent, deleted, of an unknown type or unreadable to the caller. */
    ObjectAnchor object(String refId);

    /** Deletes an object when the walk commits. */
    void destroy(ObjectAnchor object);

    /**
     * Deletes every node, edge and walker document the caller's root owns except the root itself, when the walk
     * commits (with the rest of its changes, so a walk that fails afterwards loses nothing); returns how many
     * documents that is. From here on the walk sees the caller's root without edges.
     */
    long resetOwned();

    /** How many node, edge and walker documents the caller's root owns, the root included. */
    long countOwned();

    /**
     * Tells the graph which nodes the walk will enter next (its queue), so that when one node's edges are fetched,
     * those of the queued nodes come in the same round trip: a walk costs a round trip per level, not per node.
     */
    void upcoming(java.util.function.Supplier<? extends Iterable<Node>> queue);
}
