package io.walkerd.metrics;

import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.walkerd.server.Config;
import io.walkerd.server.InsecureSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;

/**
 * Serves {@code /metrics} in the Prometheus text format, where the settings say: on a port of its own
 * ({@code METRICS_PORT}, listening on {@code METRICS_HOST}, loopback unless set), else on the main port when
 * {@code METRICS_TOKEN} is set, else nowhere (a start-up line says how to turn it on). Wherever it is served, a set
 * {@code METRICS_TOKEN} must come as {@code Authorization: Bearer <token>}; without it, or with another, the
 * answer is 401. Nothing is served when metrics are off ({@code METRICS_ENABLED=false}).
 */
public final class MetricsEndpoint implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MetricsEndpoint.class);
    /** What Prometheus expects of the text format (version 0.0.4). */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    static final String PATH = "/metrics";

    private final Metrics metrics;
    private final byte[] tokenDigest;
    private final int port;
    private final String host;
    private volatile Javalin own;

    public MetricsEndpoint(Config config, Metrics metrics, InsecureSettings insecure) {
        this.metrics = metrics;
        String token = config.metricsToken();
        this.tokenDigest = token == null ? null : sha256(token);
        this.port = config.metricsPort();
        this.host = config.metricsHost();
        if (metrics.enabled() && port >= 0 && token == null && !loopback(host)) {
            insecure.add("METRICS_PORT=" + port + " on METRICS_HOST=" + host + " without METRICS_TOKEN",
                    "anyone who reaches that port reads this server's metrics");
        }
    }

    /** Adds {@code /metrics} to the main port's routes when it is served there. */
    public void register(RoutesConfig routes) {
        if (metrics.enabled() && port < 0 && tokenDigest != null) routes.get(PATH, this::serve);
    }

    /** Opens the metrics port, if one is set, and says where the metrics are served. */
    public void start() {
        if (!metrics.enabled()) {
            log.info("metrics are off (METRICS_ENABLED=false): nothing is measured or served");
            return;
        }
        if (port >= 0) {
            Javalin server = Javalin.create(cfg -> {
                cfg.startup.showJavalinBanner = false;
                cfg.routes.get(PATH, this::serve);
            });
            server.start(host, port);
            own = server;
            log.info("metrics served at http://{}:{}{}{}", host, server.port(), PATH,
                    tokenDigest == null ? "" : " (bearer token METRICS_TOKEN)");
        } else if (tokenDigest != null) {
            log.info("metrics served at {} on this port (bearer token METRICS_TOKEN)", PATH);
        } else {
            log.info("metrics are kept but not served: set METRICS_TOKEN to serve {} on this port behind that bearer token, "
                    + "or METRICS_PORT to serve it on a port of its own", PATH);
        }
    }

    /** The metrics port as bound (useful when METRICS_PORT=0); -1 when there is none. */
    public int port() {
        Javalin server = own;
        return server == null ? -1 : server.port();
    }

    private void serve(Context ctx) {
        if (tokenDigest != null && !authorized(ctx.header("Authorization"))) {
            ctx.header("WWW-Authenticate", "Bearer");
            ctx.status(401).json(Map.of("error", "Unauthorized: " + PATH + " needs the metrics bearer token"));
            return;
        }
        ctx.contentType(CONTENT_TYPE).result(metrics.scrape());
    }

    /** Compares digests, so that the time taken says nothing of how much of the token, or of its length, was right. */
    private boolean authorized(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) return false;
        return MessageDigest.isEqual(tokenDigest, sha256(header.substring(7).trim()));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static boolean loopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    @Override
    public void close() {
        Javalin server = own;
        own = null;
        if (server != null) server.stop();
    }
}
