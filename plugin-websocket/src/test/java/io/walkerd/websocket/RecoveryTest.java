package io.walkerd.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.walkerd.websocket.ClientEventTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * History and recovery on one instance (in memory): a client that comes back and joins with its last offset gets
 * exactly what it missed, in order, before anything newer; when the history cannot fill the gap it is told so and
 * gets nothing replayed.
 */
class RecoveryTest {
    static final int SIZE = 50;
    @RegisterExtension
    static final SocketServer server = new SocketServer(Map.of("SOCKET_HISTORY_SIZE", String.valueOf(SIZE)));

    static String room() { return "rec-" + UUID.randomUUID(); }

    static Map<String, Object> say(String room, Object data) {
        return Map.of("type", "channel", "channel_ids", List.of(room), "data", data);
    }

    static Map<String, Object> joinRecovering(String room, long offset, String epoch) {
        return Map.of("type", "join", "channel_ids", List.of(room),
                "recover", Map.of(room, Map.of("offset", offset, "epoch", epoch)));
    }

    /** Joins {@code room} on a v2 connection; returns the join reply's entry for it. */
    static JsonNode joinV2(WsClient c, String room) {
        c.send(Map.of("type", "join", "channel_ids", List.of(room)));
        return c.next().path("data").path("joined").get(0);
    }

    @Test
    void aClientThatComesBackGetsExactlyWhatItMissedInOrderThenLiveMessages() {
        String r = room();
        try (WsClient sender = WsClient.connect(server.wsUrl())) {
            long last;
            String epoch;
            try (WsClient c = WsClient.connect(server.wsUrl() + "?v=2")) {
                joinV2(c, r);
                sender.send(say(r, Map.of("n", 0)));
                JsonNode seen = c.next();
                last = seen.path("offset").asLong();
                epoch = seen.path("epoch").asText();
            }
            for (int i = 1; i <= 30; i++) sender.send(say(r, Map.of("n", i)));
            sender.send(Map.of("type", "connection"));
            sender.next(); // the sender's events are handled in order: all 30 are published

            try (WsClient back = WsClient.connect(server.wsUrl() + "?v=2")) {
                back.send(joinRecovering(r, last, epoch));
                JsonNode joined = back.next().path("data").path("joined").get(0);
                assertThat(joined.path("recovered").asBoolean()).isTrue();
                assertThat(joined.path("offset").asLong()).isEqualTo(last + 30);
                assertThat(joined.path("epoch").asText()).isEqualTo(epoch);
                for (int i = 1; i <= 30; i++) {
                    JsonNode m = back.next();
                    assertThat(m.path("offset").asLong()).isEqualTo(last + i);
                    assertThat(m.path("data")).isEqualTo(json("{\"n\":" + i + "}"));
                    assertThat(m.path("sender").path("client_id").asText()).isEqualTo(sender.clientId());
                }
                sender.send(say(r, Map.of("n", "live")));
                JsonNode live = back.next();
                assertThat(live.path("offset").asLong()).isEqualTo(last + 31);
                assertThat(live.path("data")).isEqualTo(json("{\"n\":\"live\"}"));
            }
        }
    }

    @Test
    void recoveringWhileOthersPublishLosesNothingAndRepeatsNothing() throws Exception {
        String r = room();
        try (WsClient sender = WsClient.connect(server.wsUrl());
             WsClient first = WsClient.connect(server.wsUrl() + "?v=2")) {
            JsonNode start = joinV2(first, r);
            String epoch = start.path("epoch").asText();
            first.close();
            AtomicBoolean publishing = new AtomicBoolean(true);
            AtomicInteger sent = new AtomicInteger();
            Thread publisher = new Thread(() -> {
                while (publishing.get() && sent.get() < SIZE - 5) sender.send(say(r, Map.of("n", sent.incrementAndGet())));
            });
            publisher.start();
            await().until(() -> sent.get() >= 5);
            try (WsClient back = WsClient.connect(server.wsUrl() + "?v=2")) {
                back.send(joinRecovering(r, start.path("offset").asLong(), epoch));
                assertThat(back.next().path("data").path("joined").get(0).path("recovered").asBoolean()).isTrue();
                publishing.set(false);
                publisher.join();
                sender.send(say(r, Map.of("n", "end")));
                List<Long> offsets = new ArrayList<>();
                JsonNode m;
                while (!(m = back.next()).path("data").equals(json("{\"n\":\"end\"}"))) offsets.add(m.path("offset").asLong());
                assertThat(offsets).hasSize(sent.get());
                for (int i = 0; i < offsets.size(); i++) assertThat(offsets.get(i)).isEqualTo(start.path("offset").asLong() + 1 + i);
            }
        }
    }

    @Test
    void aGapLargerThanTheHistoryIsNotRecoveredAndNothingIsReplayed() {
        String r = room();
        try (WsClient sender = WsClient.connect(server.wsUrl());
             WsClient c = WsClient.connect(server.wsUrl() + "?v=2")) {
            JsonNode start = joinV2(c, r);
            c.close();
            for (int i = 1; i <= SIZE + 10; i++) sender.send(say(r, Map.of("n", i)));
            sender.send(Map.of("type", "connection"));
            sender.next();
            try (WsClient back = WsClient.connect(server.wsUrl() + "?v=2")) {
                back.send(joinRecovering(r, start.path("offset").asLong(), start.path("epoch").asText()));
                JsonNode joined = back.next().path("data").path("joined").get(0);
                assertThat(joined.path("recovered").asBoolean()).isFalse();
                assertThat(joined.path("offset").asLong()).isEqualTo(start.path("offset").asLong() + SIZE + 10);
                sender.send(say(r, Map.of("n", "live")));
                assertThat(back.next().path("data")).isEqualTo(json("{\"n\":\"live\"}"));
            }
        }
    }

    @Test
    void anotherEpochIsNotRecovered() {
        String r = room();
        try (WsClient sender = WsClient.connect(server.wsUrl());
             WsClient c = WsClient.connect(server.wsUrl() + "?v=2")) {
            joinV2(c, r);
            sender.send(say(r, Map.of("n", 1)));
            c.next();
            try (WsClient back = WsClient.connect(server.wsUrl() + "?v=2")) {
                back.send(joinRecovering(r, 0, "e-000000000000"));
                assertThat(back.next().path("data").path("joined").get(0).path("recovered").asBoolean()).isFalse();
                sender.send(say(r, Map.of("n", 2)));
                assertThat(back.next().path("data")).isEqualTo(json("{\"n\":2}"));
            }
        }
    }

    @Test
    void rejoiningTheChannelOfTheQueryWithRecoverReplaysWhatItMissed() {
        String r = room();
        try (WsClient sender = WsClient.connect(server.wsUrl())) {
            JsonNode start;
            try (WsClient c = WsClient.connect(server.wsUrl() + "?v=2&channel_id=" + r)) {
                start = joinV2(c, r); // already in it: the reply gives its position
            }
            for (int i = 1; i <= 3; i++) sender.send(say(r, Map.of("n", i)));
            sender.send(Map.of("type", "connection"));
            sender.next();
            try (WsClient back = WsClient.connect(server.wsUrl() + "?v=2&channel_id=" + r)) {
                back.send(joinRecovering(r, start.path("offset").asLong(), start.path("epoch").asText()));
                assertThat(back.next().path("data").path("joined").get(0).path("recovered").asBoolean()).isTrue();
                for (int i = 1; i <= 3; i++) assertThat(back.next().path("data")).isEqualTo(json("{\"n\":" + i + "}"));
                sender.send(say(r, Map.of("n", 4)));
                assertThat(back.next().path("data")).isEqualTo(json("{\"n\":4}"));
            }
        }
    }

    @Test
    void aV1ClientRecoversWithTheOffsetOfItsJoinReply() {
        String r = room();
        try (WsClient sender = WsClient.connect(server.wsUrl())) {
            JsonNode start;
            try (WsClient c = WsClient.connect(server.wsUrl())) {
                start = joinV2(c, r);
            }
            sender.send(say(r, Map.of("n", 1)));
            sender.send(Map.of("type", "connection"));
            sender.next();
            try (WsClient back = WsClient.connect(server.wsUrl())) {
                back.send(joinRecovering(r, start.path("offset").asLong(), start.path("epoch").asText()));
                assertThat(back.next().path("data").path("joined").get(0).path("recovered").asBoolean()).isTrue();
                assertThat(back.next()).isEqualTo(json("{\"n\":1}"));
            }
        }
    }

    @Test
    void historyGivesTheMessagesAfterAnOffset() {
        String r = room();
        try (WsClient c = WsClient.connect(server.wsUrl() + "?v=2");
             WsClient sender = WsClient.connect(server.wsUrl())) {
            JsonNode start = joinV2(c, r);
            for (int i = 1; i <= 5; i++) sender.send(say(r, Map.of("n", i)));
            for (int i = 1; i <= 5; i++) c.next();
            c.send(Map.of("type", "history", "channel_id", r, "limit", 2,
                    "since", Map.of("offset", start.path("offset").asLong() + 1, "epoch", start.path("epoch").asText())));
            JsonNode data = c.next().path("data");
            assertThat(data.path("channel_id").asText()).isEqualTo(r);
            assertThat(data.path("epoch").asText()).isEqualTo(start.path("epoch").asText());
            assertThat(data.path("offset").asLong()).isEqualTo(start.path("offset").asLong() + 5);
            assertThat(data.path("recovered").asBoolean()).isTrue();
            JsonNode messages = data.path("messages");
            assertThat(messages).hasSize(2);
            assertThat(messages.get(0).path("offset").asLong()).isEqualTo(start.path("offset").asLong() + 2);
            assertThat(messages.get(0).path("data")).isEqualTo(json("{\"n\":2}"));
            assertThat(messages.get(0).path("sender").path("client_id").asText()).isEqualTo(sender.clientId());
            assertThat(messages.get(1).path("data")).isEqualTo(json("{\"n\":3}"));
        }
    }

    @Test
    void historyWithoutSinceGivesTheLatestMessages() {
        String r = room();
        try (WsClient c = WsClient.connect(server.wsUrl() + "?channel_id=" + r)) {
            for (int i = 1; i <= 4; i++) c.send(say(r, Map.of("n", i)));
            for (int i = 1; i <= 4; i++) c.next();
            c.send(Map.of("type", "history", "channel_id", r, "limit", 3));
            JsonNode data = c.next().path("data");
            assertThat(data.has("recovered")).isFalse();
            assertThat(data.path("messages")).extracting(m -> m.path("data").path("n").asInt()).containsExactly(2, 3, 4);
        }
    }

    @Test
    void historyIsForMembersOnly() {
        try (WsClient c = WsClient.connect(server.wsUrl())) {
            c.send(Map.of("type", "history", "channel_id", "not-mine"));
            JsonNode e = c.next().path("error").get(0);
            assertThat(e.path("type").asText()).isEqualTo("not_member");
            assertThat(e.path("loc")).isEqualTo(json("[\"channel_id\"]"));
            c.send(Map.of("type", "presence", "channel_id", "not-mine"));
            assertThat(c.next().path("error").get(0).path("type").asText()).isEqualTo("not_member");
        }
    }
}
