package io.walkerd.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.ClientSession;
import com.mongodb.client.model.DeleteOneModel;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.WriteModel;
import io.walkerd.auth.Principal;
import io.walkerd.graph.Access;
import io.walkerd.graph.AccessPolicy;
import io.walkerd.graph.Anchor;
import io.walkerd.graph.ArchetypeJson;
import io.walkerd.graph.Edge;
import io.walkerd.graph.EdgeAnchor;
import io.walkerd.graph.Graph;
import io.walkerd.graph.Node;
import io.walkerd.graph.NodeAnchor;
import io.walkerd.graph.RefId;
import io.walkerd.graph.Root;
import io.walkerd.spi.NodeChange;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.ne;

/**
 * One walk's view of the graph: an identity map of the nodes and edges it has loaded (each loaded once, in
 * batches), the caller's access to each, and the changes it made, written by {@link #commit()} as one bulk write
 * per collection (inside a transaction where the server supports one).
 */
public final class GraphSession implements Graph {
    private static final Logger log = LoggerFactory.getLogger(GraphSession.class);

    private final GraphStore store;
    private final Principal caller;
    private final String callerRootRef;
    private final Map<ObjectId, NodeAnchor> nodes = new LinkedHashMap<>();
    private final Map<ObjectId, EdgeAnchor> edges = new LinkedHashMap<>();
    private final Set<ObjectId> absent = new HashSet<>();
    private final Map<ObjectId, AccessPolicy> rootPolicies = new HashMap<>();

    GraphSession(GraphStore store, Principal caller) {
        this.store = store;
        this.caller = caller;
        this.callerRootRef = RefId.root(caller.rootId());
    }

    @Override
    public String callerRootRef() { return callerRootRef; }

    /** The caller's root node. */
    public Root callerRoot() {
        ObjectId id = caller.rootId();
        NodeAnchor a = nodes.get(id);
        if (a == null) {
            a = NodeAnchor.deferred(this, id, new Root(), () -> store.nodes().find(eq("_id", id)).first());
            nodes.put(id, a);
        }
        return (Root) a.archetype();
    }

    /** A node by ref id whatever the caller's access (check it with {@link #accessTo}); null when absent. */
    public NodeAnchor find(String refId) {
        RefId ref = RefId.parse(refId);
        if (ref == null || ref.kind() != 'n') return null;
        NodeAnchor a = loadNode(ref.id());
        if (a == null || a.destroyed()) return null;
        if (!ref.type().equals(a.name())) return null;
        return a;
    }

    // ---- access --------------------------------------------------------------------------------------------

    /**
     * The owner root, the super root and anything on the public root get WRITE. Otherwise the level is the
     * anchor's {@code all}, overridden by a grant for the caller on the owner root, overridden by a grant for the
     * caller on the anchor itself.
     */
    @Override
    public Access accessTo(Anchor anchor) {
        ObjectId me = caller.rootId();
        if (me.equals(anchor.root()) || me.equals(anchor.id()) || me.equals(RefId.SUPER_ROOT)
                || RefId.PUBLIC_ROOT.equals(anchor.root())) {
            return Access.WRITE;
        }
        Access level = anchor.access().all();
        AccessPolicy owner = rootPolicy(anchor.root());
        if (owner != null) {
            if (owner.all().atLeast(level)) level = owner.all();
            Access viaRoot = owner.grantFor(callerRootRef);
            if (viaRoot != null) level = viaRoot;
        }
        Access direct = anchor.access().grantFor(callerRootRef);
        if (direct != null) level = direct;
        return level;
    }

    private AccessPolicy rootPolicy(ObjectId rootId) {
        if (rootId == null) return null;
        NodeAnchor loaded = nodes.get(rootId);
        if (loaded != null) return loaded.access();
        return rootPolicies.computeIfAbsent(rootId, id -> {
            Document d = store.nodes().find(eq("_id", id)).projection(new Document("access", 1)).first();
            return d == null ? null : AccessPolicy.fromDocument(d.get("access", Document.class));
        });
    }

    private boolean can(Anchor anchor, Access needed) { return accessTo(anchor).atLeast(needed); }

    // ---- loading -------------------------------------------------------------------------------------------

    @Override
    public NodeAnchor node(String refId) {
        NodeAnchor a = find(refId);
        return a != null && can(a, Access.READ) ? a : null;
    }

    private NodeAnchor loadNode(ObjectId id) {
        loadNodes(List.of(id));
        return nodes.get(id);
    }

    private void loadNodes(Collection<ObjectId> ids) {
        List<ObjectId> missing = new ArrayList<>();
        for (ObjectId id : ids) if (!nodes.containsKey(id) && !absent.contains(id)) missing.add(id);
        if (missing.isEmpty()) return;
        for (Document d : store.nodes().find(in("_id", missing))) {
            NodeAnchor a = nodeFrom(d);
            if (a != null) nodes.put(a.id(), a);
        }
        for (ObjectId id : missing) if (!nodes.containsKey(id)) absent.add(id);
    }

    @SuppressWarnings("unchecked")
    private NodeAnchor nodeFrom(Document d) {
        String name = d.getString("name");
        Node node;
        if (name == null || name.isEmpty()) {
            node = new Root();
        } else {
            Class<? extends Node> type = store.registry().nodeType(name);
            if (type == null) {
                log.warn("node {} has type {} which this server does not know; ignoring it", d.getObjectId("_id"), name);
                return null;
            }
            node = ArchetypeJson.fromDocument(d.get("archetype", Document.class), type);
        }
        Document archetype = d.get("archetype", Document.class);
        return new NodeAnchor(this, d.getObjectId("_id"), d.getObjectId("root"),
                AccessPolicy.fromDocument(d.get("access", Document.class)), node,
                (List<String>) d.get("edges", List.class) == null ? List.of() : d.getList("edges", String.class),
                archetype == null ? new Document() : archetype);
    }

    @Override
    public List<EdgeAnchor> edgesOf(NodeAnchor node) {
        List<ObjectId> wanted = new ArrayList<>();
        for (String ref : node.edges()) {
            RefId r = RefId.parse(ref);
            if (r != null && !edges.containsKey(r.id()) && !absent.contains(r.id())) wanted.add(r.id());
        }
        if (!wanted.isEmpty()) {
            List<ObjectId> endpoints = new ArrayList<>();
            for (Document d : store.edges().find(in("_id", wanted))) {
                EdgeAnchor e = edgeFrom(d);
                if (e == null) continue;
                edges.put(e.id(), e);
                RefId s = RefId.parse(e.source()), t = RefId.parse(e.target());
                if (s != null) endpoints.add(s.id());
                if (t != null) endpoints.add(t.id());
            }
            for (ObjectId id : wanted) if (!edges.containsKey(id)) absent.add(id);
            loadNodes(endpoints);
        }
        List<EdgeAnchor> out = new ArrayList<>();
        for (String ref : node.edges()) {
            RefId r = RefId.parse(ref);
            EdgeAnchor e = r == null ? null : edges.get(r.id());
            if (e != null && !e.destroyed() && can(e, Access.READ)) out.add(e);
        }
        return out;
    }

    private EdgeAnchor edgeFrom(Document d) {
        Class<? extends Edge> type = store.registry().edgeType(d.getString("name"));
        if (type == null) {
            log.warn("edge {} has type {} which this server does not know; ignoring it", d.getObjectId("_id"), d.getString("name"));
            return null;
        }
        Document archetype = d.get("archetype", Document.class);
        return new EdgeAnchor(this, d.getObjectId("_id"), d.getObjectId("root"),
                AccessPolicy.fromDocument(d.get("access", Document.class)),
                ArchetypeJson.fromDocument(archetype, type), d.getString("source"), d.getString("target"),
                Boolean.TRUE.equals(d.getBoolean("is_undirected")), archetype == null ? new Document() : archetype);
    }

    // ---- changes -------------------------------------------------------------------------------------------

    @Override
    public NodeAnchor adopt(Node node) {
        NodeAnchor a = new NodeAnchor(this, new ObjectId(), caller.rootId(), new AccessPolicy(Access.NO_ACCESS), node, List.of(), null);
        nodes.put(a.id(), a);
        return a;
    }

    @Override
    public EdgeAnchor connect(NodeAnchor source, NodeAnchor target, Edge edge, boolean undirected) {
        if (!can(source, Access.CONNECT) || !can(target, Access.CONNECT)) {
            log.info("root {} may not connect {} to {}; edge not created", callerRootRef, source.refId(), target.refId());
            return null;
        }
        EdgeAnchor e = new EdgeAnchor(this, new ObjectId(), caller.rootId(), new AccessPolicy(Access.NO_ACCESS), edge,
                source.refId(), target.refId(), undirected, null);
        edges.put(e.id(), e);
        source.addEdge(e.refId());
        if (target != source) target.addEdge(e.refId());
        return e;
    }

    @Override
    public void destroy(EdgeAnchor edge) {
        if (edge.destroyed()) return;
        if (!can(edge, Access.WRITE)) {
            log.info("root {} may not delete {}; kept", callerRootRef, edge.refId());
            return;
        }
        edge.markDestroyed();
        for (String end : List.of(edge.source(), edge.target())) {
            NodeAnchor n = find(end);
            if (n != null && n.edges().contains(edge.refId())) n.removeEdge(edge.refId());
        }
    }

    @Override
    public void destroy(NodeAnchor node) {
        if (node.destroyed()) return;
        if (!can(node, Access.WRITE)) {
            log.info("root {} may not delete {}; kept", callerRootRef, node.refId());
            return;
        }
        for (EdgeAnchor e : edgesOfUnfiltered(node)) destroy(e);
        node.markDestroyed();
    }

    private List<EdgeAnchor> edgesOfUnfiltered(NodeAnchor node) {
        edgesOf(node);
        List<EdgeAnchor> out = new ArrayList<>();
        for (String ref : List.copyOf(node.edges())) {
            RefId r = RefId.parse(ref);
            EdgeAnchor e = r == null ? null : edges.get(r.id());
            if (e != null) out.add(e);
        }
        return out;
    }

    @Override
    public long resetOwned() {
        ObjectId root = caller.rootId();
        long deleted = store.nodes().deleteMany(and(eq("root", root), ne("_id", root))).getDeletedCount()
                + store.edges().deleteMany(eq("root", root)).getDeletedCount()
                + store.walkers().deleteMany(eq("root", root)).getDeletedCount();
        store.nodes().updateOne(eq("_id", root), new Document("$set", new Document("edges", List.of())));
        NodeAnchor rootAnchor = nodes.get(root);
        nodes.clear();
        edges.clear();
        absent.clear();
        if (rootAnchor != null) {
            rootAnchor.edges().clear();
            rootAnchor.addedEdges().clear();
            rootAnchor.removedEdges().clear();
            nodes.put(root, rootAnchor);
        }
        return deleted;
    }

    @Override
    public long countOwned() {
        ObjectId root = caller.rootId();
        return store.nodes().countDocuments(eq("root", root))
                + store.edges().countDocuments(eq("root", root))
                + store.walkers().countDocuments(eq("root", root));
    }

    // ---- commit --------------------------------------------------------------------------------------------

    /** Writes every change of the walk: one bulk write for nodes, one for edges; returns the existing nodes it changed. */
    public List<NodeChange> commit() {
        List<WriteModel<Document>> nodeWrites = new ArrayList<>();
        List<WriteModel<Document>> edgeWrites = new ArrayList<>();
        List<NodeChange> changes = new ArrayList<>();
        for (NodeAnchor n : nodes.values()) {
            writes(n, nodeWrites);
            NodeChange c = changeOf(n);
            if (c != null) changes.add(c);
        }
        for (EdgeAnchor e : edges.values()) writes(e, edgeWrites);
        if (nodeWrites.isEmpty() && edgeWrites.isEmpty()) return List.of();
        if (store.transactions()) {
            try (ClientSession session = store.client().startSession()) {
                session.withTransaction(() -> {
                    if (!edgeWrites.isEmpty()) store.edges().bulkWrite(session, edgeWrites);
                    if (!nodeWrites.isEmpty()) store.nodes().bulkWrite(session, nodeWrites);
                    return null;
                });
            }
        } else {
            if (!edgeWrites.isEmpty()) store.edges().bulkWrite(edgeWrites);
            if (!nodeWrites.isEmpty()) store.nodes().bulkWrite(nodeWrites);
        }
        return changes;
    }

    /** What the commit changes of a node that existed before the walk; null when nothing (or when it is new). */
    private NodeChange changeOf(NodeAnchor n) {
        if (n.isNew()) return null;
        if (n.destroyed()) return new NodeChange(n.refId(), true, Set.of(), null);
        boolean writable = can(n, Access.WRITE);
        Set<String> what = new java.util.LinkedHashSet<>();
        if (writable && changed(n)) what.add(NodeChange.FIELDS);
        if (!n.addedEdges().isEmpty() || !n.removedEdges().isEmpty()) what.add(NodeChange.EDGES);
        if (writable && n.accessChanged()) what.add(NodeChange.ACCESS);
        if (what.isEmpty()) return null;
        return new NodeChange(n.refId(), false, what, ArchetypeJson.STORAGE.valueToTree(ArchetypeJson.toDocument(n.archetype())));
    }

    private void writes(Anchor a, List<WriteModel<Document>> out) {
        Bson byId = eq("_id", a.id());
        if (a.isNew()) {
            if (!a.destroyed()) out.add(new InsertOneModel<>(a instanceof NodeAnchor n ? nodeDocument(n) : edgeDocument((EdgeAnchor) a)));
            return;
        }
        if (a.destroyed()) {
            out.add(new DeleteOneModel<>(byId));
            return;
        }
        boolean writable = can(a, Access.WRITE);
        Document set = new Document();
        if (writable && changed(a)) set.append("archetype", ArchetypeJson.toDocument(a.archetype()));
        if (writable && a.accessChanged()) set.append("access", a.access().toDocument());
        if (!set.isEmpty()) out.add(new UpdateOneModel<>(byId, new Document("$set", set)));
        if (!writable && (changed(a) || a.accessChanged())) {
            log.info("root {} has no WRITE access on {}; its changes are not saved", callerRootRef, a.refId());
        }
        if (a instanceof NodeAnchor n) {
            if (!n.addedEdges().isEmpty()) {
                out.add(new UpdateOneModel<>(byId, new Document("$addToSet",
                        new Document("edges", new Document("$each", List.copyOf(n.addedEdges()))))));
            }
            if (!n.removedEdges().isEmpty()) {
                out.add(new UpdateOneModel<>(byId, new Document("$pull",
                        new Document("edges", new Document("$in", List.copyOf(n.removedEdges()))))));
            }
        }
    }

    private static boolean changed(Anchor a) {
        JsonNode before = ArchetypeJson.STORAGE.valueToTree(a.loaded());
        JsonNode after = ArchetypeJson.STORAGE.valueToTree(ArchetypeJson.toDocument(a.archetype()));
        return !before.equals(after);
    }

    private static Document nodeDocument(NodeAnchor n) {
        return new Document("_id", n.id()).append("name", n.name()).append("root", n.root())
                .append("access", n.access().toDocument()).append("edges", List.copyOf(n.edges()))
                .append("archetype", ArchetypeJson.toDocument(n.archetype()));
    }

    private static Document edgeDocument(EdgeAnchor e) {
        return new Document("_id", e.id()).append("name", e.name()).append("root", e.root())
                .append("access", e.access().toDocument()).append("source", e.source()).append("target", e.target())
                .append("is_undirected", e.undirected()).append("archetype", ArchetypeJson.toDocument(e.archetype()));
    }
}
