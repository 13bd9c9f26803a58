package io.walkerd.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.walkerd.auth.Principal;
import io.walkerd.graph.Access;
import io.walkerd.graph.AccessPolicy;
import io.walkerd.graph.Anchor;
import io.walkerd.graph.ArchetypeJson;
import io.walkerd.graph.Edge;
import io.walkerd.graph.EdgeAnchor;
import io.walkerd.graph.Graph;
import io.walkerd.graph.Id;
import io.walkerd.graph.Node;
import io.walkerd.graph.NodeAnchor;
import io.walkerd.graph.Obj;
import io.walkerd.graph.ObjectAnchor;
import io.walkerd.graph.RefId;
import io.walkerd.graph.Root;
import io.walkerd.graph.StoredFields;
import io.walkerd.spi.NodeChange;
import io.walkerd.walker.WalkerFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One walk's view of the graph: an identity map of the nodes and edges it has loaded (each loaded once, in
 * batches: a level of the walk at a time), the caller's access to each (decided from the access as loaded), and
 * the changes it made, written by {@link #commit()} as one atomic, versioned change set.
 */
public final class GraphSession implements Graph {
    private static final Logger log = LoggerFactory.getLogger(GraphSession.class);

    private final GraphStore graphStore;
    private final Store store;
    private final Principal caller;
    private final String callerRootRef;
    private final Map<Id, NodeAnchor> nodes = new LinkedHashMap<>();
    private final Map<Id, EdgeAnchor> edges = new LinkedHashMap<>();
    private final Map<Id, ObjectAnchor> objects = new LinkedHashMap<>();
    /** Walker documents to write with the commit (tasks created by the walk, the outcome of a task). */
    private final Map<Id, WalkerRecord> walkerDocuments = new LinkedHashMap<>();
    private final ArchetypeJson json;
    private final Set<Id> absent = new HashSet<>();
    /** Nodes at the far ends of fetched edges, not read yet: read together when the first of them is needed. */
    private final Set<Id> pendingEndpoints = new LinkedHashSet<>();
    private final Map<Id, AccessPolicy> rootPolicies = new HashMap<>();
    /** Stored access trees as read, by identity, and the policies they read as (see {@link #policy}). */
    private final Map<ObjectNode, AccessPolicy> policies = new IdentityHashMap<>();
    private Supplier<? extends Iterable<Node>> upcoming = List::of;
    private boolean reset;
    /** False once code other than the walk ran before the commit: then archetypes are compared again. */
    private boolean findingsHold = true;

    GraphSession(GraphStore graphStore, Principal caller) {
        this.graphStore = graphStore;
        this.store = graphStore.store();
        this.json = graphStore.json();
        this.caller = caller;
        this.callerRootRef = RefId.root(caller.rootId());
    }

    @Override
    public String callerRootRef() { return callerRootRef; }

    /** The caller's root node. */
    public Root callerRoot() {
        Id id = caller.rootId();
        NodeAnchor a = nodes.get(id);
        if (a == null) {
            a = NodeAnchor.deferred(this, id, new Root(), anchor -> {
                for (NodeRecord r : store.nodes(List.of(id))) {
                    anchor.fill(policy(r.access()), r.version(), r.edges());
                }
            });
            nodes.put(id, a);
        }
        return (Root) a.archetype();
    }

    /** A node by ref id whatever the caller's access (check it with {@link #accessTo}); null when absent. */
    public NodeAnchor find(String refId) {
        RefId ref = RefId.parse(refId);
        if (ref == null || ref.kind() != 'n') return null;
        if (ref.id().equals(caller.rootId())) callerRoot();
        NodeAnchor a = loadNode(ref.id());
        if (a == null || a.destroyed()) return null;
        if (!ref.type().equals(a.name())) return null;
        return a;
    }

    @Override
    public void upcoming(Supplier<? extends Iterable<Node>> queue) { this.upcoming = queue; }

    // ---- access --------------------------------------------------------------------------------------------

    /**
     * The owner root, the super root and anything on the public root get WRITE. Otherwise the level is the
     * anchor's {@code all}, overridden by a grant for the caller on the owner root, overridden by a grant for the
     * caller on the anchor itself. Always from the policies as they were loaded: what a walk changes in a policy
     * takes effect for later calls, never for the walk that made the change.
     */
    @Override
    public Access accessTo(Anchor anchor) {
        Id me = caller.rootId();
        if (me.equals(anchor.root()) || me.equals(anchor.id()) || me.equals(RefId.SUPER_ROOT)
                || RefId.PUBLIC_ROOT.equals(anchor.root())) {
            return Access.WRITE;
        }
        AccessPolicy own = anchor.loadedAccess();
        if (own == null) own = anchor.access();
        Access level = own.all();
        AccessPolicy owner = rootPolicy(anchor.root());
        if (owner != null) {
            if (owner.all().atLeast(level)) level = owner.all();
            Access viaRoot = owner.grantFor(callerRootRef);
            if (viaRoot != null) level = viaRoot;
        }
        Access direct = own.grantFor(callerRootRef);
        if (direct != null) level = direct;
        return level;
    }

    private AccessPolicy rootPolicy(Id rootId) {
        if (rootId == null) return null;
        NodeAnchor loaded = nodes.get(rootId);
        if (loaded != null) return loaded.loadedAccess() != null ? loaded.loadedAccess() : loaded.access();
        return rootPolicies.computeIfAbsent(rootId, id -> {
            List<NodeRecord> found = store.nodes(List.of(id));
            return found.isEmpty() ? null : policy(found.get(0).access());
        });
    }

    private boolean can(Anchor anchor, Access needed) { return accessTo(anchor).atLeast(needed); }

    /**
     * The policy a stored document's access reads as, read once per distinct tree: the store hands out one tree for
     * documents that store the same policy (most store the default), and anchors never change a loaded policy (they
     * copy it first), so one parsed policy serves them all.
     */
    private AccessPolicy policy(ObjectNode access) {
        AccessPolicy p = policies.get(access);
        if (p == null) policies.put(access, p = AccessPolicy.fromJson(access));
        return p;
    }

    // ---- loading -------------------------------------------------------------------------------------------

    @Override
    public NodeAnchor node(String refId) {
        NodeAnchor a = find(refId);
        return a != null && can(a, Access.READ) ? a : null;
    }

    private NodeAnchor loadNode(Id id) {
        NodeAnchor known = nodes.get(id);
        if (known != null) return known;
        if (pendingEndpoints.remove(id)) {
            List<Id> batch = new ArrayList<>(pendingEndpoints.size() + 1);
            batch.add(id);
            batch.addAll(pendingEndpoints);
            pendingEndpoints.clear();
            loadNodes(batch);
        } else {
            loadNodes(List.of(id));
        }
        return nodes.get(id);
    }

    private void loadNodes(Collection<Id> ids) {
        List<Id> missing = new ArrayList<>();
        for (Id id : ids) if (!nodes.containsKey(id) && !absent.contains(id)) missing.add(id);
        if (missing.isEmpty()) return;
        for (NodeRecord r : store.nodes(missing)) {
            NodeAnchor a = nodeFrom(r);
            if (a != null) nodes.put(a.id(), a);
        }
        for (Id id : missing) if (!nodes.containsKey(id)) absent.add(id);
    }

    private NodeAnchor nodeFrom(NodeRecord r) {
        Node node;
        Object[] snapshot = null;
        if (r.isRoot()) {
            node = new Root();
        } else {
            Class<? extends Node> type = graphStore.registry().nodeType(r.name());
            if (type == null) {
                log.warn("node {} has type {} which this server does not know; ignoring it", r.id(), r.name());
                return null;
            }
            ArchetypeJson.Loaded<? extends Node> loaded = json.load(r.fields(), type);
            node = loaded.archetype();
            snapshot = loaded.snapshot();
        }
        NodeAnchor a = new NodeAnchor(this, r.id(), r.root(), policy(r.access()), node, r.edges(), r.fields(), r.version());
        a.keepSnapshot(snapshot);
        return a;
    }

    /**
     * Every edge touching the node that the caller may read. Where the node's edges were not fetched yet, they are
     * fetched together with those of every queued node; the nodes at their other ends are read together too, when
     * the first of them is needed (a walker that only reads edges never reads them): two round trips for a whole
     * level of the walk.
     */
    @Override
    public List<EdgeAnchor> edgesOf(NodeAnchor node) {
        if (!node.edgesFetched()) fetchEdges(node);
        List<EdgeAnchor> out = new ArrayList<>();
        for (String ref : node.edges()) {
            RefId r = RefId.parse(ref);
            EdgeAnchor e = r == null ? null : edges.get(r.id());
            if (e != null && !e.destroyed() && can(e, Access.READ)) out.add(e);
        }
        return out;
    }

    private void fetchEdges(NodeAnchor first) {
        Set<NodeAnchor> batch = new LinkedHashSet<>();
        batch.add(first);
        for (Node queued : upcoming.get()) {
            if (queued.isAttached() && !queued.anchor().edgesFetched()) batch.add(queued.anchor());
        }
        Set<Id> wanted = new LinkedHashSet<>();
        for (NodeAnchor n : batch) {
            for (String ref : n.edges()) {
                RefId r = RefId.parse(ref);
                if (r != null && !edges.containsKey(r.id()) && !absent.contains(r.id())) wanted.add(r.id());
            }
        }
        if (!wanted.isEmpty()) {
            Set<Id> endpoints = new LinkedHashSet<>();
            for (EdgeRecord r : store.edges(wanted)) {
                EdgeAnchor e = edgeFrom(r);
                if (e == null) continue;
                edges.put(e.id(), e);
                RefId s = RefId.parse(e.source()), t = RefId.parse(e.target());
                if (s != null) endpoints.add(s.id());
                if (t != null) endpoints.add(t.id());
            }
            for (Id id : wanted) if (!edges.containsKey(id)) absent.add(id);
            for (Id id : endpoints) if (!nodes.containsKey(id) && !absent.contains(id)) pendingEndpoints.add(id);
        }
        for (NodeAnchor n : batch) n.markEdgesFetched();
    }

    private EdgeAnchor edgeFrom(EdgeRecord r) {
        Class<? extends Edge> type = graphStore.registry().edgeType(r.name());
        if (type == null) {
            log.warn("edge {} has type {} which this server does not know; ignoring it", r.id(), r.name());
            return null;
        }
        ArchetypeJson.Loaded<? extends Edge> edge = json.load(r.fields(), type);
        EdgeAnchor a = new EdgeAnchor(this, r.id(), r.root(), policy(r.access()), edge.archetype(), r.source(), r.target(),
                r.undirected(), r.fields(), r.version());
        a.keepSnapshot(edge.snapshot());
        return a;
    }

    // ---- changes -------------------------------------------------------------------------------------------

    @Override
    public NodeAnchor adopt(Node node) {
        NodeAnchor a = new NodeAnchor(this, node.pendingId(), caller.rootId(), new AccessPolicy(Access.NO_ACCESS),
                node, List.of(), null, 0);
        a.markEdgesFetched();
        nodes.put(a.id(), a);
        return a;
    }

    @Override
    public EdgeAnchor connect(NodeAnchor source, NodeAnchor target, Edge edge, boolean undirected) {
        if (!can(source, Access.CONNECT) || !can(target, Access.CONNECT)) {
            log.info("root {} may not connect {} to {}; edge not created", callerRootRef, source.refId(), target.refId());
            return null;
        }
        EdgeAnchor e = new EdgeAnchor(this, Id.fresh(), caller.rootId(), new AccessPolicy(Access.NO_ACCESS), edge,
                source.refId(), target.refId(), undirected, null, 0);
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

    // ---- savable objects -----------------------------------------------------------------------------------

    @Override
    public ObjectAnchor save(Obj object) {
        if (object.isSaved()) return object.anchor();
        if (graphStore.registry().objectType(object.typeName()) == null) {
            log.error("object type {} ({}) is not in the walker index: it cannot be saved", object.typeName(), object.getClass().getName());
            throw new WalkerFailure(500, "Object type " + object.typeName() + " is not known to this server (an object"
                    + " type must be a public, concrete class compiled with the walker index); nothing was saved");
        }
        ObjectAnchor a = new ObjectAnchor(this, object.pendingId(), caller.rootId(), new AccessPolicy(Access.NO_ACCESS),
                object, null, 0);
        objects.put(a.id(), a);
        return a;
    }

    @Override
    public ObjectAnchor object(String refId) {
        RefId ref = RefId.parse(refId);
        if (ref == null || ref.kind() != 'o') return null;
        ObjectAnchor a = objects.get(ref.id());
        if (a == null && !absent.contains(ref.id())) {
            for (ObjectRecord r : store.objects(List.of(ref.id()))) {
                Class<? extends Obj> type = graphStore.registry().objectType(r.name());
                if (type == null) {
                    log.warn("object {} has type {} which this server does not know; ignoring it", r.id(), r.name());
                    continue;
                }
                ArchetypeJson.Loaded<? extends Obj> read = json.load(r.fields(), type);
                a = new ObjectAnchor(this, r.id(), r.root(), policy(r.access()), read.archetype(), r.fields(), r.version());
                a.keepSnapshot(read.snapshot());
                objects.put(a.id(), a);
            }
            if (a == null) absent.add(ref.id());
        }
        if (a == null || a.destroyed() || !ref.type().equals(a.name())) return null;
        return can(a, Access.READ) ? a : null;
    }

    @Override
    public void destroy(ObjectAnchor object) {
        if (object.destroyed()) return;
        if (!can(object, Access.WRITE)) {
            log.info("root {} may not delete {}; kept", callerRootRef, object.refId());
            return;
        }
        object.markDestroyed();
    }

    // ---- walker documents ----------------------------------------------------------------------------------

    /** Writes {@code document} with this walk's commit (replacing an earlier one with the same id). */
    public void saveWalkerDocument(WalkerRecord document) { walkerDocuments.put(document.id(), document); }

    /** Nodes of a type owned by the caller's root (any owner for the super root), loaded; unreadable ones left out. */
    public <N extends Node> List<N> nodesOfType(Class<N> type, int limit) {
        Id owner = caller.rootId().equals(RefId.SUPER_ROOT) ? null : caller.rootId();
        List<Id> ids = new ArrayList<>();
        for (NodeRecord r : store.nodesNamed(io.walkerd.graph.Archetype.typeName(type), owner, limit)) ids.add(r.id());
        loadNodes(ids);
        List<N> out = new ArrayList<>();
        for (Id id : ids) {
            NodeAnchor a = nodes.get(id);
            if (a != null && !a.destroyed() && type.isInstance(a.archetype()) && can(a, Access.READ)) out.add(type.cast(a.archetype()));
        }
        return out;
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
        long owned = countOwned() - 1;
        reset = true;
        NodeAnchor rootAnchor = nodes.get(caller.rootId());
        nodes.clear();
        edges.clear();
        objects.clear();
        absent.clear();
        pendingEndpoints.clear();
        rootPolicies.clear();
        if (rootAnchor == null) {
            callerRoot();
            rootAnchor = nodes.get(caller.rootId());
        } else {
            nodes.put(caller.rootId(), rootAnchor);
        }
        rootAnchor.clearEdges();
        rootAnchor.markEdgesFetched();
        return Math.max(0, owned);
    }

    @Override
    public long countOwned() {
        return store.countOwned(caller.rootId());
    }

    /**
     * Code other than the walk (a caller's hook) runs before the commit: what the response found unchanged is
     * compared again at the commit ({@link io.walkerd.graph.Anchor#unchangedAtEnd}).
     */
    public void otherCodeRan() { findingsHold = false; }

    // ---- commit --------------------------------------------------------------------------------------------

    /**
     * Writes every change of the walk as one atomic change set and returns the stored nodes it changed (for the
     * live graph). A new node that ended the walk with no edge was never part of the graph: it is not stored.
     *
     * @throws CommitConflict when another call changed a document this walk changes since it was read
     * @throws WalkerFailure  (500) when a value the walker wrote is over the store's limits
     */
    public List<NodeChange> commit() {
        StoreLimits limits = graphStore.limits();
        List<NodeRecord> insertNodes = new ArrayList<>();
        List<EdgeRecord> insertEdges = new ArrayList<>();
        List<ChangeSet.NodeUpdate> updateNodes = new ArrayList<>();
        List<ChangeSet.EdgeUpdate> updateEdges = new ArrayList<>();
        List<ChangeSet.Versioned> deleteNodes = new ArrayList<>();
        List<ChangeSet.Versioned> deleteEdges = new ArrayList<>();
        List<NodeChange> changes = new ArrayList<>();
        Set<Id> stored = new HashSet<>();

        for (NodeAnchor n : nodes.values()) {
            if (n.isNew()) {
                if (n.destroyed() || n.edges().isEmpty()) continue;
                ObjectNode fields = checked(limits, n, json.toJson(n.archetype()));
                insertNodes.add(new NodeRecord(n.id(), n.name(), n.root(), n.access().toJson(), n.edges(), fields, 1));
                stored.add(n.id());
                continue;
            }
            if (n.destroyed()) {
                deleteNodes.add(new ChangeSet.Versioned(n.id(), n.version()));
                changes.add(new NodeChange(n.refId(), true, Set.of(), null));
                continue;
            }
            boolean reachedRoot = reset && n.id().equals(caller.rootId());
            boolean writable = !n.isDeferred() && can(n, Access.WRITE);
            ObjectNode fields = null;
            ObjectNode access = null;
            Set<String> what = new LinkedHashSet<>();
            ObjectNode now = null;
            if (!n.isDeferred()) {
                now = changedFields(n);
                boolean fieldsChanged = now != null;
                if (fieldsChanged && writable) {
                    fields = checked(limits, n, now);
                    what.add(NodeChange.FIELDS);
                }
                if (n.accessChanged() && writable) {
                    access = n.access().toJson();
                    what.add(NodeChange.ACCESS);
                }
                if (!writable && (fieldsChanged || n.accessChanged())) {
                    log.info("root {} has no WRITE access on {}; its changes are not saved", callerRootRef, n.refId());
                }
            }
            boolean edgesChanged = !n.addedEdges().isEmpty() || !n.removedEdges().isEmpty() || reachedRoot;
            if (edgesChanged) what.add(NodeChange.EDGES);
            if (fields != null || access != null || edgesChanged) {
                updateNodes.add(new ChangeSet.NodeUpdate(n.id(), n.version(), fields, access,
                        List.copyOf(n.addedEdges()), List.copyOf(n.removedEdges())));
                changes.add(new NodeChange(n.refId(), false, what, now != null ? now : json.toJson(n.archetype())));
            }
        }
        for (EdgeAnchor e : edges.values()) {
            if (e.isNew()) {
                if (e.destroyed()) continue;
                ObjectNode fields = checked(limits, e, json.toJson(e.archetype()));
                insertEdges.add(new EdgeRecord(e.id(), e.name(), e.root(), e.access().toJson(), e.source(), e.target(),
                        e.undirected(), fields, 1));
                continue;
            }
            if (e.destroyed()) {
                deleteEdges.add(new ChangeSet.Versioned(e.id(), e.version()));
                continue;
            }
            boolean writable = can(e, Access.WRITE);
            ObjectNode now = changedFields(e);
            boolean fieldsChanged = now != null;
            if (!writable) {
                if (fieldsChanged || e.accessChanged()) {
                    log.info("root {} has no WRITE access on {}; its changes are not saved", callerRootRef, e.refId());
                }
                continue;
            }
            if (fieldsChanged || e.accessChanged()) {
                updateEdges.add(new ChangeSet.EdgeUpdate(e.id(), e.version(), fieldsChanged ? checked(limits, e, now) : null,
                        e.accessChanged() ? e.access().toJson() : null));
            }
        }
        List<ObjectRecord> insertObjects = new ArrayList<>();
        List<ChangeSet.ObjectUpdate> updateObjects = new ArrayList<>();
        List<ChangeSet.Versioned> deleteObjects = new ArrayList<>();
        for (ObjectAnchor o : objects.values()) {
            if (o.isNew()) {
                if (o.destroyed()) continue;
                insertObjects.add(new ObjectRecord(o.id(), o.name(), o.root(), o.access().toJson(),
                        checked(limits, o, json.toJson(o.archetype())), 1));
                continue;
            }
            if (o.destroyed()) {
                deleteObjects.add(new ChangeSet.Versioned(o.id(), o.version()));
                continue;
            }
            ObjectNode now = changedFields(o);
            boolean fieldsChanged = now != null;
            if (!can(o, Access.WRITE)) {
                if (fieldsChanged || o.accessChanged()) {
                    log.info("root {} has no WRITE access on {}; its changes are not saved", callerRootRef, o.refId());
                }
                continue;
            }
            if (fieldsChanged || o.accessChanged()) {
                updateObjects.add(new ChangeSet.ObjectUpdate(o.id(), o.version(), fieldsChanged ? checked(limits, o, now) : null,
                        o.accessChanged() ? o.access().toJson() : null));
            }
        }
        ChangeSet set = new ChangeSet(reset ? caller.rootId() : null, insertNodes, insertEdges, updateNodes, updateEdges,
                deleteNodes, deleteEdges, insertObjects, updateObjects, deleteObjects, List.copyOf(walkerDocuments.values()));
        if (set.isEmpty()) return List.of();
        store.commit(set);
        return changes;
    }

    /**
     * The stored form of the anchor's archetype when it differs from the fields as loaded; null when it does not.
     * An archetype whose field values are those it was read with ({@link ArchetypeJson#unchangedSince}), from
     * fields already known to store as such an archetype ({@link StoredFields#storedAs}), is unchanged without
     * printing. Otherwise, where the store gave the stored text, printing the archetype into a comparison with it
     * settles the common case (unchanged) without a tree; when the bytes differ, the trees are compared as values
     * ({@link StoredJson#sameValue}: a number in another form is the same value).
     */
    private ObjectNode changedFields(Anchor a) {
        StoredFields loaded = a.loaded();
        io.walkerd.graph.Archetype archetype = a.archetype();
        Boolean found = findingsHold ? a.unchangedAtEnd() : null; // compared already when the response reported it
        boolean untouched = found != null ? found : json.unchangedSince(archetype, a.snapshot());
        if (untouched && loaded.storedAs(json, archetype.getClass())) return null;
        if (json.printsAs(archetype, loaded)) {
            if (untouched) loaded.markStoredAs(json, archetype.getClass(), true);
            return null;
        }
        ObjectNode now = json.toJson(archetype);
        if (!StoredJson.sameValue(now, loaded.tree())) return now;
        if (untouched) loaded.markStoredAs(json, archetype.getClass(), false);
        return null;
    }

    private static ObjectNode checked(StoreLimits limits, Anchor a, ObjectNode fields) {
        String problem = limits.problem(fields);
        if (problem != null) {
            throw new WalkerFailure(500, "The walker tried to store " + a.refId() + " with a value " + problem
                    + " (the store's limit); nothing was saved");
        }
        return fields;
    }
}
