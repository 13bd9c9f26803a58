package io.walkerd.walker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.walkerd.metrics.Metrics;

import java.util.Set;

/**
 * The meters of walker calls: {@code walkerd_walker_calls_total{walker,via,status}},
 * {@code walkerd_walker_duration_seconds{walker}} (a histogram) and {@code walkerd_walker_conflicts_total{walker}}.
 * Labels stay bounded: a walker's name is one the application declares (a name nobody declared is
 * {@value #UNKNOWN}), {@code via} one of a few transports, {@code status} an HTTP status.
 */
public final class WalkerMetrics {
    /** The walker label of a call to a walker that does not exist (or is private): the name came from the client. */
    public static final String UNKNOWN = "unknown";
    private static final Set<String> HTTP_METHODS = Set.of("get", "post", "put", "patch", "delete", "head", "options");

    private final Meter.MeterProvider<Counter> calls;
    private final Meter.MeterProvider<Timer> duration;
    private final Meter.MeterProvider<Counter> conflicts;

    public WalkerMetrics(MeterRegistry registry) {
        this.calls = Counter.builder("walkerd.walker.calls")
                .description("Walker calls by walker, transport (rest, websocket, task, schedule, internal) and status")
                .withRegistry(registry);
        this.duration = Timer.builder("walkerd.walker.duration")
                .description("How long walker calls take, conflict retries included")
                .serviceLevelObjectives(Metrics.durationBuckets())
                .withRegistry(registry);
        this.conflicts = Counter.builder("walkerd.walker.conflicts")
                .description("Commits refused because another call changed the same data (each is retried, or answers 409)")
                .withRegistry(registry);
    }

    /**
     * How a call reached the runner, from its method: an HTTP method is {@code rest}; {@code websocket},
     * {@code task} and {@code schedule} are the transports that call with those names; anything else (application
     * code through the {@code Walkers} service, a plugin) is {@code internal}.
     */
    static String via(String method) {
        if (method == null) return "internal";
        if (HTTP_METHODS.contains(method)) return "rest";
        return switch (method) {
            case "websocket", "task", "schedule" -> method;
            default -> "internal";
        };
    }

    void called(String walker, String method, int status, long nanos) {
        calls.withTags("walker", walker, "via", via(method), "status", Integer.toString(status)).increment();
        duration.withTags("walker", walker).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    void conflicted(String walker) { conflicts.withTags("walker", walker).increment(); }
}
