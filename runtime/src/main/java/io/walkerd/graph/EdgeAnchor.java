package io.walkerd.graph;

/** An edge's persistence metadata: its endpoints by ref id and whether it is undirected. */
public final class EdgeAnchor extends Anchor {
    private final Edge edge;
    private final String source;
    private final String target;
    private final boolean undirected;
    private String refId;

    public EdgeAnchor(Graph graph, Id id, Id root, AccessPolicy access, Edge edge,
                      String source, String target, boolean undirected, StoredFields loaded, long version) {
        super(graph, id, edge.typeName(), root, access, loaded, version);
        this.edge = edge;
        this.source = source;
        this.target = target;
        this.undirected = undirected;
        edge.attach(this);
    }

    @Override
    public String refId() {
        String r = refId;
        if (r == null) refId = r = RefId.edge(name(), id());
        return r;
    }

    @Override
    public Edge archetype() { return edge; }

    public String source() { return source; }

    public String target() { return target; }

    public boolean undirected() { return undirected; }

    /** The endpoint opposite {@code nodeRef}. */
    public String other(String nodeRef) { return source.equals(nodeRef) ? target : source; }
}
