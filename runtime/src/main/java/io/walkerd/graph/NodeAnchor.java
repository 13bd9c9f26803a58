package io.walkerd.graph;

import org.bson.Document;
import org.bson.types.ObjectId;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

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

    @Override
    public String refId() { return node instanceof Root ? RefId.root(id()) : RefId.node(name(), id()); }

    @Override
    public Node archetype() { return node; }

    public List<String> edges() { return edges; }

    public Set<String> addedEdges() { return addedEdges; }

    public Set<String> removedEdges() { return removedEdges; }

    public void addEdge(String edgeRef) {
        edges.add(edgeRef);
        if (!removedEdges.remove(edgeRef)) addedEdges.add(edgeRef);
    }

    public void removeEdge(String edgeRef) {
        edges.remove(edgeRef);
        if (!addedEdges.remove(edgeRef)) removedEdges.add(edgeRef);
    }
}
