package io.walkerd.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.walkerd.websocket.ClientEventTest.json;
import static io.walkerd.websocket.RecoveryTest.joinRecovering;
import static io.walkerd.websocket.RecoveryTest.joinV2;
import static io.walkerd.websocket.RecoveryTest.say;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * History and recovery across two instances sharing the machine's Redis: Redis numbers each channel's messages
 * before any member sees them, so members on both instances see the same offsets in the same order, and a client
 * recovers on one instance what was published on both.
 */
class RedisRecoveryTest {
    static final int SIZE = 40;
    static TwoInstances cluster;
    static SocketServer a;
    static SocketServer b;

    @BeforeAll
    static void start() {
        cluster = new TwoInstances("redis://127.0.0.1:6379", Map.of("SOCKET_HISTORY_SIZE", String.valueOf(SIZE)));
        a = cluster.a;
        b = cluster.b;
    }

    @AfterAll
    static void stop() { cluster.close(); }

    static String room() { return "rrec-" + UUID.randomUUID(); }

    @Test
    void aClientRecoversOnOneInstanceWhatWasPublishedOnBothInOrderThenLiveOnes() {
        String r = room();
        try (WsClient onA = WsClient.connect(a.wsUrl());
             WsClient onB = WsClient.connect(b.wsUrl());
             WsClient watcher = WsClient.connect(a.wsUrl() + "?v=2&channel_id=" + r)) {
            JsonNode start;
            try (WsClient c = WsClient.connect(b.wsUrl() + "?v=2")) {
                start = joinV2(c, r);
            }
            for (int i = 1; i <= 30; i++) (i % 2 == 0 ? onA : onB).send(say(r, Map.of("n", i)));
            // the order Redis gave them, as a member that stayed saw it live
            List<String> live = new ArrayList<>();
            for (int i = 1; i <= 30; i++) {
                JsonNode m = watcher.next();
                live.add(m.path("offset").asLong() + ":" + m.path("data").path("n").asInt());
            }
            try (WsClient back = WsClient.connect(a.wsUrl() + "?v=2")) {
                back.send(joinRecovering(r, start.path("offset").asLong(), start.path("epoch").asText()));
                JsonNode joined = back.next().path("data").path("joined").get(0);
                assertThat(joined.path("recovered").asBoolean()).as(joined.toString()).isTrue();
                assertThat(joined.path("offset").asLong()).isEqualTo(start.path("offset").asLong() + 30);
                List<String> recovered = new ArrayList<>();
                for (int i = 1; i <= 30; i++) {
                    JsonNode m = back.next();
                    assertThat(m.path("offset").asLong()).isEqualTo(start.path("offset").asLong() + i);
                    assertThat(m.path("epoch").asText()).isEqualTo(start.path("epoch").asText());
                    recovered.add(m.path("offset").asLong() + ":" + m.path("data").path("n").asInt());
                }
                assertThat(recovered).isEqualTo(live);
                onB.send(say(r, Map.of("n", "live from b")));
                JsonNode next = back.next();
                assertThat(next.path("offset").asLong()).isEqualTo(start.path("offset").asLong() + 31);
                assertThat(next.path("data")).isEqualTo(json("{\"n\":\"live from b\"}"));
                onA.send(say(r, Map.of("n", "live from a")));
                assertThat(back.next().path("offset").asLong()).isEqualTo(start.path("offset").asLong() + 32);
            }
        }
    }

    @Test
    void membersOnBothInstancesSeeTheSameOffsetsInTheSameOrder() {
        String r = room();
        try (WsClient memberA = WsClient.connect(a.wsUrl() + "?v=2&channel_id=" + r);
             WsClient memberB = WsClient.connect(b.wsUrl() + "?v=2&channel_id=" + r);
             WsClient senderA = WsClient.connect(a.wsUrl());
             WsClient senderB = WsClient.connect(b.wsUrl())) {
            for (int i = 0; i < 20; i++) {
                senderA.send(say(r, Map.of("from", "a", "i", i)));
                senderB.send(say(r, Map.of("from", "b", "i", i)));
            }
            List<String> seenA = new ArrayList<>(), seenB = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                JsonNode ma = memberA.next(), mb = memberB.next();
                seenA.add(ma.path("offset").asLong() + ":" + ma.path("data"));
                seenB.add(mb.path("offset").asLong() + ":" + mb.path("data"));
            }
            assertThat(seenA).isEqualTo(seenB);
            for (int i = 1; i < 40; i++) {
                assertThat(Long.parseLong(seenA.get(i).split(":")[0])).isEqualTo(Long.parseLong(seenA.get(i - 1).split(":")[0]) + 1);
            }
        }
    }

    @Test
    void aGapLargerThanTheHistoryIsNotRecoveredAndNothingIsReplayed() {
        String r = room();
        try (WsClient sender = WsClient.connect(a.wsUrl());
             WsClient watcher = WsClient.connect(b.wsUrl() + "?channel_id=" + r)) {
            JsonNode start;
            try (WsClient c = WsClient.connect(b.wsUrl() + "?v=2")) {
                start = joinV2(c, r);
            }
            for (int i = 1; i <= SIZE + 5; i++) sender.send(say(r, Map.of("n", i)));
            for (int i = 1; i <= SIZE + 5; i++) watcher.next(); // all numbered by Redis
            try (WsClient back = WsClient.connect(b.wsUrl() + "?v=2")) {
                back.send(joinRecovering(r, start.path("offset").asLong(), start.path("epoch").asText()));
                JsonNode joined = back.next().path("data").path("joined").get(0);
                assertThat(joined.path("recovered").asBoolean()).isFalse();
                assertThat(joined.path("offset").asLong()).isEqualTo(start.path("offset").asLong() + SIZE + 5);
                sender.send(say(r, Map.of("n", "live")));
                assertThat(back.next().path("data")).isEqualTo(json("{\"n\":\"live\"}"));
            }
        }
    }

    @Test
    void joiningAChannelThatHasHistoryGivesItsPositionAndLiveMessagesGoOnThroughRedis() {
        String r = room();
        try (WsClient sender = WsClient.connect(a.wsUrl());
             WsClient member = WsClient.connect(b.wsUrl() + "?v=2&channel_id=" + r)) {
            for (int i = 1; i <= 3; i++) sender.send(say(r, Map.of("n", i)));
            for (int i = 1; i <= 3; i++) member.next();
            try (WsClient late = WsClient.connect(b.wsUrl() + "?v=2")) {
                JsonNode joined = joinV2(late, r);
                assertThat(joined.path("offset").asLong()).isEqualTo(3);
                sender.send(say(r, Map.of("n", 4)));
                JsonNode live = late.next();
                assertThat(live.path("offset").asLong()).isEqualTo(4);
                assertThat(live.path("epoch").asText()).isEqualTo(joined.path("epoch").asText());
            }
            assertThat(((RedisBroker) b.plugin().broker()).isDown()).isFalse();
        }
    }

    @Test
    void aClientThatFloodsAChannelIsSlowedDownNotClosed() {
        String r = room();
        int burst = 1000; // ten times SOCKET_MAX_PENDING_EVENTS
        try (WsClient flooder = WsClient.connect(a.wsUrl() + "?channel_id=" + r);
             WsClient member = WsClient.connect(b.wsUrl() + "?v=2&channel_id=" + r)) {
            for (int i = 0; i < burst; i++) flooder.send(say(r, Map.of("n", i)));
            for (int i = 0; i < burst; i++) {
                assertThat(flooder.next()).isEqualTo(json("{\"n\":" + i + "}"));
                assertThat(member.next().path("data").path("n").asInt()).isEqualTo(i);
            }
            assertThat(flooder.ending()).isNotDone();
        }
    }

    @Test
    void historyOnOneInstanceHasWhatWasPublishedOnTheOther() {
        String r = room();
        try (WsClient member = WsClient.connect(b.wsUrl() + "?channel_id=" + r);
             WsClient sender = WsClient.connect(a.wsUrl())) {
            for (int i = 1; i <= 3; i++) sender.send(say(r, Map.of("n", i)));
            for (int i = 1; i <= 3; i++) member.next();
            member.send(Map.of("type", "history", "channel_id", r));
            JsonNode data = member.next().path("data");
            assertThat(data.path("offset").asLong()).isEqualTo(3);
            assertThat(data.path("messages")).extracting(m -> m.path("data").path("n").asInt()).containsExactly(1, 2, 3);
            assertThat(data.path("messages").get(0).path("sender").path("client_id").asText()).isEqualTo(sender.clientId());
        }
    }

    @Test
    void aWalkersChannelNotificationReachesItsOwnConnectionBeforeItsResponse() {
        String r = room();
        try (WsClient caller = WsClient.connect(a.wsUrl() + "?channel_id=" + r)) {
            caller.send(Map.of("type", "walker", "walker", "notify_channels", "response", true,
                    "context", Map.of("targets", List.of(r), "data", Map.of("to", "room"))));
            assertThat(caller.next()).isEqualTo(json("{\"to\":\"room\"}"));
            assertThat(caller.next()).isEqualTo(json("{\"status\":200}"));
        }
    }

    @Test
    void aClientsChannelEventStaysBeforeWhatItSendsNext() {
        String r = room();
        try (WsClient c = WsClient.connect(a.wsUrl() + "?channel_id=" + r)) {
            for (int i = 0; i < 20; i++) {
                c.send(say(r, Map.of("n", i)));
                c.send(Map.of("type", "client", "client_ids", List.of(c.clientId()), "data", Map.of("after", i)));
            }
            for (int i = 0; i < 20; i++) {
                assertThat(c.next()).isEqualTo(json("{\"n\":" + i + "}"));
                assertThat(c.next()).isEqualTo(json("{\"after\":" + i + "}"));
            }
        }
    }
}
