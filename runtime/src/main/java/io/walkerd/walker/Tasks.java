package io.walkerd.walker;

import io.walkerd.auth.Principal;
import io.walkerd.graph.Access;
import io.walkerd.graph.AccessPolicy;
import io.walkerd.graph.Id;
import io.walkerd.graph.NodeAnchor;
import io.walkerd.graph.RefId;
import io.walkerd.store.ChangeSet;
import io.walkerd.store.GraphSession;
import io.walkerd.store.GraphStore;
import io.walkerd.store.ScheduleState;
import io.walkerd.store.Store;
import io.walkerd.store.StoreUnavailable;
import io.walkerd.store.WalkerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Walkers that run in the background: tasks ({@code createTask}) and the calls of async walkers. Each is a walker
 * document in the store whose {@code schedule} is PENDING until a worker of some instance takes it (PENDING to
 * STARTED, once across every instance sharing the store), runs it, and writes its outcome (COMPLETED with the
 * status, reports and returns, or ERROR with the reason) in the same commit as the walker's graph changes.
 *
 * <p>The store is polled every {@code TASK_POLL_MS} for due documents (what another instance created, or what a stop
 * left pending); a task created here starts at once. A task taken by an instance that then died stays STARTED.
 */
public final class Tasks implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Tasks.class);
    private static final int BATCH = 32;

    private final GraphStore graphs;
    private final Store store;
    private final WalkerRunner runner;
    private final WalkerRegistry registry;
    private final int workers;
    private final long pollMillis;
    private final ExecutorService pool;
    private final ScheduledExecutorService poller;
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicBoolean pollQueued = new AtomicBoolean();
    private volatile boolean closed;

    public Tasks(GraphStore graphs, WalkerRunner runner, WalkerRegistry registry, int workers, long pollMillis) {
        if (workers < 1) throw new IllegalArgumentException("TASK_WORKERS must be at least 1");
        if (pollMillis < 10) throw new IllegalArgumentException("TASK_POLL_MS must be at least 10");
        this.graphs = graphs;
        this.store = graphs.store();
        this.runner = runner;
        this.registry = registry;
        this.workers = workers;
        this.pollMillis = pollMillis;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(workers, r -> daemon(r, "walkerd-task-" + n.incrementAndGet()));
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "walkerd-task-poll"));
        runner.async(this::startAsync);
        runner.onTasksCreated(this::wake);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Starts polling the store for due tasks. */
    public void start() {
        poller.scheduleWithFixedDelay(this::pollQuietly, 0, pollMillis, TimeUnit.MILLISECONDS);
    }

    /** Looks for due tasks now (after a commit that created some). */
    public void wake() {
        if (closed || !pollQueued.compareAndSet(false, true)) return;
        try {
            poller.execute(() -> {
                pollQueued.set(false);
                pollQuietly();
            });
        } catch (RejectedExecutionException stopping) {
            pollQueued.set(false);
        }
    }

    /**
     * Creates a task outside a walk: {@code walker} will run on {@code node} (null: the root) as {@code as}, not before
     * {@code notBefore} (null: at once). Returns its id, {@code w:<name>:<hex>}.
     */
    public String create(Principal as, Walker walker, String node, Instant notBefore) {
        WalkerType type = registry.typeOf(walker.getClass());
        WalkerRecord document = new WalkerRecord(walker.documentId(), type.name(), as.rootId(),
                new AccessPolicy(Access.NO_ACCESS).toJson(), graphs.json().toJson(walker),
                ScheduleState.pending(node, as.rootRef(), notBefore));
        store.commit(ChangeSet.ofWalkers(List.of(document)));
        wake();
        return RefId.walker(type.name(), walker.documentId());
    }

    /** An async walker's call: checked like a call, stored PENDING, answered with its id at once. */
    private WalkerResponse startAsync(WalkerCall call, WalkerType type, Walker walker) {
        if (call.node() != null && !call.node().isEmpty()) {
            GraphSession graph = graphs.open(call.caller());
            NodeAnchor anchor = graph.find(call.node());
            if (anchor == null) return error(404, "Node " + call.node() + " not found!");
            if (!graph.accessTo(anchor).atLeast(Access.READ)) {
                return error(403, "You don't have access on target entry " + call.node() + "!");
            }
        }
        String node = call.node() == null || call.node().isEmpty() ? null : call.node();
        WalkerRecord document = new WalkerRecord(walker.documentId(), type.name(), call.caller().rootId(),
                new AccessPolicy(Access.NO_ACCESS).toJson(), graphs.json().toJson(walker),
                ScheduleState.pending(node, null, null));
        try {
            store.commit(ChangeSet.ofWalkers(List.of(document)));
        } catch (StoreUnavailable e) {
            log.error("async walker {} for {}: the store is unavailable", type.name(), call.caller().rootRef(), e);
            return error(503, "The store is unavailable; nothing was saved");
        }
        wake();
        return new WalkerResponse(200, Map.of("walker_id", RefId.walker(type.name(), walker.documentId())), null);
    }

    private void pollQuietly() {
        try {
            poll();
        } catch (StoreUnavailable e) {
            log.warn("tasks: cannot read the store: {}", e.getMessage());
        } catch (RuntimeException e) {
            log.error("tasks: polling failed", e);
        }
    }

    /** Takes due tasks while a worker is free; each is taken once across every instance. */
    private void poll() {
        while (!closed && running.get() < workers) {
            List<WalkerRecord> due = store.dueTasks(Instant.now(), BATCH);
            if (due.isEmpty()) return;
            boolean tookAny = false;
            for (WalkerRecord task : due) {
                if (closed || running.get() >= workers) return;
                Instant now = Instant.now();
                if (!store.startTask(task.id(), now)) continue; // another instance (or worker) took it
                tookAny = true;
                running.incrementAndGet();
                WalkerRecord started = new WalkerRecord(task.id(), task.name(), task.root(), task.access(), task.archetype(),
                        task.schedule().started(now));
                try {
                    pool.execute(() -> {
                        try {
                            run(started);
                        } finally {
                            running.decrementAndGet();
                            wake();
                        }
                    });
                } catch (RejectedExecutionException stopping) {
                    running.decrementAndGet();
                    return; // it stays STARTED, as a task taken by a stopped instance does
                }
            }
            if (!tookAny) return;
        }
    }

    private void run(WalkerRecord task) {
        ScheduleState schedule = task.schedule();
        WalkerType type = registry.walker(task.name());
        if (type == null) {
            fail(task, 404, "Walker " + task.name() + " not found!");
            return;
        }
        Walker walker = type.newInstance();
        List<Map<String, Object>> problems = runner.bind(type, walker, task.archetype());
        if (!problems.isEmpty()) {
            fail(task, 422, "The task's input does not fit walker " + type.name() + ": " + problems);
            return;
        }
        Id root = task.root();
        if (schedule.rootId() != null) {
            RefId ref = RefId.parse(schedule.rootId());
            if (ref != null && ref.isRoot()) root = ref.id();
        }
        try {
            // the walker keeps its own id: its document is the task's
            WalkerResponse response = runner.runAs(Principal.ofRoot(root), schedule.nodeId(), "task", walker.withDocumentId(task.id()),
                    (graph, ran, outcome) -> graph.saveWalkerDocument(new WalkerRecord(task.id(), task.name(), task.root(),
                            task.access(), graphs.json().toJson(ran), schedule.completed(outcome.status(),
                            runner.showReturns() ? outcome.returns() : null, outcome.reports(), outcome.custom()))));
            if (!response.ok()) fail(task, response.status(), response.error());
            log.info("task {} ({}) for {}: {}", task.id(), task.name(), RefId.root(root), response.status());
        } catch (RuntimeException e) {
            log.error("task {} ({}) failed", task.id(), task.name(), e);
            fail(task, 500, "The task could not be run");
        }
    }

    private void fail(WalkerRecord task, int status, String why) {
        WalkerRecord failed = new WalkerRecord(task.id(), task.name(), task.root(), task.access(), task.archetype(),
                task.schedule().failed(status, why));
        try {
            store.commit(ChangeSet.ofWalkers(List.of(failed)));
        } catch (RuntimeException e) {
            log.error("task {} ({}) failed ({}), and its outcome could not be saved", task.id(), task.name(), why, e);
        }
    }

    private static WalkerResponse error(int status, String message) {
        return new WalkerResponse(status, Map.of("error", message), message);
    }

    /** Stops taking tasks and lets running ones finish within {@code graceMillis}. */
    public void stop(long graceMillis) {
        closed = true;
        poller.shutdownNow();
        pool.shutdown();
        try {
            if (!pool.awaitTermination(graceMillis, TimeUnit.MILLISECONDS)) {
                log.warn("tasks still running after {} ms are left STARTED", graceMillis);
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pool.shutdownNow();
        }
    }

    @Override
    public void close() { stop(0); }
}
