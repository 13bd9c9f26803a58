package io.walkerd.walker;

import io.walkerd.auth.Principal;
import io.walkerd.graph.Access;
import io.walkerd.graph.ArchetypeJson;
import io.walkerd.graph.Node;
import io.walkerd.graph.NodeAnchor;
import io.walkerd.graph.Root;
import io.walkerd.graph.WalkScope;
import io.walkerd.http.ErrorReplies;
import io.walkerd.server.LogSafe;
import io.walkerd.spi.CommitListener;
import io.walkerd.spi.NodeChange;
import io.walkerd.store.CommitConflict;
import io.walkerd.store.GraphSession;
import io.walkerd.store.GraphStore;
import io.walkerd.store.StoreUnavailable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * Runs walkers for every transport: checks auth, binds input, spawns the walker on the caller's root or a given
 * node, walks, writes the graph changes (nothing when the walker fails) and shapes the response body.
 */
public final class WalkerRunner {
    private static final Logger log = LoggerFactory.getLogger(WalkerRunner.class);

    private final WalkerRegistry registry;
    private final GraphStore store;
    private final boolean showReturns;
    private final Function<Class<?>, Object> services;
    private final int conflictRetries;
    private final List<CommitListener> commitListeners = new CopyOnWriteArrayList<>();

    public WalkerRunner(WalkerRegistry registry, GraphStore store, boolean showReturns, Function<Class<?>, Object> services,
                        int conflictRetries) {
        this.conflictRetries = conflictRetries;
        this.registry = registry;
        this.store = store;
        this.showReturns = showReturns;
        this.services = services;
    }

    public WalkerRegistry registry() { return registry; }

    /** Adds a listener told of every successful commit that changed existing nodes. */
    public void onCommit(CommitListener listener) { commitListeners.add(listener); }

    public WalkerResponse run(WalkerCall call) {
        WalkerType type = registry.walker(call.walker());
        if (type == null || type.isPrivate()) return error(404, "Walker " + call.walker() + " not found!");
        if (!type.methods().contains(call.method())) {
            return error(405, "Walker " + call.walker() + " does not accept " + call.method() + "!");
        }
        if (type.auth() && call.caller().isPublic()) return error(401, "Unauthorized: this walker needs a valid token");
        List<Map<String, Object>> tooLarge = WalkerInput.checkLimits(call, store.limits());
        if (!tooLarge.isEmpty()) return new WalkerResponse(422, Map.of("detail", tooLarge), "Invalid input for walker " + type.name());

        // a commit that meets a newer version is refused whole: run the walker again on the new state, a few times
        for (int attempt = 0; ; attempt++) {
            Walker walker = type.newInstance();
            List<Map<String, Object>> problems = WalkerInput.bind(type, walker, call);
            if (!problems.isEmpty()) return new WalkerResponse(422, Map.of("detail", problems), "Invalid input for walker " + type.name());
            Context context = new Context(call);
            try {
                return runOnce(call, type, walker, context);
            } catch (CommitConflict conflict) {
                if (context.irreversible || attempt >= conflictRetries) {
                    log.info("walker {} for {} conflicted at commit (attempt {}): {}", type.name(), call.caller().rootRef(),
                            attempt + 1, conflict.getMessage());
                    return error(409, "Conflict: another call changed the same data at the same time; nothing was saved, try again");
                }
                backOff(attempt);
            }
        }
    }

    private WalkerResponse runOnce(WalkerCall call, WalkerType type, Walker walker, Context context) {
        GraphSession graph = store.open(call.caller());
        var previous = WalkScope.enter(graph);
        try {
            Node start;
            if (call.node() == null || call.node().isEmpty()) {
                start = graph.callerRoot();
            } else {
                NodeAnchor anchor = graph.find(call.node());
                if (anchor == null) return error(404, "Node " + call.node() + " not found!");
                if (!graph.accessTo(anchor).atLeast(Access.READ)) {
                    return error(403, "You don't have access on target entry " + call.node() + "!");
                }
                start = anchor.archetype();
            }
            Root root = graph.callerRoot();
            Walk walk = new Walk(walker, type, graph, context, root, registry.nodeAbilities);
            try {
                walk.run(start);
            } catch (WalkerFailure e) {
                if (e.getCause() != null) return internalError("walker " + type.name() + " failed for " + call.caller().rootRef(), e);
                log.warn("walker {} failed for {}: {}", type.name(), call.caller().rootRef(), LogSafe.of(e.getMessage()));
                return error(e.status(), e.getMessage());
            } catch (CommitConflict | StoreUnavailable e) {
                throw e;
            } catch (RuntimeException e) {
                return internalError("walker " + type.name() + " failed for " + call.caller().rootRef(), e);
            }
            WalkerResponse response = respond(walk);
            if (response.ok()) { // an invalid status is a failure: like any failure, it writes nothing
                List<NodeChange> changes;
                try {
                    changes = graph.commit();
                } catch (WalkerFailure e) {
                    log.warn("walker {} could not be saved for {}: {}", type.name(), call.caller().rootRef(), e.getMessage());
                    return error(e.status(), e.getMessage());
                }
                if (!changes.isEmpty()) for (CommitListener l : commitListeners) l.committed(changes);
            }
            return response;
        } catch (CommitConflict e) {
            throw e;
        } catch (StoreUnavailable e) {
            String id = ErrorReplies.logged(log, "walker " + type.name() + " for " + call.caller().rootRef() + ": the store is unavailable", e);
            return new WalkerResponse(503, Map.of("error", "store unavailable", "error_id", id), "store unavailable");
        } catch (RuntimeException e) {
            return internalError("walker " + type.name() + " could not be run or saved for " + call.caller().rootRef(), e);
        } finally {
            WalkScope.restore(previous);
        }
    }

    /** A short random pause, growing with each attempt, so that conflicting calls do not meet again at once. */
    private static void backOff(int attempt) {
        try {
            Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextInt(1, 4 << Math.min(attempt, 4)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Shapes the body while the walk's graph is still in scope, so that new nodes in reports have their ids. */
    private WalkerResponse respond(Walk walk) {
        int status = walk.status() == null ? 200 : walk.status();
        if (!validStatus(status)) {
            return error(500, "Invalid status code " + status + ": a walker may set 2xx (but 204), 4xx or 5xx");
        }
        Object body;
        if (walk.bodySet()) {
            body = ArchetypeJson.RESPONSE.valueToTree(walk.body());
        } else {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("status", status);
            if (!walk.reports().isEmpty()) b.put("reports", ArchetypeJson.RESPONSE.valueToTree(walk.reports()));
            if (showReturns) b.put("returns", ArchetypeJson.RESPONSE.valueToTree(walk.returns()));
            body = b;
        }
        return new WalkerResponse(status, body, null);
    }

    static boolean validStatus(int s) {
        return (s >= 200 && s < 300 && s != 204) || (s >= 400 && s < 600);
    }

    /** An unexpected failure: logged whole under an error id; the caller gets the id and nothing of the failure. */
    private static WalkerResponse internalError(String what, RuntimeException e) {
        String id = ErrorReplies.logged(log, what, e);
        return new WalkerResponse(500, ErrorReplies.body(id), ErrorReplies.INTERNAL);
    }

    private static WalkerResponse error(int status, String message) {
        return new WalkerResponse(status, Map.of("error", message), message);
    }

    private final class Context implements WalkContext {
        private final WalkerCall call;
        private volatile boolean irreversible;

        Context(WalkerCall call) { this.call = call; }

        @Override
        public void markIrreversible() { irreversible = true; }

        @Override
        public Principal caller() { return call.caller(); }

        @Override
        public String method() { return call.method(); }

        @Override
        public <T> T attribute(Class<T> type) { return type.cast(call.attributes().get(type)); }

        @Override
        public <T> T service(Class<T> type) { return type.cast(services.apply(type)); }
    }
}
