package io.walkerd.bench.load;

import io.walkerd.bench.load.Connector.Endpoint;
import io.walkerd.server.WalkerdServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** connect, multi-channel and three-instance do their work against real walkerds (small sizes, short windows). */
class ScaleScenariosTest {
    static Loop loop;
    static Scenarios scenarios;

    @BeforeAll
    static void start() {
        loop = new Loop();
        scenarios = new Scenarios(loop, Duration.ofMillis(100), Duration.ofMillis(500));
    }

    @AfterAll
    static void stop() { loop.close(); }

    static Endpoint endpoint(WalkerdServer s) { return ProtocolScenariosTest.endpoint(s); }

    @Test
    void connectTimesEveryConnectionAndClosesThem() {
        try (WalkerdServer s = ProtocolScenariosTest.server(Map.of())) {
            Result r = scenarios.connect(endpoint(s), 300, 20);
            assertThat(r.errors()).as(r.note()).isZero();
            assertThat(r.messages()).isEqualTo(300);
            assertThat(r.msgsPerSec()).isPositive();
            assertThat(r.p50Ms()).isPositive();
            assertThat(r.p99Ms()).isGreaterThanOrEqualTo(r.p50Ms());
            assertThat(r.label()).isEqualTo("connect 20 in flight");
        }
    }

    @Test
    void multiChannelDeliversEachEventToEveryChannel() {
        try (WalkerdServer s = ProtocolScenariosTest.server(Map.of())) {
            Result r = scenarios.multiChannel(endpoint(s), 5, 20);
            assertThat(r.errors()).as(r.note()).isZero();
            assertThat(r.n()).isEqualTo(100);
            assertThat(r.messages()).isPositive();
            assertThat(r.note()).contains("names all 5 channels").doesNotContain("never arrived");
        }
    }

    @Test
    void threeInstancesDeliverEveryMessageOnceAndInOrder() {
        Map<String, String> redis = Map.of("SOCKET_REDIS_HOST", "redis://127.0.0.1:6379",
                "SOCKET_REDIS_PREFIX", "walkerd-bench-test:" + UUID.randomUUID() + ":", "SOCKET_HISTORY_META_TTL_SECONDS", "600");
        try (WalkerdServer a = ProtocolScenariosTest.server(redis); WalkerdServer b = ProtocolScenariosTest.server(redis);
             WalkerdServer c = ProtocolScenariosTest.server(redis)) {
            Result r = scenarios.threeInstance(List.of(endpoint(a), endpoint(b), endpoint(c)), 6, 10, 5);
            assertThat(r.errors()).as(r.note()).isZero();
            assertThat(r.messages()).isEqualTo(3 * 5 * 60);
            assertThat(r.note()).doesNotContain("FAILED").contains("0 duplicates, 0 missing, 0 out of order");
        }
    }
}
