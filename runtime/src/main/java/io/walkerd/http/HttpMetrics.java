package io.walkerd.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.walkerd.metrics.Metrics;

import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The meters of HTTP requests: {@code walkerd_http_requests_total{route,method,status}} and
 * {@code walkerd_http_request_duration_seconds{route,method}} (a histogram). The route is the template of the
 * endpoint that answered ({@code /walker/where_am_i/{node-ref}}), never the path a client sent, so ids in paths
 * add no series; a request no endpoint answered is {@value #UNMATCHED}, a file served from the class path
 * {@value #STATIC}; a method outside the standard ones is {@code OTHER}.
 */
public final class HttpMetrics {
    static final String UNMATCHED = "unmatched";
    static final String STATIC = "static";
    private static final String STARTED = "walkerd.http.started";
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE", "CONNECT");

    private final Meter.MeterProvider<Counter> requests;
    private final Meter.MeterProvider<Timer> duration;

    public HttpMetrics(MeterRegistry registry) {
        this.requests = Counter.builder("walkerd.http.requests")
                .description("HTTP requests by route template, method and status")
                .withRegistry(registry);
        this.duration = Timer.builder("walkerd.http.request.duration")
                .description("How long HTTP requests take to be handled, by route template and method")
                .serviceLevelObjectives(Metrics.durationBuckets())
                .withRegistry(registry);
    }

    /**
     * Times every request from the first before-handler to the after-handlers: recorded before the response is
     * written, so a client that has its answer finds it counted.
     */
    public void register(RoutesConfig routes) {
        routes.before(ctx -> ctx.attribute(STARTED, System.nanoTime()));
        routes.after(this::record);
    }

    private void record(Context ctx) {
        Long started = ctx.attribute(STARTED);
        if (started == null) return;
        String method = ctx.method().name().toUpperCase(Locale.ROOT);
        if (!METHODS.contains(method)) method = "OTHER";
        int status = ctx.statusCode();
        String route = route(ctx, status);
        requests.withTags("route", route, "method", method, "status", Integer.toString(status)).increment();
        duration.withTags("route", route, "method", method).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }

    private static String route(Context ctx, int status) {
        Endpoint endpoint = ctx.endpoints().lastHttpEndpoint();
        if (endpoint != null) return endpoint.path;
        return status == 404 || status == 405 ? UNMATCHED : STATIC;
    }
}
