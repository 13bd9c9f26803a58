package io.walkerd.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.Map;

/**
 * A {@link TestServer} for one test class: {@code @RegisterExtension static final LiveServer server = new LiveServer();}
 * starts it before the class's tests and stops it after them.
 */
public final class LiveServer implements BeforeAllCallback, AfterAllCallback {
    private final Map<String, String> settings;
    private TestServer server;

    public LiveServer() { this(Map.of()); }

    public LiveServer(Map<String, String> settings) { this.settings = settings; }

    @Override
    public void beforeAll(ExtensionContext context) { server = TestServer.start(settings); }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) server.close();
    }

    public TestServer server() { return server; }

    /** The running server itself (its registry, store, ...). */
    public io.walkerd.server.WalkerdServer walkerd() { return server.server(); }

    /** A client for this server; usable in a static initialiser, before the server has started. */
    public Http http() { return new Http(this::baseUrl); }

    public String baseUrl() { return server.baseUrl(); }

    public String wsUrl() { return server.wsUrl(); }
}
