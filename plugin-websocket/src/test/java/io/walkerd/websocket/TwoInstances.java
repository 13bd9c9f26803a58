package io.walkerd.websocket;

import io.walkerd.store.EmbeddedMongo;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Two servers in one JVM sharing one database (so a token works on both) and one Redis, with a Redis channel prefix
 * of their own so that parallel runs on the same Redis never meet.
 */
final class TwoInstances implements AutoCloseable {
    final EmbeddedMongo mongo = new EmbeddedMongo(null);
    final SocketServer a;
    final SocketServer b;

    TwoInstances(String redis) { this(redis, Map.of()); }

    /** With more settings for both instances. */
    TwoInstances(String redis, Map<String, String> more) {
        Map<String, String> settings = new HashMap<>(Map.of(
                "DATABASE_HOST", mongo.connectionString(),
                "DATABASE_NAME", "ws" + UUID.randomUUID().toString().substring(0, 8),
                "SOCKET_REDIS_HOST", redis,
                "SOCKET_REDIS_PREFIX", "walkerd-test:" + UUID.randomUUID() + ":",
                // what a test run leaves in the shared Redis goes away within minutes
                "SOCKET_HISTORY_META_TTL_SECONDS", "600"));
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
                mongo.close();
            }
        }
    }
}
