package io.walkerd.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.walkerd.websocket.ClientEventTest.json;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code change_user} moves a connection between users; user events follow it. */
class ChangeUserTest {
    static final String PUBLIC_ROOT = "n::000000000000000000000001";
    @RegisterExtension
    static final SocketServer server = new SocketServer();


    @Test
    void changeUserWithAValidTokenMovesTheConnectionToThatUser() {
        JsonNode alice = server.http().newUser();
        String aliceRoot = "n::" + alice.path("user").path("root_id").asText();
        try (WsClient c = WsClient.connect(server.wsUrl() + "?channel_id=lobby");
             WsClient sender = WsClient.connect(server.wsUrl())) {
            c.send(Map.of("type", "change_user", "token", "Bearer " + alice.get("token").asText()));
            JsonNode event = c.next();
            assertThat(event.get("type").asText()).isEqualTo("connection");
            assertThat(event.path("data").path("root_id").asText()).isEqualTo(aliceRoot);
            assertThat(event.path("data").path("client_id").asText()).isEqualTo(c.clientId());
            assertThat(event.path("data").path("channel_id").asText()).isEqualTo("lobby");

            sender.send(Map.of("type", "user", "root_ids", List.of(PUBLIC_ROOT), "data", Map.of("to", "public")));
            sender.send(Map.of("type", "user", "root_ids", List.of(aliceRoot), "data", Map.of("to", "alice")));
            assertThat(c.next()).isEqualTo(json("{\"to\":\"alice\"}"));
        }
    }

    @Test
    void changeUserAcceptsABareToken() {
        JsonNode alice = server.http().newUser();
        try (WsClient c = WsClient.connect(server.wsUrl())) {
            c.send(Map.of("type", "change_user", "token", alice.get("token").asText()));
            assertThat(c.next().path("data").path("root_id").asText()).isEqualTo("n::" + alice.path("user").path("root_id").asText());
        }
    }

    @Test
    void changeUserWithABadTokenMakesTheConnectionPublic() {
        String alice = server.http().newToken();
        try (WsClient c = WsClient.connect(server.wsUrl(), alice);
             WsClient sender = WsClient.connect(server.wsUrl())) {
            String aliceRoot = c.rootId();
            c.send(Map.of("type", "change_user", "token", "Bearer garbage"));
            assertThat(c.next().path("data").path("root_id").asText()).isEqualTo(PUBLIC_ROOT);

            sender.send(Map.of("type", "user", "root_ids", List.of(aliceRoot), "data", Map.of("to", "alice")));
            sender.send(Map.of("type", "user", "root_ids", List.of(PUBLIC_ROOT), "data", Map.of("to", "public")));
            JsonNode next = c.next();
            while (!next.has("to")) next = c.next(); // other tests' public traffic is not ours to check
            assertThat(next).isEqualTo(json("{\"to\":\"public\"}"));
        }
    }

    @Test
    void changeUserWithoutATokenMakesTheConnectionPublic() {
        try (WsClient c = WsClient.connect(server.wsUrl(), server.http().newToken())) {
            Map<String, Object> frame = new HashMap<>();
            frame.put("type", "change_user");
            frame.put("token", null);
            c.send(frame);
            assertThat(c.next().path("data").path("root_id").asText()).isEqualTo(PUBLIC_ROOT);
        }
    }

    @Test
    void changeUserAlsoChangesWhoRunsLaterWalkerEvents() {
        JsonNode alice = server.http().newUser();
        try (WsClient c = WsClient.connect(server.wsUrl())) {
            c.send(Map.of("type", "change_user", "token", "Bearer " + alice.get("token").asText()));
            c.next();
            c.send(Map.of("type", "walker", "walker", "who_am_i", "response", true));
            assertThat(c.next().get("reports").get(0).asText()).isEqualTo("n::" + alice.path("user").path("root_id").asText());
        }
    }
}
