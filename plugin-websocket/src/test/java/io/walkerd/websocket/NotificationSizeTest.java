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
 * Notifications from walkers obey {@code SOCKET_MAX_FRAME_BYTES} (here 4096) like client frames: a larger one fails
 * the walker with 413 naming the limit and nothing is delivered, whether the walker was called over REST (whose
 * bodies may be far larger) or over the socket.
 */
class NotificationSizeTest {
    static final int MAX = 4096;
    @RegisterExtension
    static final SocketServer server = new SocketServer(Map.of("SOCKET_MAX_FRAME_BYTES", String.valueOf(MAX)));
    static final Http http = server.http();

    /** Data that is written as exactly {@code bytes} bytes: {@code {"pad":"xx..."}}. */
    static Map<String, Object> dataOf(int bytes) { return Map.of("pad", "x".repeat(bytes - "{\"pad\":\"\"}".length())); }

    @Test
    void aRestNotificationOfExactlyTheLimitIsDelivered() {
        String channel = "size-" + UUID.randomUUID();
        try (WsClient member = WsClient.connect(server.wsUrl() + "?channel_id=" + channel)) {
            var r = http.post("/walker/notify_channels", Map.of("targets", List.of(channel), "data", dataOf(MAX)));
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(member.next().get("pad").asText()).hasSize(MAX - 10);
        }
    }

    @Test
    void aRestNotificationOneByteOverFailsTheWalkerAndDeliversNothing() {
        String channel = "size-" + UUID.randomUUID();
        try (WsClient member = WsClient.connect(server.wsUrl() + "?channel_id=" + channel)) {
            var r = http.post("/walker/notify_channels", Map.of("targets", List.of(channel), "data", dataOf(MAX + 1)));
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.body().get("error").asText()).contains("SOCKET_MAX_FRAME_BYTES").contains("4097 bytes").contains("nothing was sent");
            http.post("/walker/notify_channels", Map.of("targets", List.of(channel), "data", Map.of("fence", 1)));
            assertThat(member.next()).isEqualTo(json("{\"fence\":1}"));
        }
    }

    @Test
    void aSocketWalkersOversizedNotificationIsAWalkerError() {
        try (WsClient c = WsClient.connect(server.wsUrl())) {
            c.send(Map.of("type", "walker", "walker", "notify_self_sized", "context", Map.of("bytes", MAX + 1), "response", true));
            JsonNode error = c.next();
            assertThat(error.get("type").asText()).isEqualTo("walker");
            assertThat(error.get("status").asInt()).isEqualTo(413);
            assertThat(error.get("error").asText()).contains("SOCKET_MAX_FRAME_BYTES");
            c.send(Map.of("type", "walker", "walker", "notify_self_sized", "context", Map.of("bytes", MAX), "response", true));
            assertThat(c.next().get("pad").asText()).hasSize(MAX - 10);
            assertThat(c.next().get("reports").get(0).asText()).isEqualTo("sent");
        }
    }
}
