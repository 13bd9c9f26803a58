package io.walkerd.websocket;

import io.walkerd.server.Config;
import io.walkerd.server.WalkerdServer;
import io.walkerd.testing.Http;
import io.walkerd.testing.TestServer;
import io.walkerd.walker.WalkerRegistry;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A real server on a free port with its own {@link WebsocketPlugin} instance held by the test, so that tests can
 * look at the plugin's hub. Settings as {@link TestServer}'s, plus the given ones.
 */
final class SocketServer implements AutoCloseable {
    private final WalkerdServer server;
    private final WebsocketPlugin plugin;

    private SocketServer(WalkerdServer server, WebsocketPlugin plugin) {
        this.server = server;
        this.plugin = plugin;
    }

    static SocketServer start() { return start(Map.of()); }

    static SocketServer start(Map<String, String> overrides) {
        Map<String, String> s = new HashMap<>();
        s.put("HOST", "127.0.0.1");
        s.put("PORT", "0");
        s.put("DATABASE_PATH", ":memory:");
        s.put("TOKEN_SECRET", TestServer.SECRET);
        s.put("SHUTDOWN_GRACE_MS", "5000");
        s.putAll(overrides);
        WebsocketPlugin plugin = new WebsocketPlugin();
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return new SocketServer(WalkerdServer.start(Config.of(s), WalkerRegistry.discover(loader), List.of(plugin)), plugin);
    }

    String wsUrl() { return "ws://127.0.0.1:" + server.port() + "/websocket"; }

    Http http() { return new Http(server.baseUrl()); }

    WebsocketPlugin plugin() { return plugin; }

    Hub.Counts counts() { return plugin.counts(); }

    int port() { return server.port(); }

    @Override
    public void close() { server.close(); }
}
