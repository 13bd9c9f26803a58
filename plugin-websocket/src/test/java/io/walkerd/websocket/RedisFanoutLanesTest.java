package io.walkerd.websocket;

import org.junit.jupiter.api.BeforeAll;

import java.util.Map;

/**
 * {@link RedisFanoutTest} on instances with three lanes ({@code SOCKET_LANES=3}): what comes from Redis (channel,
 * user and client messages alike) is handed to every lane, and each reaches the connections of its own share.
 */
class RedisFanoutLanesTest extends RedisFanoutTest {
    @BeforeAll
    static void start() {
        cluster = new TwoInstances("redis://127.0.0.1:6379", Map.of("SOCKET_LANES", "3"));
        a = cluster.a;
        b = cluster.b;
        http = a.http();
    }
}
