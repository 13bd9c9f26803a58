package io.walkerd.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.walkerd.server.Config;

import java.time.Duration;

/**
 * One server's meters. On ({@code METRICS_ENABLED}, the default): a Prometheus registry with the JVM's own meters,
 * scraped at {@code /metrics}. Off: a registry without backends, whose meters record nothing and cost next to nothing,
 * so instrumented code never asks whether metrics are on. Owned by the server (two servers in one JVM keep apart).
 */
public final class Metrics implements AutoCloseable {
    // 1 ms to 30 s (the default WALKER_TIMEOUT_MS), about 2.5x apart: few enough that a histogram per route or
    // walker stays cheap to scrape and to store
    private static final Duration[] DURATION_BUCKETS = {
            Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)};

    /** The bucket bounds of walkerd's duration histograms (for {@code Timer.Builder.serviceLevelObjectives}). */
    public static Duration[] durationBuckets() { return DURATION_BUCKETS.clone(); }

    private final MeterRegistry registry;
    private final PrometheusMeterRegistry prometheus;
    private final JvmGcMetrics gc;

    private Metrics(PrometheusMeterRegistry prometheus) {
        this.prometheus = prometheus;
        if (prometheus == null) {
            this.registry = new CompositeMeterRegistry();
            this.gc = null;
            return;
        }
        this.registry = prometheus;
        new JvmMemoryMetrics().bindTo(prometheus);
        new JvmThreadMetrics().bindTo(prometheus);
        new ClassLoaderMetrics().bindTo(prometheus);
        new ProcessorMetrics().bindTo(prometheus);
        new UptimeMetrics().bindTo(prometheus);
        this.gc = new JvmGcMetrics();
        gc.bindTo(prometheus);
    }

    /** On unless {@code METRICS_ENABLED=false}. */
    public static Metrics from(Config config) {
        return config.metricsEnabled() ? on() : off();
    }

    public static Metrics on() { return new Metrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)); }

    /** Meters that record nothing. */
    public static Metrics off() { return new Metrics(null); }

    /** Where instrumented code registers its meters (names {@code walkerd_*}, bounded labels: never ids). */
    public MeterRegistry registry() { return registry; }

    public boolean enabled() { return prometheus != null; }

    /** Every meter in the Prometheus text format; empty when metrics are off. */
    public String scrape() { return prometheus == null ? "" : prometheus.scrape(); }

    @Override
    public void close() {
        if (gc != null) gc.close();
        registry.close();
    }
}
