package io.walkerd.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code user}, {@code channel} and {@code client} events reach exactly their targets, once. "No one else" is
 * shown with a fence: after the event, the same sender sends a second event that does reach the outsider; one
 * sender's events are delivered in order, so the outsider's next message being the fence proves it got nothing
 * before.
 */
class ClientEventTest {
    @RegisterExtension
    static final SocketServer server = new SocketServer();


    @Test
    void userEventReachesEveryConnectionOfThatUserAndNoOneElse() {
        String alice = server.http().newToken();
        String bob = server.http().newToken();
        try (WsClient a1 = WsClient.connect(server.wsUrl(), alice);
             WsClient a2 = WsClient.connect(server.wsUrl(), alice);
             WsClient b = WsClient.connect(server.wsUrl(), bob);
             WsClient sender = WsClient.connect(server.wsUrl())) {
            sender.send(Map.of("type", "user", "root_ids", List.of(a1.rootId()), "data", Map.of("n", 1)));
            sender.send(Map.of("type", "user", "root_ids", List.of(a1.rootId(), b.rootId()), "data", Map.of("fence", 1)));

            for (WsClient a : List.of(a1, a2)) {
                assertThat(a.next()).isEqualTo(json("{\"n\":1}"));
                assertThat(a.next()).isEqualTo(json("{\"fence\":1}"));
            }
            assertThat(b.next()).isEqualTo(json("{\"fence\":1}"));
            sender.send(Map.of("type", "connection"));
            assertThat(sender.next()).isEqualTo(sender.connection());
        }
    }

    @Test
    void rootIdsMayBeBareHexAndARepeatedTargetIsReachedOnce() {
        String alice = server.http().newToken();
        try (WsClient a = WsClient.connect(server.wsUrl(), alice);
             WsClient sender = WsClient.connect(server.wsUrl())) {
            String bare = a.rootId().substring(3);
            sender.send(Map.of("type", "user", "root_ids", List.of(a.rootId(), bare), "data", Map.of("n", 1)));
            sender.send(Map.of("type", "user", "root_ids", List.of(bare), "data", Map.of("fence", 1)));
            assertThat(a.next()).isEqualTo(json("{\"n\":1}"));
            assertThat(a.next()).isEqualTo(json("{\"fence\":1}"));
        }
    }

    @Test
    void channelEventReachesEveryMemberOfTheChannelAndNoOutsider() {
        String team = "team-" + UUID.randomUUID();
        String other = "other-" + UUID.randomUUID();
        try (WsClient m1 = WsClient.connect(server.wsUrl() + "?channel_id=" + team);
             WsClient m2 = WsClient.connect(server.wsUrl() + "?channel_id=" + team, server.http().newToken());
             WsClient outsider = WsClient.connect(server.wsUrl() + "?channel_id=" + other);
             WsClient sender = WsClient.connect(server.wsUrl())) {
            sender.send(Map.of("type", "channel", "channel_ids", List.of(team), "data", Map.of("type", "chat", "data", Map.of("m", "hi"))));
            sender.send(Map.of("type", "channel", "channel_ids", List.of(team, other), "data", Map.of("fence", 1)));

            for (WsClient m : List.of(m1, m2)) {
                assertThat(m.next()).isEqualTo(json("{\"type\":\"chat\",\"data\":{\"m\":\"hi\"}}"));
                assertThat(m.next()).isEqualTo(json("{\"fence\":1}"));
            }
            assertThat(outsider.next()).isEqualTo(json("{\"fence\":1}"));
        }
    }

    @Test
    void clientEventReachesOneConnection() {
        String alice = server.http().newToken();
        try (WsClient a1 = WsClient.connect(server.wsUrl(), alice);
             WsClient a2 = WsClient.connect(server.wsUrl(), alice);
             WsClient sender = WsClient.connect(server.wsUrl())) {
            sender.send(Map.of("type", "client", "client_ids", List.of(a1.clientId()), "data", Map.of("direct", true)));
            sender.send(Map.of("type", "user", "root_ids", List.of(a1.rootId()), "data", Map.of("fence", 1)));

            assertThat(a1.next()).isEqualTo(json("{\"direct\":true}"));
            assertThat(a1.next()).isEqualTo(json("{\"fence\":1}"));
            assertThat(a2.next()).isEqualTo(json("{\"fence\":1}"));
        }
    }

    @Test
    void eventsToUnknownTargetsAreAcceptedSilently() {
        try (WsClient sender = WsClient.connect(server.wsUrl())) {
            sender.send(Map.of("type", "client", "client_ids", List.of("1:nobody"), "data", Map.of("x", 1)));
            sender.send(Map.of("type", "user", "root_ids", List.of("n::" + "a".repeat(24)), "data", Map.of("x", 1)));
            sender.send(Map.of("type", "channel", "channel_ids", List.of("nobody-here"), "data", Map.of("x", 1)));
            sender.send(Map.of("type", "connection"));
            assertThat(sender.next()).isEqualTo(sender.connection());
        }
    }

    static JsonNode json(String text) {
        try {
            return WsClient.JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
