package io.walkerd.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.walkerd.websocket.PresenceTest.presence;
import static io.walkerd.websocket.RecoveryTest.joinRecovering;
import static io.walkerd.websocket.RecoveryTest.joinV2;
import static io.walkerd.websocket.RecoveryTest.say;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis goes away (killed) and comes back with its data (it writes every command to disk): channel messages keep
 * reaching local members, numbered by the instance under a new epoch; presence and history answer from what the
 * instance knows; and a client that recovers afterwards from before the outage is told it cannot, never given a
 * history that misses what was said meanwhile.
 */
class RedisHistoryOutageTest {

    @Test
    void historyPresenceAndRecoveryWhileRedisIsAwayAndAfter() throws Exception {
        try (PrivateRedis redis = PrivateRedis.startedPersistent();
             TwoInstances cluster = new TwoInstances(redis.url())) {
            SocketServer a = cluster.a;
            SocketServer b = cluster.b;
            String room = "outage-room";
            try (WsClient memberA = WsClient.connect(a.wsUrl() + "?v=2&channel_id=" + room);
                 WsClient memberB = WsClient.connect(b.wsUrl() + "?v=2&channel_id=" + room);
                 WsClient sender = WsClient.connect(a.wsUrl())) {
                assertThat(presence(memberA, room)).containsExactlyInAnyOrder(memberA.clientId(), memberB.clientId());

                // before: Redis numbers the channel, and a client notes where it was
                sender.send(say(room, Map.of("phase", "before")));
                JsonNode before = memberA.next();
                assertThat(memberB.next().path("offset").asLong()).isEqualTo(before.path("offset").asLong());
                String redisEpoch = before.path("epoch").asText();

                redis.kill();
                await().atMost(Duration.ofSeconds(10)).until(() -> broker(a).isDown() && broker(b).isDown());

                // during: local delivery goes on, numbered here, under another epoch
                for (int i = 1; i <= 3; i++) sender.send(say(room, Map.of("during", i)));
                long firstDuring = -1;
                String localEpoch = null;
                for (int i = 1; i <= 3; i++) {
                    JsonNode m = memberA.next();
                    assertThat(m.path("data").path("during").asInt()).isEqualTo(i);
                    assertThat(m.path("epoch").asText()).isNotEqualTo(redisEpoch);
                    if (i == 1) {
                        firstDuring = m.path("offset").asLong();
                        localEpoch = m.path("epoch").asText();
                    }
                    assertThat(m.path("epoch").asText()).isEqualTo(localEpoch);
                    assertThat(m.path("offset").asLong()).isEqualTo(firstDuring + i - 1);
                }
                // presence and history: what this instance knows
                assertThat(presence(memberA, room)).containsExactly(memberA.clientId());
                memberA.send(Map.of("type", "history", "channel_id", room));
                JsonNode history = memberA.next().path("data");
                assertThat(history.path("epoch").asText()).isEqualTo(localEpoch);
                assertThat(history.path("messages")).extracting(m -> m.path("data").path("during").asInt()).containsExactly(1, 2, 3);

                redis.start();
                await().atMost(Duration.ofSeconds(20)).until(() -> !broker(a).isDown() && !broker(b).isDown());
                awaitCrossInstance(sender, room, memberB);

                // after: recovering from before the outage, or from the outage's own epoch, is refused
                try (WsClient fromBefore = WsClient.connect(b.wsUrl() + "?v=2")) {
                    fromBefore.send(joinRecovering(room, before.path("offset").asLong(), redisEpoch));
                    JsonNode joined = fromBefore.next().path("data").path("joined").get(0);
                    assertThat(joined.path("recovered").asBoolean()).as(joined.toString()).isFalse();
                    assertThat(joined.path("epoch").asText()).isNotEqualTo(redisEpoch).isNotEqualTo(localEpoch);
                    sender.send(say(room, Map.of("phase", "after")));
                    JsonNode live = fromBefore.next();
                    assertThat(live.path("data").path("phase").asText()).as("nothing replayed before it").isEqualTo("after");
                    assertThat(live.path("epoch").asText()).isEqualTo(joined.path("epoch").asText());
                }
                try (WsClient fromDuring = WsClient.connect(a.wsUrl() + "?v=2")) {
                    fromDuring.send(joinRecovering(room, firstDuring, localEpoch));
                    assertThat(fromDuring.next().path("data").path("joined").get(0).path("recovered").asBoolean()).isFalse();
                }
                while (!memberA.next().path("data").path("phase").asText().equals("after")) { } // the probes
                // the probes just closed: their presence entries go once their closes are processed
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                        assertThat(presence(memberA, room)).containsExactlyInAnyOrder(memberA.clientId(), memberB.clientId()));
            }
        }
    }

    @Test
    void aChannelJoinedWhileRedisIsAwayGetsAPositionFromTheInstance() throws Exception {
        try (PrivateRedis redis = PrivateRedis.started();
             TwoInstances cluster = new TwoInstances(redis.url());
             WsClient c = WsClient.connect(cluster.a.wsUrl() + "?v=2")) {
            redis.kill();
            await().atMost(Duration.ofSeconds(10)).until(() -> broker(cluster.a).isDown());
            JsonNode joined = joinV2(c, "joined-during-outage");
            assertThat(joined.path("offset").asLong()).isZero();
            assertThat(joined.path("epoch").asText()).startsWith("e-");
            c.send(say("joined-during-outage", Map.of("n", 1)));
            JsonNode m = c.next();
            assertThat(m.path("offset").asLong()).isEqualTo(1);
            assertThat(m.path("epoch").asText()).isEqualTo(joined.path("epoch").asText());
        }
    }

    /** Sends probes to the channel until {@code target} (on the other instance) gets one; drains what the others got. */
    private static void awaitCrossInstance(WsClient sender, String room, WsClient target) {
        AtomicInteger probe = new AtomicInteger();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
            sender.send(say(room, Map.of("probe", probe.incrementAndGet())));
            return target.poll(Duration.ofMillis(200)) != null;
        });
    }

    private static RedisBroker broker(SocketServer s) { return (RedisBroker) s.plugin().broker(); }
}
