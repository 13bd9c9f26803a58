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

/** Protocol 2's {@code join} and {@code leave}: many channels per connection, a limit, and a check at every join. */
class JoinLeaveTest {
    @RegisterExtension
    static final SocketServer server = new SocketServer(Map.of("SOCKET_MAX_CHANNELS", "3"));
    static final Http http = server.http();

    static String room() { return "room-" + UUID.randomUUID(); }

    static Map<String, Object> join(String... channels) { return Map.of("type", "join", "channel_ids", List.of(channels)); }

    @Test
    void joinReportsEachChannelWithItsPosition() {
        String a = room(), b = room();
        try (WsClient c = WsClient.connect(server.wsUrl())) {
            c.send(join(a, b));
            JsonNode reply = c.next();
            assertThat(reply.path("type").asText()).isEqualTo("join");
            JsonNode joined = reply.path("data").path("joined");
            assertThat(joined).hasSize(2);
            assertThat(joined.get(0).path("channel_id").asText()).isEqualTo(a);
            assertThat(joined.get(0).path("offset").asLong()).isZero();
            assertThat(joined.get(0).path("epoch").asText()).startsWith("e-");
            assertThat(joined.get(1).path("channel_id").asText()).isEqualTo(b);
            assertThat(reply.path("data").path("denied")).isEmpty();
        }
    }

    @Test
    void aChannelEventReachesMembersWhoJoinedByJoinAndByQuery() {
        String r = room();
        try (WsClient byQuery = WsClient.connect(server.wsUrl() + "?channel_id=" + r);
             WsClient byJoin = WsClient.connect(server.wsUrl());
             WsClient sender = WsClient.connect(server.wsUrl())) {
            byJoin.send(join(r));
            byJoin.next();
            sender.send(Map.of("type", "channel", "channel_ids", List.of(r), "data", Map.of("hello", "room")));
            assertThat(byQuery.next()).isEqualTo(json("{\"hello\":\"room\"}"));
            assertThat(byJoin.next()).isEqualTo(json("{\"hello\":\"room\"}"));
        }
    }

    @Test
    void aWalkerNotificationReachesMembersWhoJoined() {
        String r = room();
        try (WsClient member = WsClient.connect(server.wsUrl())) {
            member.send(join(r));
            member.next();
            assertThat(http.post("/walker/notify_channels", Map.of("targets", List.of(r), "data", Map.of("n", 1))).status()).isEqualTo(200);
            assertThat(member.next()).isEqualTo(json("{\"n\":1}"));
        }
    }

    @Test
    void afterLeaveNothingOfThatChannelArrives() {
        String r = room(), fence = room();
        try (WsClient c = WsClient.connect(server.wsUrl());
             WsClient sender = WsClient.connect(server.wsUrl())) {
            c.send(join(r, fence));
            c.next();
            c.send(Map.of("type", "leave", "channel_ids", List.of(r)));
            assertThat(c.next()).isEqualTo(json("{\"type\":\"leave\",\"data\":{\"left\":[\"" + r + "\"]}}"));
            sender.send(Map.of("type", "channel", "channel_ids", List.of(r), "data", Map.of("gone", 1)));
            sender.send(Map.of("type", "channel", "channel_ids", List.of(fence), "data", Map.of("fence", 1)));
            assertThat(c.next()).isEqualTo(json("{\"fence\":1}"));
        }
    }

    @Test
    void theChannelOfTheQueryMayBeLeftLikeAnyOther() {
        String r = room();
        try (WsClient c = WsClient.connect(server.wsUrl() + "?channel_id=" + r);
             WsClient sender = WsClient.connect(server.wsUrl())) {
            c.send(Map.of("type", "leave", "channel_ids", List.of(r, "never-joined")));
            assertThat(c.next().path("data").path("left")).isEqualTo(json("[\"" + r + "\"]"));
            assertThat(server.plugin().hub().local(Topic.channel(r))).isEmpty();
            sender.send(Map.of("type", "channel", "channel_ids", List.of(r), "data", Map.of("gone", 1)));
            sender.send(Map.of("type", "client", "client_ids", List.of(c.clientId()), "data", Map.of("fence", 1)));
            assertThat(c.next()).isEqualTo(json("{\"fence\":1}"));
        }
    }

    @Test
    void channelsBeyondTheLimitAreDenied() {
        String a = room(), b = room(), c3 = room(), d = room();
        try (WsClient c = WsClient.connect(server.wsUrl() + "?channel_id=" + a)) {
            c.send(join(b, c3, d, a));
            JsonNode data = c.next().path("data");
            assertThat(data.path("joined")).extracting(j -> j.path("channel_id").asText()).containsExactly(b, c3, a);
            assertThat(data.path("denied")).hasSize(1);
            assertThat(data.path("denied").get(0).path("channel_id").asText()).isEqualTo(d);
            assertThat(data.path("denied").get(0).path("reason").asText()).contains("at most 3");
            c.send(Map.of("type", "leave", "channel_ids", List.of(b)));
            c.next();
            c.send(join(d));
            assertThat(c.next().path("data").path("joined")).hasSize(1);
        }
    }

    @Test
    void aUserWithoutReadOnANodeCannotJoinItsChannel() {
        String alice = http.newToken();
        String card = http.post("/walker/make_card", Map.of("title", "mine"), alice).reports().get(0).path("id").asText();
        try (WsClient bob = WsClient.connect(server.wsUrl(), http.newToken());
             WsClient owner = WsClient.connect(server.wsUrl(), alice)) {
            bob.send(join(card));
            JsonNode data = bob.next().path("data");
            assertThat(data.path("joined")).isEmpty();
            assertThat(data.path("denied").get(0).path("channel_id").asText()).isEqualTo(card);
            assertThat(data.path("denied").get(0).path("reason").asText()).isEqualTo("You don't have access on target entry " + card + "!");
            owner.send(join(card));
            assertThat(owner.next().path("data").path("joined").get(0).path("channel_id").asText()).isEqualTo(card);
        }
    }

    @Test
    void joiningAChannelTwiceKeepsOneMembership() {
        String r = room();
        try (WsClient c = WsClient.connect(server.wsUrl());
             WsClient sender = WsClient.connect(server.wsUrl())) {
            c.send(join(r));
            c.next();
            c.send(join(r));
            assertThat(c.next().path("data").path("joined").get(0).path("channel_id").asText()).isEqualTo(r);
            sender.send(Map.of("type", "channel", "channel_ids", List.of(r), "data", Map.of("once", 1)));
            sender.send(Map.of("type", "client", "client_ids", List.of(c.clientId()), "data", Map.of("fence", 1)));
            assertThat(c.next()).isEqualTo(json("{\"once\":1}"));
            assertThat(c.next()).isEqualTo(json("{\"fence\":1}"));
        }
    }

    @Test
    void badJoinAndLeaveFramesGetErrorsAndTheConnectionGoesOn() {
        try (WsClient c = WsClient.connect(server.wsUrl())) {
            c.send(Map.of("type", "join", "channel_ids", List.of()));
            assertThat(c.next().path("error").get(0).path("type").asText()).isEqualTo("too_short");
            c.send(Map.of("type", "join", "channel_ids", List.of("x"), "recover", Map.of("x", Map.of("offset", -1, "epoch", 3))));
            JsonNode bad = c.next().path("error");
            assertThat(bad).hasSize(2);
            assertThat(bad.get(0).path("loc")).isEqualTo(json("[\"recover\",\"x\",\"offset\"]"));
            assertThat(bad.get(1).path("loc")).isEqualTo(json("[\"recover\",\"x\",\"epoch\"]"));
            c.send(Map.of("type", "leave"));
            assertThat(c.next().path("error").get(0).path("type").asText()).isEqualTo("missing");
            c.send(Map.of("type", "connection"));
            assertThat(c.next()).isEqualTo(c.connection());
        }
    }

    @Test
    void clientsCannotSendToNodeChannels() {
        try (WsClient c = WsClient.connect(server.wsUrl())) {
            c.send(Map.of("type", "channel", "channel_ids", List.of("n:Card:" + "a".repeat(24)), "data", Map.of("type", "node")));
            JsonNode e = c.next().path("error").get(0);
            assertThat(e.path("type").asText()).isEqualTo("node_channel");
            assertThat(e.path("loc")).isEqualTo(json("[\"channel_ids\",0]"));
        }
    }
}
