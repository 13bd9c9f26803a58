package io.walkerd.websocket;

import io.walkerd.testing.MongoWire;
import io.walkerd.testing.TestServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Two servers in one JVM sharing one database (so a token works on both) and one Redis, with a Redis channel prefix
 * of their own so that parallel runs on the same Redis never meet.
 */
final class TwoInstances implements AutoCloseable {
    /** The shared store: a MongoDB double for mongodb runs, else one SQLite file both servers open. */
    final MongoWire mongo = TestServer.backend().equals("mongodb") ? new MongoWire() : null;
    final Path dir;
    final SocketServer a;
    final SocketServer b;

    TwoInstances(String redis) { this(redis, Map.of()); }

    /** With more settings for both instances. */
    TwoInstances(String redis, Map<String, String> more) {
        try {
            dir = Files.createTempDirectory("walkerd-two-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> settings = new HashMap<>(Map.of(
                "DATABASE_NAME", "ws" + UUID.randomUUID().toString().substring(0, 8),
                "DATABASE_PATH", dir.resolve("walkerd.db").toString(),
                "SOCKET_REDIS_HOST", redis,
                "SOCKET_REDIS_PREFIX", "walkerd-test:" + UUID.randomUUID() + ":",
                // what a test run leaves in the shared Redis goes away within minutes
                "SOCKET_HISTORY_META_TTL_SECONDS", "600"));
        if (mongo != null) settings.put("DATABASE_HOST", mongo.connectionString());
        settings.putAll(more);
        a = SocketServer.start(settings);
        b = SocketServer.start(settings);
    }

    @Override
    public void close() {
        try {
            a.close();
        } finally {
            try {
                b.close();
            } finally {
                if (mongo != null) mongo.close();
                try (var files = Files.walk(dir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                } catch (IOException ignored) {
                    // a temporary folder left behind is harmless
                }
            }
        }
    }
}
