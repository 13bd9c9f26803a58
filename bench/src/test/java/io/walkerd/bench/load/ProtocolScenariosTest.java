package io.walkerd.bench.load;

import io.walkerd.bench.load.Connector.Endpoint;
import io.walkerd.server.Config;
import io.walkerd.server.WalkerdServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The protocol-2 scenarios do their work against real servers (small sizes, short windows). */
class ProtocolScenariosTest {
    static Loop loop;
    static Scenarios scenarios;

    @BeforeAll
    static void start() {
        loop = new Loop();
        scenarios = new Scenarios(loop, Duration.ofMillis(100), Duration.ofMillis(500));
    }

    @AfterAll
    static void stop() { loop.close(); }

    static WalkerdServer server(Map<String, String> more) {
        Map<String, String> s = new HashMap<>(Map.of("HOST", "127.0.0.1", "PORT", "0", "DATABASE_PATH", ":memory:",
                "TOKEN_SECRET", "bench-test-secret-0123456789abcdef",
                // as the bench suite runs walkerd: the scenarios measure the server, not its per-client limits
                "SOCKET_EVENTS_PER_SECOND", "0", "SOCKET_MAX_CONNECTIONS_PER_IP", "0", "SOCKET_MAX_CONNECTIONS_PER_USER", "0"));
        s.putAll(more);
        return WalkerdServer.start(Config.of(s));
    }

    static Endpoint endpoint(WalkerdServer s) { return new Endpoint("walkerd", Wire.WALKERD, "127.0.0.1", s.port()); }

    @Test
    void recoveryRecoversEveryMissedMessageOnOneInstance() {
        try (WalkerdServer s = server(Map.of("SOCKET_HISTORY_SIZE", "200"))) {
            Result r = scenarios.recovery(endpoint(s), endpoint(s), 150, 3);
            assertThat(r.errors()).as(r.note()).isZero();
            assertThat(r.messages()).isEqualTo(450);
            assertThat(r.p50Ms()).isPositive();
        }
    }

    @Test
    void recoveryAndPresenceWorkAcrossTwoInstances() {
        Map<String, String> redis = Map.of("SOCKET_REDIS_HOST", "redis://127.0.0.1:6379", "SOCKET_HISTORY_SIZE", "300",
                "SOCKET_REDIS_PREFIX", "walkerd-bench-test:" + UUID.randomUUID() + ":", "SOCKET_HISTORY_META_TTL_SECONDS", "600");
        try (WalkerdServer a = server(redis); WalkerdServer b = server(redis)) {
            // more missed messages than a connection may have events waiting: the publisher is slowed, not closed
            Result recovered = scenarios.recovery(endpoint(a), endpoint(b), 300, 2);
            assertThat(recovered.errors()).as(recovered.note()).isZero();
            assertThat(recovered.messages()).isEqualTo(600);

            // 1,000 members: the answer (about 95 KB) is longer than one frame, so it arrives in fragments
            Result presence = scenarios.presence(endpoint(a), endpoint(b), 1000);
            assertThat(presence.errors()).as(presence.note()).isZero();
            assertThat(presence.messages()).isPositive();
        }
    }
}
