package io.walkerd.graph;

/** A directed (or undirected) edge between two nodes. Subclasses add public fields. */
public abstract class Edge extends Archetype {
    private transient EdgeAnchor anchor;

    void attach(EdgeAnchor anchor) {
        if (this.anchor != null && this.anchor != anchor) throw new IllegalStateException("edge already attached");
        this.anchor = anchor;
    }

    public EdgeAnchor anchor() {
        if (anchor == null) throw new IllegalStateException("edge is not connected yet");
        return anchor;
    }

    /** The anchor when attached, else null: never adopts. */
    EdgeAnchor anchorIfAttached() { return anchor; }

    public boolean isAttached() { return anchor != null; }

    public String id() { return anchor().refId(); }

    public Node source() { return endpoint(anchor().source()); }

    public Node target() { return endpoint(anchor().target()); }

    /** Deletes this edge (needs WRITE on it). */
    public void destroy() { anchor().graph().destroy(anchor()); }

    private Node endpoint(String ref) {
        NodeAnchor n = anchor().graph().node(ref);
        return n == null ? null : n.archetype();
    }
}
