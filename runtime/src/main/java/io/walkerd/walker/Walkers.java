package io.walkerd.walker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.walkerd.auth.Principal;
import io.walkerd.graph.RefId;
import io.walkerd.store.Store;
import io.walkerd.store.StoredJson;
import io.walkerd.store.WalkerRecord;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs walkers from application code and plugins: any walker (private ones included) as a given user on a given
 * node, now or as a background task, and reads walker documents. Walker code reaches it with
 * {@code context().service(Walkers.class)}; plugins with {@code PluginContext.walkers()}'s server, as a service.
 *
 * <p>It is trusted code's tool: it checks no token, method or access to the documents it reads; the walkers it runs
 * see the graph with the access of the principal they run as.
 */
public final class Walkers {
    private final WalkerRunner runner;
    private final WalkerRegistry registry;
    private final Tasks tasks;
    private final Store store;

    public Walkers(WalkerRunner runner, WalkerRegistry registry, Tasks tasks, Store store) {
        this.runner = runner;
        this.registry = registry;
        this.tasks = tasks;
        this.store = store;
    }

    /**
     * Runs {@code walker} now on {@code node} (a ref id; null for the root of {@code as}) as {@code as}, and commits
     * its changes, as a call would: the response has the call's status and body.
     */
    public WalkerResponse run(Principal as, String node, Walker walker) {
        return runner.runAs(as, node, "internal", walker, null);
    }

    /**
     * Runs the walker named {@code name} with {@code input} (its fields, as a JSON body would give them); a walker
     * that does not exist answers 404, input that does not fit answers 422 with FastAPI's detail.
     */
    public WalkerResponse run(Principal as, String node, String name, ObjectNode input) {
        WalkerType type = registry.walker(name);
        if (type == null) return new WalkerResponse(404, Map.of("error", "Walker " + name + " not found!"), "Walker " + name + " not found!");
        Walker walker = type.newInstance();
        List<Map<String, Object>> problems = runner.bind(type, walker, input);
        if (!problems.isEmpty()) return new WalkerResponse(422, Map.of("detail", problems), "Invalid input for walker " + name);
        return run(as, node, walker);
    }

    /**
     * Creates a task: {@code walker} runs in the background on {@code node} (null: the root) as {@code as}, not before
     * {@code notBefore} (null: at once). Returns its id, {@code w:<name>:<hex>}.
     */
    public String createTask(Principal as, Walker walker, String node, Instant notBefore) {
        return tasks.create(as, walker, node, notBefore);
    }

    /** A walker document (task, async call, saved scheduled run) by its id {@code w:<name>:<hex>}. */
    public Optional<WalkerDocument> document(String walkerId) {
        RefId ref = RefId.parse(walkerId);
        if (ref == null || ref.kind() != 'w') return Optional.empty();
        return store.walker(ref.id()).filter(w -> w.name().equals(ref.type())).map(Walkers::view);
    }

    /** The newest document of the walker {@code name}: for a scheduled walker that saves its runs, its last run. */
    public Optional<WalkerDocument> latest(String name) {
        return store.latestWalker(name).map(Walkers::view);
    }

    static WalkerDocument view(WalkerRecord w) {
        return new WalkerDocument(RefId.walker(w.name(), w.id()), w.name(), RefId.root(w.root()), w.archetype(),
                w.schedule() == null ? null : StoredJson.schedule(w.schedule()));
    }
}
