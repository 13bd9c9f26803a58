package io.walkerd.store;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.walkerd.graph.Id;
import io.walkerd.metrics.Metrics;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A store that counts what is asked of it: each operation once under the collection it reads or writes
 * ({@code walkerd_store_queries_total{backend,collection}}; a commit once under each collection its change set
 * touches), and the time of every commit ({@code walkerd_store_commit_duration_seconds{backend}}, conflicts and
 * failures included). The collections are the store's own, {@code lease}, and {@code all} for what spans them
 * (counting a root's documents, the health check, export and import). Otherwise it passes every call through.
 */
public final class MeteredStore implements Store {
    /** The collection label of operations over every collection. */
    static final String ALL = "all";

    private final Store store;
    private final Map<String, Counter> queries = new HashMap<>();
    private final Timer commits;

    public MeteredStore(Store store, MeterRegistry registry) {
        this.store = store;
        String backend = store.backend();
        List<String> labels = new java.util.ArrayList<>(COLLECTIONS);
        labels.add("lease");
        labels.add(ALL);
        for (String collection : labels) {
            queries.put(collection, Counter.builder("walkerd.store.queries")
                    .description("Store operations by the collection they read or write (a commit once per collection it writes)")
                    .tags("backend", backend, "collection", collection).register(registry));
        }
        this.commits = Timer.builder("walkerd.store.commit.duration")
                .description("How long the store takes to apply one change set, conflicts and failures included")
                .tags("backend", backend)
                .serviceLevelObjectives(Metrics.durationBuckets())
                .register(registry);
    }

    private void count(String collection) { queries.get(collection).increment(); }

    @Override
    public String backend() { return store.backend(); }

    @Override
    public List<NodeRecord> nodes(Collection<Id> ids) {
        count("node");
        return store.nodes(ids);
    }

    @Override
    public List<EdgeRecord> edges(Collection<Id> ids) {
        count("edge");
        return store.edges(ids);
    }

    @Override
    public void ensureRoot(NodeRecord root) {
        count("node");
        store.ensureRoot(root);
    }

    @Override
    public void commit(ChangeSet changes) {
        boolean reset = changes.resetRoot() != null;
        if (reset || !changes.insertNodes().isEmpty() || !changes.updateNodes().isEmpty() || !changes.deleteNodes().isEmpty()) count("node");
        if (reset || !changes.insertEdges().isEmpty() || !changes.updateEdges().isEmpty() || !changes.deleteEdges().isEmpty()) count("edge");
        if (reset || !changes.insertObjects().isEmpty() || !changes.updateObjects().isEmpty() || !changes.deleteObjects().isEmpty()) count("object");
        if (reset || !changes.walkers().isEmpty()) count("walker");
        long start = System.nanoTime();
        try {
            store.commit(changes);
        } finally {
            commits.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public long countOwned(Id root) {
        count(ALL);
        return store.countOwned(root);
    }

    @Override
    public List<NodeRecord> nodesNamed(String name, Id root, int limit) {
        count("node");
        return store.nodesNamed(name, root, limit);
    }

    @Override
    public List<ObjectRecord> objects(Collection<Id> ids) {
        count("object");
        return store.objects(ids);
    }

    @Override
    public Optional<WalkerRecord> walker(Id id) {
        count("walker");
        return store.walker(id);
    }

    @Override
    public Optional<WalkerRecord> latestWalker(String name) {
        count("walker");
        return store.latestWalker(name);
    }

    @Override
    public List<WalkerRecord> dueTasks(Instant now, int limit) {
        count("walker");
        return store.dueTasks(now, limit);
    }

    @Override
    public boolean startTask(Id id, Instant at) {
        count("walker");
        return store.startTask(id, at);
    }

    @Override
    public boolean createWebhookKey(WebhookKeyRecord key) {
        count("webhook");
        return store.createWebhookKey(key);
    }

    @Override
    public Optional<WebhookKeyRecord> webhookKeyByHash(String keyHash) {
        count("webhook");
        return store.webhookKeyByHash(keyHash);
    }

    @Override
    public List<WebhookKeyRecord> webhookKeys(Id root) {
        count("webhook");
        return store.webhookKeys(root);
    }

    @Override
    public boolean extendWebhookKey(Id root, Id id, Instant expiration) {
        count("webhook");
        return store.extendWebhookKey(root, id, expiration);
    }

    @Override
    public int deleteWebhookKeys(Id root, Collection<Id> ids) {
        count("webhook");
        return store.deleteWebhookKeys(root, ids);
    }

    @Override
    public boolean claimLease(String name, String holder, Instant until) {
        count("lease");
        return store.claimLease(name, holder, until);
    }

    @Override
    public Optional<UserRecord> userById(Id id) {
        count("user");
        return store.userById(id);
    }

    @Override
    public boolean markAdmin(String email, boolean admin) {
        count("user");
        return store.markAdmin(email, admin);
    }

    @Override
    public Optional<UserRecord> userByEmail(String email) {
        count("user");
        return store.userByEmail(email);
    }

    @Override
    public boolean createUser(UserRecord user, NodeRecord root) {
        count("user");
        return store.createUser(user, root);
    }

    @Override
    public boolean changePassword(Id userId, String passwordHash, int expectedTokenVersion) {
        count("user");
        return store.changePassword(userId, passwordHash, expectedTokenVersion);
    }

    @Override
    public void check() {
        count(ALL);
        store.check();
    }

    @Override
    public void exportAll(Consumer<Exported> out) {
        count(ALL);
        store.exportAll(out);
    }

    @Override
    public void importAll(Iterable<Exported> documents) {
        count(ALL);
        store.importAll(documents);
    }

    @Override
    public void close() { store.close(); }
}
