package io.walkerd.websocket;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.walkerd.websocket.ClientEventTest.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The broker's meters on two instances sharing the machine's Redis: one user event from A to a user on B is one
 * publish on A (timed) and one message received on B; both see Redis up. Outages are in {@link RedisOutageTest}.
 */
class RedisMetersTest {
    static TwoInstances cluster;

    @BeforeAll
    static void start() { cluster = new TwoInstances("redis://127.0.0.1:6379"); }

    @AfterAll
    static void stop() { cluster.close(); }

    @Test
    void aUserEventFromAToAUserOnBIsOnePublishOnAAndOneReceivedOnB() {
        SocketServer a = cluster.a;
        SocketServer b = cluster.b;
        String alice = a.http().newToken();
        try (WsClient onB = WsClient.connect(b.wsUrl(), alice);
             WsClient sender = WsClient.connect(a.wsUrl())) {
            Scrape beforeA = a.scrape();
            Scrape beforeB = b.scrape();

            sender.send(Map.of("type", "user", "root_ids", List.of(onB.rootId()), "data", Map.of("n", 1)));
            assertThat(onB.next()).isEqualTo(json("{\"n\":1}"));

            Scrape afterA = a.scrape();
            Scrape afterB = b.scrape();
            assertThat(afterA.since(beforeA, "walkerd_broker_publish_total")).isEqualTo(1);
            assertThat(afterA.since(beforeA, "walkerd_broker_publish_duration_seconds_count")).isEqualTo(1);
            assertThat(afterA.since(beforeA, "walkerd_broker_publish_failures_total")).isZero();
            assertThat(afterA.since(beforeA, "walkerd_broker_received_total")).isZero();
            assertThat(afterB.since(beforeB, "walkerd_broker_received_total")).isEqualTo(1);
            assertThat(afterB.since(beforeB, "walkerd_broker_publish_total")).isZero();
            for (Scrape s : List.of(afterA, afterB)) {
                assertThat(s.value("walkerd_broker_up")).isEqualTo(1);
                assertThat(s.value("walkerd_broker_subscriptions")).isGreaterThanOrEqualTo(3); // client, user, channel
            }
            assertThat(afterB.value("walkerd_ws_connections{auth=\"authenticated\"}")).isEqualTo(1);
            assertThat(afterA.text()).doesNotContain(onB.rootId()).doesNotContain(sender.clientId());
        }
    }
}
