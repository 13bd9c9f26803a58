package io.walkerd.store;

import io.walkerd.auth.Principal;
import io.walkerd.graph.Access;
import io.walkerd.graph.ArchetypeJson;
import io.walkerd.graph.RefId;
import io.walkerd.walker.WalkerRegistry;

/** The graph over a {@link Store}: opens one {@link GraphSession} per walk, and makes sure the system roots exist. */
public final class GraphStore {
    private final Store store;
    private final WalkerRegistry registry;
    private final StoreLimits limits;
    private final ArchetypeJson json;

    public GraphStore(Store store, WalkerRegistry registry, StoreLimits limits, ArchetypeJson json) {
        this.store = store;
        this.registry = registry;
        this.limits = limits;
        this.json = json;
        store.ensureRoot(StoredJson.root(RefId.SUPER_ROOT, Access.NO_ACCESS.name()));
        store.ensureRoot(StoredJson.root(RefId.PUBLIC_ROOT, Access.WRITE.name()));
    }

    /** Opens the graph as {@code caller} sees it, for one walk. */
    public GraphSession open(Principal caller) { return new GraphSession(this, caller); }

    public Store store() { return store; }

    public StoreLimits limits() { return limits; }

    /** This server's JSON mappers of archetypes. */
    public ArchetypeJson json() { return json; }

    WalkerRegistry registry() { return registry; }
}
