package io.walkerd.walker;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.walkerd.auth.Principal;
import io.walkerd.graph.Access;
import io.walkerd.graph.AccessPolicy;
import io.walkerd.graph.RefId;
import io.walkerd.store.ChangeSet;
import io.walkerd.store.GraphStore;
import io.walkerd.store.ScheduleState;
import io.walkerd.store.Store;
import io.walkerd.store.StoreUnavailable;
import io.walkerd.store.WalkerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the walkers whose specs carry a {@link Schedule}. Every instance computes the same trigger times; at each, the
 * instances race for a lease named after the walker and the time ({@link Store#claimLease}), and only the winner runs
 * it: once per trigger across every instance sharing the store. A run starts as the super root, with the schedule's
 * {@code args} and {@code kwargs} as input; with {@code save}, its document (input and outcome) is written in the
 * same commit as its graph changes. A trigger this instance reaches more than {@code SCHEDULER_MISFIRE_GRACE_MS}
 * late, or while its previous run here is still going, is skipped.
 */
public final class Scheduler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Scheduler.class);
    /** How long a trigger's lease is kept: far longer than the grace, so that no late instance can take it again. */
    private static final Duration LEASE = Duration.ofMinutes(10);

    private final WalkerRunner runner;
    private final GraphStore graphs;
    private final Store store;
    private final String instanceId;
    private final long graceMillis;
    private final List<Plan> plans;
    private final ScheduledExecutorService timer;
    private volatile boolean closed;

    /** One scheduled walker: when it runs and with what input. */
    private record Plan(WalkerType type, Schedule spec, Trigger trigger, ObjectNode input, AtomicBoolean running) {}

    /**
     * @throws IllegalArgumentException naming the walker, when a schedule cannot be read or its input does not fit
     */
    public Scheduler(WalkerRegistry registry, WalkerRunner runner, GraphStore graphs, String instanceId, int threads,
                     long graceMillis) {
        if (threads < 1) throw new IllegalArgumentException("SCHEDULER_THREADS must be at least 1");
        this.runner = runner;
        this.graphs = graphs;
        this.store = graphs.store();
        this.instanceId = instanceId;
        this.graceMillis = graceMillis;
        List<Plan> found = new ArrayList<>();
        for (WalkerType type : registry.walkers()) {
            Schedule spec = type.schedule();
            if (spec == null) continue;
            try {
                found.add(new Plan(type, spec, Trigger.of(spec), input(type, spec), new AtomicBoolean()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("walker " + type.name() + "'s schedule: " + e.getMessage(), e);
            }
        }
        this.plans = List.copyOf(found);
        AtomicInteger n = new AtomicInteger();
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(threads, r -> {
            Thread t = new Thread(r, "walkerd-scheduler-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false); // a stop forgets the triggers to come
        this.timer = pool;
    }

    /** The walker names that run on a schedule. */
    public List<String> walkers() { return plans.stream().map(p -> p.type().name()).toList(); }

    public void start() {
        Instant now = Instant.now();
        for (Plan p : plans) {
            log.info("scheduled walker {}: {} {}", p.type().name(), p.spec().trigger(), describe(p.spec()));
            planNext(p, now);
        }
    }

    private void planNext(Plan p, Instant after) {
        if (closed) return;
        Instant next = p.trigger().next(after);
        if (next == null) return;
        long delayNanos = Math.max(0, Duration.between(Instant.now(), next).toNanos());
        try {
            timer.schedule(() -> fire(p, next), delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException stopping) {
            // closed meanwhile
        }
    }

    private void fire(Plan p, Instant at) {
        planNext(p, at);
        long late = Duration.between(at, Instant.now()).toMillis();
        if (late > graceMillis) {
            log.warn("scheduled walker {}: the trigger of {} was reached {} ms late; skipped", p.type().name(), at, late);
            return;
        }
        if (!p.running().compareAndSet(false, true)) {
            log.warn("scheduled walker {}: its run before {} is still going here; skipped", p.type().name(), at);
            return;
        }
        try {
            if (!store.claimLease("schedule:" + p.type().name() + ":" + at.toEpochMilli(), instanceId, at.plus(LEASE))) return;
            run(p, at);
        } catch (StoreUnavailable e) {
            log.warn("scheduled walker {}: the trigger of {} was skipped: {}", p.type().name(), at, e.getMessage());
        } catch (RuntimeException e) {
            log.error("scheduled walker {}: the run of {} failed", p.type().name(), at, e);
        } finally {
            p.running().set(false);
        }
    }

    private void run(Plan p, Instant at) {
        Walker walker = p.type().newInstance();
        runner.bind(p.type(), walker, p.input());
        String node = p.spec().node().isBlank() ? null : p.spec().node();
        ScheduleState ran = new ScheduleState(ScheduleState.STARTED, null, null, null, at, null, null, null, null, null);
        WalkerResponse response = runner.runAs(Principal.SUPER, node, "schedule", Map.of(ScheduledRun.class, new ScheduledRun(at)),
                walker, !p.spec().save() ? null : (graph, done, outcome) -> graph.saveWalkerDocument(document(p, done,
                        ran.completed(outcome.status(), runner.showReturns() ? outcome.returns() : null, outcome.reports(), outcome.custom()))));
        if (!response.ok()) {
            log.warn("scheduled walker {} at {}: {} {}", p.type().name(), at, response.status(), response.error());
            if (p.spec().save()) store.commit(ChangeSet.ofWalkers(List.of(document(p, walker, ran.failed(response.status(), response.error())))));
        }
    }

    private WalkerRecord document(Plan p, Walker walker, ScheduleState state) {
        return new WalkerRecord(walker.documentId(), p.type().name(), RefId.SUPER_ROOT, new AccessPolicy(Access.NO_ACCESS).toJson(),
                graphs.json().toJson(walker), state);
    }

    /** The schedule's {@code args} (fields in declared order) and {@code kwargs}, as a JSON body. */
    private ObjectNode input(WalkerType type, Schedule spec) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        List<WalkerType.InputField> fields = type.fields();
        if (spec.args().length > fields.size()) {
            throw new IllegalArgumentException(spec.args().length + " args for " + fields.size() + " input fields");
        }
        for (int i = 0; i < spec.args().length; i++) body.set(fields.get(i).name(), runner.input().scalar(fields.get(i), spec.args()[i]));
        for (String kwarg : spec.kwargs()) {
            int eq = kwarg.indexOf('=');
            if (eq < 1) throw new IllegalArgumentException("kwarg '" + kwarg + "' is not name=value");
            String name = kwarg.substring(0, eq).trim();
            WalkerType.InputField f = fields.stream().filter(x -> x.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("kwarg '" + name + "' is not an input field"));
            body.set(name, runner.input().scalar(f, kwarg.substring(eq + 1).trim()));
        }
        List<Map<String, Object>> problems = runner.bind(type, type.newInstance(), body);
        if (!problems.isEmpty()) throw new IllegalArgumentException("its input does not fit: " + problems);
        return body;
    }

    private static String describe(Schedule s) {
        return switch (s.trigger()) {
            case CRON -> "'" + s.cron() + "'";
            case INTERVAL -> s.interval() + (s.start().isBlank() ? "" : " from " + s.start());
            case DATE -> s.date();
        };
    }

    /** Stops planning triggers; a run going on finishes within {@code graceMillis}. */
    public void stop(long graceMillis) {
        closed = true;
        timer.shutdown();
        try {
            if (!timer.awaitTermination(graceMillis, TimeUnit.MILLISECONDS)) timer.shutdownNow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            timer.shutdownNow();
        }
    }

    @Override
    public void close() { stop(0); }
}
