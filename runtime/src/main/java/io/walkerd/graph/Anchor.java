package io.walkerd.graph;

import org.bson.Document;
import org.bson.types.ObjectId;

/** Persistence metadata of a node or edge: its id, owner root, access policy and change state. */
public abstract sealed class Anchor permits NodeAnchor, EdgeAnchor {
    private final ObjectId id;
    private final String name;
    private final ObjectId root;
    private AccessPolicy access;
    private final Graph graph;
    /** The archetype document as loaded from the store; null for an anchor created during this walk. */
    private final Document loaded;
    private boolean accessChanged;
    private boolean destroyed;
    /** Fills in the stored state of an anchor created before its document was read; null once done. */
    private Runnable deferred;

    protected Anchor(Graph graph, ObjectId id, String name, ObjectId root, AccessPolicy access, Document loaded) {
        this.graph = graph;
        this.id = id;
        this.name = name;
        this.root = root;
        this.access = access;
        this.loaded = loaded;
    }

    public ObjectId id() { return id; }

    public String name() { return name; }

    /** The root that owns this anchor. */
    public ObjectId root() { return root; }

    public AccessPolicy access() {
        ensureLoaded();
        return access;
    }

    /** Reads the stored state later, on first need (see {@link NodeAnchor#deferred}). */
    void defer(Runnable load) { this.deferred = load; }

    final void ensureLoaded() {
        Runnable load = deferred;
        if (load != null) {
            deferred = null;
            load.run();
        }
    }

    void replaceAccess(AccessPolicy access) { this.access = access; }

    public Graph graph() { return graph; }

    public Document loaded() { return loaded; }

    public boolean isNew() { return loaded == null; }

    public boolean accessChanged() { return accessChanged; }

    public void markAccessChanged() { accessChanged = true; }

    public boolean destroyed() { return destroyed; }

    public void markDestroyed() { destroyed = true; }

    public abstract String refId();

    public abstract Archetype archetype();
}
