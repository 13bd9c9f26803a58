package io.walkerd.graph;

import org.bson.Document;
import org.bson.types.ObjectId;

/** An edge's persistence metadata: its endpoints by ref id and whether it is undirected. */
public final class EdgeAnchor extends Anchor {
    private final Edge edge;
    private final String source;
    private final String target;
    private final boolean undirected;

    public EdgeAnchor(Graph graph, ObjectId id, ObjectId root, AccessPolicy access, Edge edge,
                      String source, String target, boolean undirected, Document loaded) {
        super(graph, id, edge.typeName(), root, access, loaded);
        this.edge = edge;
        this.source = source;
        this.target = target;
        this.undirected = undirected;
        edge.attach(this);
    }

    @Override
    public String refId() { return RefId.edge(name(), id()); }

    @Override
    public Edge archetype() { return edge; }

    public String source() { return source; }

    public String target() { return target; }

    public boolean undirected() { return undirected; }

    /** The endpoint opposite {@code nodeRef}. */
    public String other(String nodeRef) { return source.equals(nodeRef) ? target : source; }
}
