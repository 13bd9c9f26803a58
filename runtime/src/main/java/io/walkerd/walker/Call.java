package io.walkerd.walker;

import io.walkerd.graph.ArchetypeJson;
import io.walkerd.graph.Root;
import io.walkerd.store.GraphSession;

import java.util.ArrayList;
import java.util.List;

/**
 * What every walk of one call shares: the graph session (so a spawned walker's changes commit with its spawner's),
 * the response being built (reports, status, body), and the step and time budget of {@link Limits}.
 */
final class Call {
    final GraphSession graph;
    final WalkContext context;
    final Root root;
    final WalkerRegistry registry;
    final ArchetypeJson json;
    private final Limits limits;
    private final long deadline;
    private final String walkerName;
    private long steps;
    /** Set once a limit was passed: the call fails even if walker code caught the failure and went on. */
    private String exceeded;
    private boolean createdTasks;

    final List<Object> reports = new ArrayList<>();
    Integer status;
    Object body;
    boolean bodySet;

    Call(GraphSession graph, WalkContext context, Root root, WalkerRegistry registry, ArchetypeJson json, Limits limits,
         String walkerName) {
        this.graph = graph;
        this.context = context;
        this.root = root;
        this.registry = registry;
        this.json = json;
        this.limits = limits;
        this.walkerName = walkerName;
        this.deadline = System.nanoTime() + limits.timeoutMillis() * 1_000_000L;
    }

    /** Counts a node entry; fails past {@code WALKER_MAX_STEPS} or the deadline. */
    void step() {
        if (++steps > limits.maxSteps()) {
            exceed("it entered more than " + limits.maxSteps() + " nodes (WALKER_MAX_STEPS)");
        }
        checkTime();
    }

    /** Fails when a visit would queue more nodes than the steps left could ever enter. */
    void checkQueue(int queued) {
        if (steps + queued >= limits.maxSteps()) {
            exceed("it queued more nodes than WALKER_MAX_STEPS (" + limits.maxSteps() + ") allows it to enter");
        }
    }

    /** Fails past the deadline ({@code WALKER_TIMEOUT_MS}). */
    void checkTime() {
        if (exceeded != null) throw new WalkerFailure(500, exceeded);
        if (System.nanoTime() - deadline > 0) exceed("it ran longer than " + limits.timeoutMillis() + " ms (WALKER_TIMEOUT_MS)");
    }

    private void exceed(String why) {
        exceeded = "Walker " + walkerName + " was stopped: " + why + "; nothing was saved";
        throw new WalkerFailure(500, exceeded);
    }

    /** The limit that stopped the call, or null. */
    String exceeded() { return exceeded; }

    void tasksCreated() { createdTasks = true; }

    boolean createdTasks() { return createdTasks; }
}
