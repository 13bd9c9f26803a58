package io.walkerd.walker;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.walkerd.auth.Principal;
import io.walkerd.graph.Access;
import io.walkerd.graph.Node;
import io.walkerd.graph.NodeAnchor;
import io.walkerd.graph.Root;
import io.walkerd.graph.WalkScope;
import io.walkerd.http.ErrorReplies;
import io.walkerd.server.LogContext;
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
import java.util.function.Supplier;

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
    private final Limits limits;
    private final WalkerInput input;
    private final WalkerMetrics metrics;
    private final List<CommitListener> commitListeners = new CopyOnWriteArrayList<>();
    /** Starts the calls of async walkers; set by the server (none: async walkers run in the call). */
    private volatile AsyncStarter async;
    private volatile Runnable tasksCreated = () -> {};

    public WalkerRunner(WalkerRegistry registry, GraphStore store, boolean showReturns, Function<Class<?>, Object> services,
                        int conflictRetries, Limits limits, WalkerMetrics metrics) {
        this.metrics = metrics;
        this.conflictRetries = conflictRetries;
        this.registry = registry;
        this.store = store;
        this.showReturns = showReturns;
        this.services = services;
        this.limits = limits;
        this.input = new WalkerInput(store.json());
    }

    /** Starts an async walker's call: stores its document and answers its id; the walker runs on a worker. */
    @FunctionalInterface
    public interface AsyncStarter {
        WalkerResponse start(WalkerCall call, WalkerType type, Walker walker);
    }

    /** Who starts async walkers' calls. */
    public void async(AsyncStarter starter) { this.async = starter; }

    /** Told after a commit that created tasks, so that they start at once. */
    public void onTasksCreated(Runnable listener) { this.tasksCreated = listener; }

    /** Whether responses carry {@code returns}. */
    public boolean showReturns() { return showReturns; }

    public GraphStore store() { return store; }

    public WalkerRegistry registry() { return registry; }

    /** Adds a listener told of every successful commit that changed existing nodes. */
    public void onCommit(CommitListener listener) { commitListeners.add(listener); }

    /**
     * Runs a call that came in by name (REST, websocket): checks that the walker exists and takes this method, the
     * token, the input; then runs it. Counted and timed ({@link WalkerMetrics}), its log lines carrying the walker
     * and the root.
     */
    public WalkerResponse run(WalkerCall call) {
        WalkerType named = registry.walker(call.walker());
        WalkerType type = named == null || named.isPrivate() ? null : named;
        return observed(type == null ? null : type.name(), call.method(), call.caller(), () -> checkedRun(call, type));
    }

    /**
     * Runs a call with its walker (null: none by that name) and root in the log context, then counts and times it.
     * An exception (which the route answers 500) counts as 500.
     */
    private WalkerResponse observed(String walker, String method, Principal caller, Supplier<WalkerResponse> call) {
        long start = System.nanoTime();
        WalkerResponse response = null;
        try (LogContext.Scope scope = LogContext.with(LogContext.WALKER, walker, LogContext.ROOT_ID, caller.rootRef())) {
            response = call.get();
            return response;
        } finally {
            metrics.called(walker == null ? WalkerMetrics.UNKNOWN : walker, method, response == null ? 500 : response.status(),
                    System.nanoTime() - start);
        }
    }

    private WalkerResponse checkedRun(WalkerCall call, WalkerType type) {
        if (type == null) return error(404, "Walker " + call.walker() + " not found!");
        if (!type.methods().contains(call.method())) {
            return error(405, "Walker " + call.walker() + " does not accept " + call.method() + "!");
        }
        if (type.auth() && call.caller().isPublic()) return error(401, "Unauthorized: this walker needs a valid token");
        List<Map<String, Object>> tooLarge = WalkerInput.checkLimits(call, store.limits());
        if (!tooLarge.isEmpty()) return new WalkerResponse(422, Map.of("detail", tooLarge), "Invalid input for walker " + type.name());
        Walker first = type.newInstance();
        List<Map<String, Object>> problems = input.bind(type, first, call);
        if (!problems.isEmpty()) return new WalkerResponse(422, Map.of("detail", problems), "Invalid input for walker " + type.name());
        AsyncStarter starter = async;
        if (type.async() && starter != null) return starter.start(call, type, first);
        return attempts(call, type, first, () -> {
            Walker again = type.newInstance();
            input.bind(type, again, call);
            return again;
        }, null);
    }

    /**
     * Runs {@code walker} (any walker, private ones included: no method, token or input check) on {@code node} (null:
     * the caller's root) as {@code caller}, exactly as a call would run it: retried on conflict, committed, its
     * response shaped. {@code beforeCommit} (may be null) adds to the commit of a walk that succeeded. For
     * application code, plugins, tasks and scheduled walkers.
     */
    public WalkerResponse runAs(Principal caller, String node, String method, Walker walker, Outcome.BeforeCommit beforeCommit) {
        return runAs(caller, node, method, Map.of(), walker, beforeCommit);
    }

    /** Like {@link #runAs(Principal, String, String, Walker, Outcome.BeforeCommit)}, with per-call attributes. */
    public WalkerResponse runAs(Principal caller, String node, String method, Map<Class<?>, Object> attributes, Walker walker,
                                Outcome.BeforeCommit beforeCommit) {
        WalkerType type = registry.typeOf(walker.getClass());
        // a retry needs a fresh walker with the same input: its public fields, as they are now
        ObjectNode snapshot = store.json().toJson(walker);
        WalkerCall call = new WalkerCall(type.name(), method, caller, node, snapshot, Map.of(), Map.of(), attributes);
        return observed(type.name(), method, caller, () -> attempts(call, type, walker, () -> {
            Walker again = type.newInstance().withDocumentId(walker.documentId());
            input.bindAll(type, again, snapshot);
            return again;
        }, beforeCommit));
    }

    WalkerInput input() { return input; }

    /** Builds a walker of {@code type} from JSON fields (a task's stored input); the problems, if any, in 422 form. */
    public List<Map<String, Object>> bind(WalkerType type, Walker walker, ObjectNode fields) {
        return input.bindAll(type, walker, fields);
    }

    private WalkerResponse attempts(WalkerCall call, WalkerType type, Walker first, Supplier<Walker> again,
                                    Outcome.BeforeCommit beforeCommit) {
        // a commit that meets a newer version is refused whole: run the walker again on the new state, a few times
        Walker walker = first;
        for (int attempt = 0; ; attempt++) {
            Context context = new Context(call);
            try {
                return runOnce(call, type, walker, context, beforeCommit);
            } catch (CommitConflict conflict) {
                metrics.conflicted(type.name());
                if (context.irreversible || attempt >= conflictRetries) {
                    log.info("walker {} for {} conflicted at commit (attempt {}): {}", type.name(), call.caller().rootRef(),
                            attempt + 1, conflict.getMessage());
                    return error(409, "Conflict: another call changed the same data at the same time; nothing was saved, try again");
                }
                backOff(attempt);
                walker = again.get();
            }
        }
    }

    private WalkerResponse runOnce(WalkerCall call, WalkerType type, Walker walker, Context context,
                                   Outcome.BeforeCommit beforeCommit) {
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
            Call shared = new Call(graph, context, root, registry, store.json(), limits, type.name());
            Walk walk = new Walk(walker, type, shared);
            try {
                walk.run(start);
                if (shared.exceeded() != null) throw new WalkerFailure(500, shared.exceeded());
            } catch (WalkerFailure e) {
                if (e.getCause() != null) return internalError("walker " + type.name() + " failed for " + call.caller().rootRef(), e);
                log.warn("walker {} failed for {}: {}", type.name(), call.caller().rootRef(), LogSafe.of(e.getMessage()));
                return error(e.status(), e.getMessage());
            } catch (CommitConflict | StoreUnavailable e) {
                throw e;
            } catch (RuntimeException e) {
                return internalError("walker " + type.name() + " failed for " + call.caller().rootRef(), e);
            }
            Outcome outcome = outcome(type, walk, shared);
            WalkerResponse response = respond(outcome);
            if (response.ok()) { // an invalid status is a failure: like any failure, it writes nothing
                if (beforeCommit != null) {
                    graph.otherCodeRan();
                    beforeCommit.accept(graph, walker, outcome);
                }
                List<NodeChange> changes;
                try {
                    changes = graph.commit();
                } catch (WalkerFailure e) {
                    log.warn("walker {} could not be saved for {}: {}", type.name(), call.caller().rootRef(), e.getMessage());
                    return error(e.status(), e.getMessage());
                }
                if (!changes.isEmpty()) for (CommitListener l : commitListeners) l.committed(changes);
                if (shared.createdTasks()) tasksCreated.run();
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

    /**
     * The walk's result as JSON, made while its graph is still in scope, so that new nodes in reports have their
     * ids. The status is the walker's, else its specs' {@code statusCode}.
     */
    private Outcome outcome(WalkerType type, Walk walk, Call call) {
        int status = call.status == null ? type.specs().statusCode() : call.status;
        ObjectMapper json = store.json().response();
        ArrayNode reports = json.valueToTree(call.reports);
        ArrayNode returns = json.valueToTree(walk.returns());
        return new Outcome(status, reports, returns, call.bodySet ? json.valueToTree(call.body) : null);
    }

    private WalkerResponse respond(Outcome outcome) {
        int status = outcome.status();
        if (!validStatus(status)) {
            return error(500, "Invalid status code " + status + ": a walker may set 2xx (but 204), 4xx or 5xx");
        }
        Object body;
        if (outcome.custom() != null) {
            body = outcome.custom();
        } else {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("status", status);
            if (!outcome.reports().isEmpty()) b.put("reports", outcome.reports());
            if (showReturns) b.put("returns", outcome.returns());
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
