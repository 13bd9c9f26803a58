package io.walkerd.graph;

import org.bson.Document;
import org.bson.types.ObjectId;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/** A node's persistence metadata, including the ref ids of every edge that touches it. */
public final class NodeAnchor extends Anchor {
    private final Node node;
    private final List<String> edges;
    private final Set<String> addedEdges = new LinkedHashSet<>();
    private final Set<String> removedEdges = new LinkedHashSet<>();

    public NodeAnchor(Graph graph, ObjectId id, ObjectId root, AccessPolicy access, Node node, List<String> edges, Document loaded) {
        super(graph, id, node instanceof Root ? "" : node.typeName(), root, access, loaded);
        this.node = node;
        this.edges = new ArrayList<>(edges);
        node.attach(this);
    }

    /**
     * A root anchor whose document is read only when its edges or access are first needed: a walker that starts on
     * the caller's root and never looks at its edges costs no read of the root at all.
     */
    public static NodeAnchor deferred(Graph graph, ObjectId id, Root root, Supplier<Document> fetch) {
        NodeAnchor a = new NodeAnchor(graph, id, id, new AccessPolicy(Access.NO_ACCESS), root, List.of(), new Document());
        a.defer(() -> a.fill(fetch.get()));
        return a;
    }

    /** Takes the stored access and edges; edges connected before the read stay, after the stored ones. */
    private void fill(Document doc) {
        if (doc == null) return;
        replaceAccess(AccessPolicy.fromDocument(doc.get("access", Document.class)));
        List<String> connectedMeanwhile = new ArrayList<>(edges);
        edges.clear();
        edges.addAll(doc.getList("edges", String.class, List.of()));
        for (String e : connectedMeanwhile) if (!edges.contains(e)) edges.add(e);
    }

    @Override
    public String refId() { return node instanceof Root ? RefId.root(id()) : RefId.node(name(), id()); }

    @Override
    public Node archetype() { return node; }

    public List<String> edges() {
        ensureLoaded();
        return edges;
    }

    public Set<String> addedEdges() { return addedEdges; }

    public Set<String> removedEdges() { return removedEdges; }

    public void addEdge(String edgeRef) {
        edges.add(edgeRef);
        if (!removedEdges.remove(edgeRef)) addedEdges.add(edgeRef);
    }

    public void removeEdge(String edgeRef) {
        ensureLoaded();
        edges.remove(edgeRef);
        if (!addedEdges.remove(edgeRef)) removedEdges.add(edgeRef);
    }
}
