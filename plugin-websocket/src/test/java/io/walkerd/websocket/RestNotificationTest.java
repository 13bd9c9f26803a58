package io.walkerd.websocket;

import io.walkerd.testing.Http;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.walkerd.websocket.ClientEventTest.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Walkers called over REST reach websocket connections through the notifier. */
class RestNotificationTest {
    @RegisterExtension
    static final SocketServer server = new SocketServer();
    static final Http http = server.http();


    @Test
    void restWalkerNotifiesAUser() {
        String alice = http.newToken();
        try (WsClient a1 = WsClient.connect(server.wsUrl(), alice);
             WsClient a2 = WsClient.connect(server.wsUrl(), alice)) {
            var r = http.post("/walker/notify_users", Map.of("targets", List.of(a1.rootId()), "data", Map.of("type", "chat", "m", 1)));
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(a1.next()).isEqualTo(json("{\"type\":\"chat\",\"m\":1}"));
            assertThat(a2.next()).isEqualTo(json("{\"type\":\"chat\",\"m\":1}"));
        }
    }

    @Test
    void restWalkerNotifiesItsCallerByRootNode() {
        String alice = http.newToken();
        try (WsClient a = WsClient.connect(server.wsUrl(), alice)) {
            var r = http.post("/walker/notify_myself", Map.of("data", Map.of("hello", "rest")), alice);
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(a.next()).isEqualTo(json("{\"hello\":\"rest\"}"));
        }
    }

    @Test
    void restWalkerNotifiesAChannel() {
        String channel = "room-" + UUID.randomUUID();
        try (WsClient m = WsClient.connect(server.wsUrl() + "?channel_id=" + channel)) {
            var r = http.post("/walker/notify_channels", Map.of("targets", List.of(channel), "data", Map.of("to", "room")));
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(m.next()).isEqualTo(json("{\"to\":\"room\"}"));
        }
    }

    @Test
    void restWalkerNotifiesAClient() {
        try (WsClient c = WsClient.connect(server.wsUrl())) {
            var r = http.post("/walker/notify_clients", Map.of("targets", List.of(c.clientId()), "data", Map.of("to", "you")));
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(c.next()).isEqualTo(json("{\"to\":\"you\"}"));
        }
    }

    @Test
    void notifySelfDoesNothingOverRest() {
        var r = http.post("/walker/progress", Map.of("steps", 2));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(json("{\"status\":200,\"reports\":[\"done\"]}"));
    }
}
