package io.walkerd.websocket;

import io.walkerd.store.EmbeddedMongo;

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

    TwoInstances(String redis) {
        Map<String, String> settings = Map.of(
                "DATABASE_HOST", mongo.connectionString(),
                "DATABASE_NAME", "ws" + UUID.randomUUID().toString().substring(0, 8),
                "SOCKET_REDIS_HOST", redis,
                "SOCKET_REDIS_PREFIX", "walkerd-test:" + UUID.randomUUID() + ":");
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
