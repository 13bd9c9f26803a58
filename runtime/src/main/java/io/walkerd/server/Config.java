package io.walkerd.server;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;

/**
 * Server configuration, read from the environment (protocol.md section 6) or built in code. Plugins read their
 * own settings through {@link #get(String)}.
 */
public final class Config {
    private final Map<String, String> values;

    private Config(Map<String, String> values) { this.values = Map.copyOf(values); }

    public static Config fromEnvironment() { return new Config(System.getenv()); }

    public static Config of(Map<String, String> values) { return new Config(values); }

    /** A copy with some settings replaced. */
    public Config with(Map<String, String> overrides) {
        var m = new java.util.HashMap<>(values);
        m.putAll(overrides);
        return new Config(m);
    }

    public String get(String name) {
        String v = values.get(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    public String get(String name, String fallback) {
        String v = get(name);
        return v == null ? fallback : v;
    }

    public int getInt(String name, int fallback) {
        String v = get(name);
        if (v == null) return fallback;
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + v + "'");
        }
    }

    public long getLong(String name, long fallback) {
        String v = get(name);
        if (v == null) return fallback;
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + v + "'");
        }
    }

    public boolean getBoolean(String name, boolean fallback) {
        String v = get(name);
        return v == null ? fallback : v.equalsIgnoreCase("true") || v.equals("1") || v.equalsIgnoreCase("yes");
    }

    public String host() { return get("HOST", "0.0.0.0"); }

    public int port() { return getInt("PORT", 8000); }

    /** How many connections the kernel may hold for the server before it accepts them (the listen backlog). */
    public int acceptBacklog() { return getInt("HTTP_ACCEPT_BACKLOG", 1024); }

    /** MongoDB connection string; null for the embedded store. */
    public String databaseHost() { return get("DATABASE_HOST"); }

    public String databaseName() { return get("DATABASE_NAME", "jaseci"); }

    /** File of the embedded SQLite store; null for {@code :memory:} (an in-memory database that dies with the server). */
    public Path databasePath() {
        String p = get("DATABASE_PATH", "./data/walkerd.db");
        return p.equals(":memory:") ? null : Path.of(p);
    }

    /** The embedded store's durability: {@code normal} (survives a killed process) or {@code full} (survives power loss). */
    public String databaseSync() {
        String s = get("DATABASE_SYNC", "normal").toLowerCase(java.util.Locale.ROOT);
        if (!s.equals("normal") && !s.equals("full")) throw new IllegalArgumentException("DATABASE_SYNC must be normal or full, got '" + s + "'");
        return s;
    }

    /**
     * How much document text the embedded store keeps in memory, in bytes ({@code DATABASE_CACHE_MB}, default 32): reads
     * by id that find their documents there do not ask the database. 0 turns it off.
     */
    public long databaseCacheBytes() {
        long mb = getLong("DATABASE_CACHE_MB", io.walkerd.store.sqlite.SqliteStore.CACHED_TEXT >> 20);
        if (mb < 0 || mb > 1 << 20) throw new IllegalArgumentException("DATABASE_CACHE_MB must be 0..1048576, got " + mb);
        return mb << 20;
    }

    /** How deep and how large a stored value may be. */
    public io.walkerd.store.StoreLimits storeLimits() {
        return new io.walkerd.store.StoreLimits(getInt("STORE_MAX_DEPTH", 64), getLong("STORE_MAX_DOCUMENT_BYTES", 4L * 1024 * 1024));
    }

    /** How many times a walker whose commit met a conflict is run again before the call answers 409. */
    public int walkerConflictRetries() { return getInt("WALKER_CONFLICT_RETRIES", 4); }

    /** How far one walker call may go: node entries and running time. */
    public io.walkerd.walker.Limits walkerLimits() {
        return new io.walkerd.walker.Limits(getLong("WALKER_MAX_STEPS", 100_000), getLong("WALKER_TIMEOUT_MS", 30_000));
    }

    /** The largest multipart (file upload) body, in bytes. */
    public long uploadMaxBytes() { return getLong("UPLOAD_MAX_BYTES", 10L * 1024 * 1024); }

    /** How many tasks and async calls run at once on this instance. */
    public int taskWorkers() { return getInt("TASK_WORKERS", 2); }

    /** How often the store is looked at for due tasks, in milliseconds. */
    public long taskPollMillis() { return getLong("TASK_POLL_MS", 1_000); }

    /** Whether this instance runs scheduled walkers (it still runs tasks when not). */
    public boolean schedulerEnabled() { return getBoolean("SCHEDULER_ENABLED", true); }

    /** How many scheduled runs may go on at once on this instance. */
    public int schedulerThreads() { return getInt("SCHEDULER_THREADS", 2); }

    /** How late a trigger may be reached and still run, in milliseconds. */
    public long schedulerMisfireGraceMillis() { return getLong("SCHEDULER_MISFIRE_GRACE_MS", 5_000); }

    /** Shortest {@code TOKEN_SECRET} accepted: a shorter HMAC secret can be found offline from one token. */
    public static final int TOKEN_SECRET_MIN_LENGTH = 32;

    /**
     * The token secret; a random one (tokens then die with the process) when unset. A set secret shorter than
     * {@link #TOKEN_SECRET_MIN_LENGTH} characters refuses to start the server.
     */
    public String tokenSecret() {
        String s = get("TOKEN_SECRET");
        if (s != null && s.length() < TOKEN_SECRET_MIN_LENGTH) {
            throw new IllegalArgumentException("TOKEN_SECRET must be at least " + TOKEN_SECRET_MIN_LENGTH + " characters long (it has "
                    + s.length() + "): a short secret can be recovered from one token and then used to sign any token");
        }
        if (s != null) return s;
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    public String tokenAlgorithm() { return get("TOKEN_ALGORITHM", "HS256"); }

    public long tokenTimeoutHours() { return getLong("TOKEN_TIMEOUT", 12); }

    public boolean showEndpointReturns() { return getBoolean("SHOW_ENDPOINT_RETURNS", false); }

    /**
     * How the runnable server's log lines are written: {@code text} (the default) or {@code json}. Logback reads
     * the setting itself (it names the file its configuration includes); the server checks it, so that a value
     * Logback would silently log nothing with stops the start instead.
     */
    public String logFormat() {
        String f = get("LOG_FORMAT", "text");
        if (!f.equals("text") && !f.equals("json")) throw new IllegalArgumentException("LOG_FORMAT must be text or json, got '" + f + "'");
        return f;
    }

    /** Whether this server keeps meters (and serves them where {@code METRICS_TOKEN} or {@code METRICS_PORT} say). */
    public boolean metricsEnabled() { return getBoolean("METRICS_ENABLED", true); }

    /** The bearer token {@code /metrics} asks for; null when unset. */
    public String metricsToken() { return get("METRICS_TOKEN"); }

    /** The port that serves {@code /metrics} alone; -1 when unset (0: any free port). */
    public int metricsPort() {
        int port = getInt("METRICS_PORT", -1);
        if (port < -1 || port > 65_535) throw new IllegalArgumentException("METRICS_PORT must be a port number (0 to 65535), got " + port);
        return port;
    }

    /** Where the metrics port listens: loopback unless set. */
    public String metricsHost() { return get("METRICS_HOST", "127.0.0.1"); }
}
