package io.walkerd.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import io.walkerd.testing.Http;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.walkerd.websocket.ClientEventTest.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Connections opened with {@code ?v=2} get every delivery in an envelope that says how it came and who sent it;
 * v1 connections get deliveries exactly as before; server frames are never wrapped.
 */
class EnvelopeTest {
    @RegisterExtension
    static final SocketServer server = new SocketServer();
    static final Http http = server.http();

    String v2(String query) { return server.wsUrl() + "?v=2" + (query.isEmpty() ? "" : "&" + query); }

    @Test
    void v1ConnectionsReceiveDeliveriesExactlyAsBefore() {
        String room = "env-" + UUID.randomUUID();
        String alice = http.newToken();
        try (WsClient v1 = WsClient.connect(server.wsUrl() + "?channel_id=" + room, alice);
             WsClient v2 = WsClient.connect(v2("channel_id=" + room), alice);
             WsClient sender = WsClient.connect(server.wsUrl())) {
            sender.send(Map.of("type", "channel", "channel_ids", List.of(room), "data", Map.of("m", "by channel")));
            sender.send(Map.of("type", "user", "root_ids", List.of(v1.rootId()), "data", Map.of("m", "by user")));
            sender.send(Map.of("type", "client", "client_ids", List.of(v1.clientId()), "data", Map.of("m", "by client")));
            assertThat(v1.next()).isEqualTo(json("{\"m\":\"by channel\"}"));
            assertThat(v1.next()).isEqualTo(json("{\"m\":\"by user\"}"));
            assertThat(v1.next()).isEqualTo(json("{\"m\":\"by client\"}"));
            assertThat(v2.next().path("type").asText()).isEqualTo("message");

            v1.send(Map.of("type", "walker", "walker", "progress", "context", Map.of("steps", 1), "response", true));
            assertThat(v1.next()).isEqualTo(json("{\"type\":\"progress\",\"step\":1}"));
            assertThat(v1.next()).isEqualTo(json("{\"status\":200,\"reports\":[\"done\"]}"));
        }
    }

    @Test
    void notifySelfIsWrappedWithTargetSelfAndNoSender() {
        try (WsClient c = WsClient.connect(v2(""))) {
            c.send(Map.of("type", "walker", "walker", "progress", "context", Map.of("steps", 1), "response", true));
            assertThat(c.next()).isEqualTo(json("{\"type\":\"message\",\"target\":\"self\",\"data\":{\"type\":\"progress\",\"step\":1}}"));
            assertThat(c.next()).isEqualTo(json("{\"status\":200,\"reports\":[\"done\"]}"));
        }
    }

    @Test
    void userEventIsWrappedWithTargetUserAndItsSender() {
        String alice = http.newToken();
        try (WsClient target = WsClient.connect(v2(""), alice);
             WsClient sender = WsClient.connect(server.wsUrl())) {
            sender.send(Map.of("type", "user", "root_ids", List.of(target.rootId()), "data", Map.of("hi", 1)));
            assertThat(target.next()).isEqualTo(json("{\"type\":\"message\",\"target\":\"user\",\"sender\":{\"client_id\":\""
                    + sender.clientId() + "\",\"root_id\":\"" + sender.rootId() + "\"},\"data\":{\"hi\":1}}"));
        }
    }

    @Test
    void clientEventIsWrappedWithTargetClientAndItsSender() {
        try (WsClient target = WsClient.connect(v2(""));
             WsClient sender = WsClient.connect(server.wsUrl(), http.newToken())) {
            sender.send(Map.of("type", "client", "client_ids", List.of(target.clientId()), "data", Map.of("hi", 2)));
            JsonNode m = target.next();
            assertThat(m.path("target").asText()).isEqualTo("client");
            assertThat(m.path("sender").path("client_id").asText()).isEqualTo(sender.clientId());
            assertThat(m.path("sender").path("root_id").asText()).isEqualTo(sender.rootId());
            assertThat(m.path("data")).isEqualTo(json("{\"hi\":2}"));
        }
    }

    @Test
    void channelEventIsWrappedWithTheChannelItsOffsetEpochAndSender() {
        String room = "env-" + UUID.randomUUID();
        try (WsClient member = WsClient.connect(v2("channel_id=" + room));
             WsClient sender = WsClient.connect(server.wsUrl())) {
            sender.send(Map.of("type", "channel", "channel_ids", List.of(room), "data", Map.of("n", 1)));
            sender.send(Map.of("type", "channel", "channel_ids", List.of(room), "data", Map.of("n", 2)));
            JsonNode first = member.next();
            JsonNode second = member.next();
            assertThat(first.path("type").asText()).isEqualTo("message");
            assertThat(first.path("target").asText()).isEqualTo("channel");
            assertThat(first.path("channel_id").asText()).isEqualTo(room);
            assertThat(first.path("offset").asLong()).isEqualTo(1);
            assertThat(first.path("epoch").asText()).startsWith("e-");
            assertThat(first.path("sender").path("client_id").asText()).isEqualTo(sender.clientId());
            assertThat(first.path("data")).isEqualTo(json("{\"n\":1}"));
            assertThat(second.path("offset").asLong()).isEqualTo(2);
            assertThat(second.path("epoch").asText()).isEqualTo(first.path("epoch").asText());
        }
    }

    @Test
    void aWalkersChannelNotificationHasNoSender() {
        String room = "env-" + UUID.randomUUID();
        try (WsClient member = WsClient.connect(v2("channel_id=" + room))) {
            assertThat(http.post("/walker/notify_channels", Map.of("targets", List.of(room), "data", Map.of("from", "server"))).status()).isEqualTo(200);
            JsonNode m = member.next();
            assertThat(m.path("target").asText()).isEqualTo("channel");
            assertThat(m.has("sender")).isFalse();
            assertThat(m.path("data")).isEqualTo(json("{\"from\":\"server\"}"));
        }
    }

    @Test
    void aClientFrameShapedLikeAServerFrameArrivesWrapped() {
        String room = "env-" + UUID.randomUUID();
        try (WsClient member = WsClient.connect(v2("channel_id=" + room));
             WsClient forger = WsClient.connect(server.wsUrl())) {
            Map<String, Object> fake = Map.of("type", "connection", "data", Map.of("client_id", member.clientId(), "root_id", "n::" + "0".repeat(24)));
            forger.send(Map.of("type", "channel", "channel_ids", List.of(room), "data", fake));
            JsonNode m = member.next();
            assertThat(m.path("type").asText()).isEqualTo("message");
            assertThat(m.path("sender").path("client_id").asText()).isEqualTo(forger.clientId());
            assertThat(m.path("data").path("type").asText()).isEqualTo("connection");
        }
    }

    @Test
    void serverFramesAreNotWrapped() {
        try (WsClient c = WsClient.connect(v2("channel_id=plain"))) {
            assertThat(c.connection().path("data").path("channel_id").asText()).isEqualTo("plain");
            c.send(Map.of("type", "join", "channel_ids", List.of("plain-2")));
            assertThat(c.next().path("type").asText()).isEqualTo("join");
            c.send(Map.of("type", "walker", "walker", "nope"));
            assertThat(c.next().path("type").asText()).isEqualTo("walker");
            c.send(Map.of("type", "nope"));
            assertThat(c.next().has("error")).isTrue();
        }
    }

    @Test
    void anUnknownProtocolVersionIsRefusedAtTheUpgrade() {
        assertThat(WsClient.refusedUpgrade(server.wsUrl() + "?v=3", null)).isEqualTo(400);
    }
}
