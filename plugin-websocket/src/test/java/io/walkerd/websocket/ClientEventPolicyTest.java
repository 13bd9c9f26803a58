package io.walkerd.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.walkerd.websocket.ClientEventTest.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code SOCKET_CLIENT_EVENTS}: {@code open} (the default, jac-cloud's behaviour) lets any connection relay
 * {@code user}, {@code channel} and {@code client} events; {@code authenticated} refuses them from connections
 * without a user; {@code off} refuses them from everyone, leaving notifications to walkers. A refused event is
 * answered with an error frame naming the policy and reaches nobody (shown with a fence: a later permitted
 * delivery is the target's next message).
 */
class ClientEventPolicyTest {
    static SocketServer open;
    static SocketServer authenticated;
    static SocketServer off;

    @BeforeAll
    static void start() {
        open = SocketServer.start(Map.of());
        authenticated = SocketServer.start(Map.of("SOCKET_CLIENT_EVENTS", "authenticated"));
        off = SocketServer.start(Map.of("SOCKET_CLIENT_EVENTS", "off"));
    }

    @AfterAll
    static void stop() {
        open.close();
        authenticated.close();
        off.close();
    }

    /** A frame shaped exactly like the server's connection event, as an attacker would forge it. */
    static Map<String, Object> forgedConnection() {
        return Map.of("type", "connection", "data", Map.of("client_id", "1:forged", "root_id", "n::000000000000000000000001", "channel_id", "x"));
    }

    @Test
    void openLetsAPublicConnectionRelayToAnyUserChannelAndClientAsJacCloudDoes() {
        String channel = "room-" + UUID.randomUUID();
        try (WsClient victim = WsClient.connect(open.wsUrl() + "?channel_id=" + channel, open.http().newToken());
             WsClient anon = WsClient.connect(open.wsUrl())) {
            anon.send(Map.of("type", "user", "root_ids", List.of(victim.rootId().substring(3)), "data", forgedConnection()));
            anon.send(Map.of("type", "channel", "channel_ids", List.of(channel), "data", Map.of("n", 2)));
            anon.send(Map.of("type", "client", "client_ids", List.of(victim.clientId()), "data", Map.of("n", 3)));
            assertThat(victim.next()).isEqualTo(WsClient.JSON.valueToTree(forgedConnection()));
            assertThat(victim.next()).isEqualTo(json("{\"n\":2}"));
            assertThat(victim.next()).isEqualTo(json("{\"n\":3}"));
        }
    }

    @Test
    void authenticatedRefusesEachRelayEventFromAPublicConnectionAndDeliversNothing() {
        String channel = "team-secret-" + UUID.randomUUID();
        try (WsClient victim = WsClient.connect(authenticated.wsUrl() + "?channel_id=" + channel, authenticated.http().newToken());
             WsClient anon = WsClient.connect(authenticated.wsUrl());
             WsClient member = WsClient.connect(authenticated.wsUrl(), authenticated.http().newToken())) {
            List<Map<String, Object>> attacks = List.of(
                    Map.of("type", "user", "root_ids", List.of(victim.rootId()), "data", forgedConnection()),
                    Map.of("type", "channel", "channel_ids", List.of(channel), "data", forgedConnection()),
                    Map.of("type", "client", "client_ids", List.of(victim.clientId()), "data", forgedConnection()));
            for (Map<String, Object> attack : attacks) {
                anon.send(attack);
                JsonNode error = anon.next().get("error").get(0);
                assertThat(error.get("type").asText()).isEqualTo("client_events_authenticated");
                assertThat(error.get("msg").asText()).contains("SOCKET_CLIENT_EVENTS=authenticated").contains(attack.get("type") + " events");
            }
            member.send(Map.of("type", "client", "client_ids", List.of(victim.clientId()), "data", Map.of("fence", 1)));
            assertThat(victim.next()).isEqualTo(json("{\"fence\":1}"));
        }
    }

    @Test
    void authenticatedLetsAConnectionWithAUserRelay() {
        try (WsClient victim = WsClient.connect(authenticated.wsUrl(), authenticated.http().newToken());
             WsClient alice = WsClient.connect(authenticated.wsUrl(), authenticated.http().newToken())) {
            alice.send(Map.of("type", "user", "root_ids", List.of(victim.rootId()), "data", Map.of("hi", "from alice")));
            assertThat(victim.next()).isEqualTo(json("{\"hi\":\"from alice\"}"));
        }
    }

    @Test
    void authenticatedAlsoCoversAConnectionThatChangedBackToPublic() {
        try (WsClient victim = WsClient.connect(authenticated.wsUrl(), authenticated.http().newToken());
             WsClient c = WsClient.connect(authenticated.wsUrl(), authenticated.http().newToken())) {
            c.send(Map.of("type", "change_user"));
            assertThat(c.next().get("data").get("root_id").asText()).isEqualTo("n::000000000000000000000001");
            c.send(Map.of("type", "client", "client_ids", List.of(victim.clientId()), "data", Map.of("n", 1)));
            assertThat(c.next().get("error").get(0).get("type").asText()).isEqualTo("client_events_authenticated");
        }
    }

    @Test
    void offRefusesRelayEventsFromAuthenticatedConnectionsToo() {
        try (WsClient victim = WsClient.connect(off.wsUrl(), off.http().newToken());
             WsClient alice = WsClient.connect(off.wsUrl(), off.http().newToken())) {
            alice.send(Map.of("type", "user", "root_ids", List.of(victim.rootId()), "data", forgedConnection()));
            JsonNode error = alice.next().get("error").get(0);
            assertThat(error.get("type").asText()).isEqualTo("client_events_off");
            assertThat(error.get("msg").asText()).contains("SOCKET_CLIENT_EVENTS=off");
            // walkers still notify: the fence comes from one
            alice.send(Map.of("type", "walker", "walker", "notify_users", "context",
                    Map.of("targets", List.of(victim.rootId()), "data", Map.of("fence", 1))));
            assertThat(victim.next()).isEqualTo(json("{\"fence\":1}"));
        }
    }
}
