package io.walkerd.testing;

import io.walkerd.server.Config;
import io.walkerd.server.WalkerdServer;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Starts a real walkerd server on a free loopback port, with the embedded store, for one test class. */
public final class TestServer implements AutoCloseable {
    public static final String SECRET = "test-secret-0123456789abcdef0123456789";

    private final WalkerdServer server;
    private final Map<String, String> settings;

    private TestServer(Map<String, String> settings) {
        this.settings = settings;
        this.server = WalkerdServer.start(Config.of(settings));
    }

    /** In memory, on a free port. */
    public static TestServer start() { return start(Map.of()); }

    public static TestServer start(Map<String, String> overrides) { return new TestServer(settings(overrides)); }

    /** A test server's settings: loopback, a free port, the embedded store in memory, a known secret; then the overrides. */
    public static Map<String, String> settings(Map<String, String> overrides) {
        Map<String, String> s = new HashMap<>();
        s.put("HOST", "127.0.0.1");
        s.put("PORT", "0");
        s.put("DATABASE_PATH", ":memory:");
        s.put("TOKEN_SECRET", SECRET);
        s.putAll(overrides);
        return s;
    }

    /** On a store file that survives {@link #restart()}. */
    public static TestServer onFile(Path file, Map<String, String> overrides) {
        Map<String, String> s = new HashMap<>(overrides);
        s.put("DATABASE_PATH", file.toString());
        return start(s);
    }

    /** Stops this server and starts a new one with the same settings (the same store file, a new port). */
    public TestServer restart() {
        server.close();
        return new TestServer(settings);
    }

    public WalkerdServer server() { return server; }

    public String baseUrl() { return server.baseUrl(); }

    public String wsUrl() { return "ws://127.0.0.1:" + server.port(); }

    public Http http() { return new Http(baseUrl()); }

    @Override
    public void close() { server.close(); }
}
