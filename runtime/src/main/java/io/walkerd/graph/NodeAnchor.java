package io.walkerd.graph;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/** A node's persistence metadata, including the ref ids of every edge that touches it. */
public final class NodeAnchor extends Anchor {
    private final Node node;
    private final List<String> edges;
    private final Set<String> addedEdges = new LinkedHashSet<>();
    private final Set<String> removedEdges = new LinkedHashSet<>();
    /** True once this node's edges (and the nodes at their other ends) were fetched. */
    private boolean edgesFetched;
    private String refId;

    public NodeAnchor(Graph graph, Id id, Id root, AccessPolicy access, Node node, List<String> edges, StoredFields loaded, long version) {
        super(graph, id, node instanceof Root ? "" : node.typeName(), root, access, loaded, version);
        this.node = node;
        this.edges = new ArrayList<>(edges);
        node.attach(this);
    }

    /**
     * A root anchor whose document is read only when its edges or access are first needed: a walker that starts on
     * the caller's root and never looks at its edges costs no read of the root at all. {@code fetch} calls back
     * with the stored state (or not at all when the root is not stored).
     */
    public static NodeAnchor deferred(Graph graph, Id id, Root root, Consumer<NodeAnchor> fetch) {
        NodeAnchor a = new NodeAnchor(graph, id, id, new AccessPolicy(Access.NO_ACCESS), root, List.of(),
                StoredFields.of(null), 0);
        a.defer(() -> fetch.accept(a));
        return a;
    }

    /** Takes the stored access, version and edges; edges connected before the read stay, after the stored ones. */
    public void fill(AccessPolicy access, long version, List<String> storedEdges) {
        replaceStored(access, version);
        List<String> connectedMeanwhile = new ArrayList<>(edges);
        edges.clear();
        edges.addAll(storedEdges);
        for (String e : connectedMeanwhile) if (!edges.contains(e)) edges.add(e);
    }

    @Override
    public String refId() {
        String r = refId;
        if (r == null) refId = r = node instanceof Root ? RefId.root(id()) : RefId.node(name(), id());
        return r;
    }

    @Override
    public Node archetype() { return node; }

    public List<String> edges() {
        ensureLoaded();
        return edges;
    }

    public Set<String> addedEdges() { return addedEdges; }

    public Set<String> removedEdges() { return removedEdges; }

    public boolean edgesFetched() { return edgesFetched; }

    public void markEdgesFetched() { edgesFetched = true; }

    public void addEdge(String edgeRef) {
        edges.add(edgeRef);
        if (!removedEdges.remove(edgeRef)) addedEdges.add(edgeRef);
    }

    public void removeEdge(String edgeRef) {
        ensureLoaded();
        edges.remove(edgeRef);
        if (!addedEdges.remove(edgeRef)) removedEdges.add(edgeRef);
    }

    /** Forgets every edge (a reset): the stored list is emptied at commit. */
    public void clearEdges() {
        ensureLoaded();
        edges.clear();
        addedEdges.clear();
        removedEdges.clear();
    }
}
