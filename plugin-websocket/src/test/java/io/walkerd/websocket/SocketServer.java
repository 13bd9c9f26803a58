package io.walkerd.websocket;

import io.walkerd.server.Config;
import io.walkerd.server.WalkerdServer;
import io.walkerd.spi.ChannelAuthorizer;
import io.walkerd.testing.Http;
import io.walkerd.testing.TestServer;
import io.walkerd.walker.WalkerRegistry;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A real server on a free port with its own {@link WebsocketPlugin} instance held by the test, so that tests can
 * look at the plugin's hub. Settings as {@link TestServer}'s, plus the given ones. Start one with {@link #start},
 * or give a test class one with {@code @RegisterExtension static final SocketServer server = new SocketServer();}.
 */
final class SocketServer implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
    private final Map<String, String> overrides;
    private final Class<? extends ChannelAuthorizer> authorizer;
    private WalkerdServer server;
    private WebsocketPlugin plugin;

    SocketServer() { this(Map.of()); }

    SocketServer(Map<String, String> overrides) { this(overrides, null); }

    /** A server whose application ships {@code authorizer} as its {@link ChannelAuthorizer} (the test class path has none). */
    SocketServer(Map<String, String> overrides, Class<? extends ChannelAuthorizer> authorizer) {
        this.overrides = overrides;
        this.authorizer = authorizer;
    }

    static SocketServer start(Map<String, String> overrides) { return start(overrides, null); }

    static SocketServer start(Map<String, String> overrides, Class<? extends ChannelAuthorizer> authorizer) {
        SocketServer s = new SocketServer(overrides, authorizer);
        s.launch();
        return s;
    }

    private void launch() {
        Map<String, String> settings = new HashMap<>(Map.of("SHUTDOWN_GRACE_MS", "5000"));
        settings.putAll(overrides);
        plugin = new WebsocketPlugin();
        Thread thread = Thread.currentThread();
        ClassLoader loader = thread.getContextClassLoader();
        // the server finds the application's authoriser with ServiceLoader on the context class loader
        thread.setContextClassLoader(authorizer == null ? loader : ServiceFiles.with(loader, ChannelAuthorizer.class, authorizer));
        try {
            server = WalkerdServer.start(Config.of(TestServer.settings(settings)), WalkerRegistry.discover(loader), List.of(plugin));
        } finally {
            thread.setContextClassLoader(loader);
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) { launch(); }

    @Override
    public void afterAll(ExtensionContext context) { close(); }

    String wsUrl() { return "ws://127.0.0.1:" + server.port() + "/websocket"; }

    /** A client for this server; usable in a static initialiser, before the server has started. */
    Http http() { return new Http(() -> server.baseUrl()); }

    WebsocketPlugin plugin() { return plugin; }

    Hub.Counts counts() { return plugin.counts(); }

    int port() { return server.port(); }

    /** The running server itself (its store, its meters, ...). */
    WalkerdServer walkerd() { return server; }

    /** The server's meters now, as {@code /metrics} would serve them. */
    Scrape scrape() { return Scrape.of(server.metrics().scrape()); }

    @Override
    public void close() {
        if (server != null) server.close();
    }
}
