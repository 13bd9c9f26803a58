package io.walkerd.graph;

/**
 * Persistence metadata of a node or edge: its id, owner root, access policy, and what was read from the store
 * (fields, access and version) so that the commit can tell what changed and refuse to overwrite a newer version.
 */
public abstract sealed class Anchor permits NodeAnchor, EdgeAnchor, ObjectAnchor {
    private final Id id;
    private final String name;
    private final Id root;
    /** This walk's policy, which it may change; for a loaded anchor, a copy of the stored one made on first need. */
    private AccessPolicy access;
    /**
     * The access policy as read from the store: what write permission is decided from; null when new. Never changed
     * (the session may hand the same policy to every anchor that stored the same one).
     */
    private AccessPolicy loadedAccess;
    private final Graph graph;
    /** The fields as loaded from the store; null for an anchor created during this walk. */
    private final StoredFields loaded;
    private long version;
    /** The loaded archetype's field values (see {@link ArchetypeJson#snapshot}); null when not kept. */
    private Object[] snapshot;
    private Boolean unchangedAtEnd;
    private boolean accessChanged;
    private boolean destroyed;
    /** Fills in the stored state of an anchor created before its document was read; null once done. */
    private Runnable deferred;

    protected Anchor(Graph graph, Id id, String name, Id root, AccessPolicy access, StoredFields loaded, long version) {
        this.graph = graph;
        this.id = id;
        this.name = name;
        this.root = root;
        // a loaded anchor's policy is the stored one, kept as it is; the first access() copies it for changes
        this.access = loaded == null ? access : null;
        this.loadedAccess = loaded == null ? null : access;
        this.loaded = loaded;
        this.version = version;
    }

    public Id id() { return id; }

    public String name() { return name; }

    /** The root that owns this anchor. */
    public Id root() { return root; }

    /** This walk's policy: changing it changes what is saved (if the caller may), not what this walk may do. */
    public AccessPolicy access() {
        ensureLoaded();
        AccessPolicy a = access;
        if (a == null) access = a = loadedAccess.copy();
        return a;
    }

    /** The policy as it was read from the store, before this walk changed it; null for an anchor new in this walk. */
    public AccessPolicy loadedAccess() {
        ensureLoaded();
        return loadedAccess;
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

    /** True while the stored state of a deferred anchor has not been read. */
    public boolean isDeferred() { return deferred != null; }

    /** Takes the stored policy (kept as it is, never changed) and version. */
    void replaceStored(AccessPolicy access, long version) {
        this.access = null;
        this.loadedAccess = access;
        this.version = version;
    }

    public Graph graph() { return graph; }

    /** The fields as they were read from the store; null for an anchor new in this walk. */
    public StoredFields loaded() { return loaded; }

    /** The archetype's field values as loaded, or null; see {@link ArchetypeJson#snapshot}. */
    public Object[] snapshot() { return snapshot; }

    /** Keeps the archetype's field values as loaded (taken right after it was read). */
    public void keepSnapshot(Object[] values) { this.snapshot = values; }

    /**
     * Whether the archetype's values are still those it was loaded with, as found once the walk ended (by its
     * response, which compares them for every archetype it reports); null when not compared yet. The commit takes
     * this finding unless other code ran in between (see {@code GraphSession.otherCodeRan}).
     */
    public Boolean unchangedAtEnd() { return unchangedAtEnd; }

    /** See {@link #unchangedAtEnd()}. */
    public void foundUnchangedAtEnd(boolean unchanged) { this.unchangedAtEnd = unchanged; }

    /** The version read from the store (0 for a new anchor, or a deferred one never read). */
    public long version() { return version; }

    public boolean isNew() { return loaded == null; }

    public boolean accessChanged() { return accessChanged; }

    public void markAccessChanged() { accessChanged = true; }

    public boolean destroyed() { return destroyed; }

    public void markDestroyed() { destroyed = true; }

    /** Grants {@code level} to the root {@code rootRefId} ({@code n::<hex>} or bare hex); saved if the caller may. */
    public void allowRoot(String rootRefId, Access level) {
        access().grants().put(normaliseRoot(rootRefId), level);
        markAccessChanged();
    }

    /** Removes the grant of {@code rootRefId}. */
    public void disallowRoot(String rootRefId) {
        access().grants().remove(normaliseRoot(rootRefId));
        markAccessChanged();
    }

    /** Sets the level every other root has. */
    public void allowAll(Access level) {
        access().all(level);
        markAccessChanged();
    }

    static String normaliseRoot(String rootRefId) {
        RefId ref = RefId.parse(rootRefId);
        if (ref == null || ref.kind() != 'n') throw new IllegalArgumentException("not a root id: " + rootRefId);
        return RefId.root(ref.id());
    }

    public abstract String refId();

    public abstract Archetype archetype();
}
