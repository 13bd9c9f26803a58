package io.walkerd.testing;

import io.walkerd.server.Config;
import io.walkerd.server.WalkerdServer;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Starts a real walkerd server on a free loopback port for one test class, on the store the build chose: the
 * embedded SQLite store (the default), or the MongoDB backend over the wire to an in-memory MongoDB test double
 * when the system property {@code walkerd.test.store} is {@code mongodb}. The build runs every suite on both.
 */
public final class TestServer implements AutoCloseable {
    public static final String SECRET = "test-secret-0123456789abcdef0123456789";

    private final WalkerdServer server;
    private final Map<String, String> settings;
    /** The MongoDB double this server's store lives in (mongodb runs only); it outlives {@link #restart()}. */
    private final MongoWire wire;

    private TestServer(Map<String, String> settings, MongoWire wire) {
        this.settings = settings;
        this.wire = wire;
        this.server = WalkerdServer.start(Config.of(settings));
    }

    /** The backend the build runs the suites on: {@code sqlite} or {@code mongodb}. */
    public static String backend() {
        return System.getProperty("walkerd.test.store", "sqlite").toLowerCase(Locale.ROOT);
    }

    /** In memory, on a free port. */
    public static TestServer start() { return start(Map.of()); }

    public static TestServer start(Map<String, String> overrides) {
        Map<String, String> s = settings(overrides);
        MongoWire wire = null;
        if (backend().equals("mongodb") && !s.containsKey("DATABASE_HOST")) {
            wire = new MongoWire();
            s.put("DATABASE_HOST", wire.connectionString());
        }
        try {
            return new TestServer(s, wire);
        } catch (RuntimeException e) {
            if (wire != null) wire.close();
            throw e;
        }
    }

    /**
     * A test server's settings: loopback, a free port, the embedded store in memory, a known secret, no scheduled
     * walkers (a test that wants them sets {@code SCHEDULER_ENABLED=true}); then the overrides.
     */
    public static Map<String, String> settings(Map<String, String> overrides) {
        Map<String, String> s = new HashMap<>();
        s.put("HOST", "127.0.0.1");
        s.put("PORT", "0");
        s.put("DATABASE_PATH", ":memory:");
        s.put("TOKEN_SECRET", SECRET);
        s.put("SCHEDULER_ENABLED", "false");
        s.putAll(overrides);
        return s;
    }

    /** On a store that survives {@link #restart()}: a SQLite file, or the same MongoDB double. */
    public static TestServer onFile(Path file, Map<String, String> overrides) {
        Map<String, String> s = new HashMap<>(overrides);
        s.put("DATABASE_PATH", file.toString());
        return start(s);
    }

    /** Stops this server and starts a new one with the same settings (the same store, a new port). */
    public TestServer restart() {
        server.close();
        return new TestServer(settings, wire);
    }

    public WalkerdServer server() { return server; }

    public String baseUrl() { return server.baseUrl(); }

    public String wsUrl() { return "ws://127.0.0.1:" + server.port(); }

    public Http http() { return new Http(baseUrl()); }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            if (wire != null) wire.close();
        }
    }
}
