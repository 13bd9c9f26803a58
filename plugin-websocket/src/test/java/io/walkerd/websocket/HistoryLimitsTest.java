package io.walkerd.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.walkerd.websocket.ClientEventTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** History's settings: {@code SOCKET_HISTORY_SIZE=0} turns it off; {@code SOCKET_HISTORY_TTL_SECONDS} ages messages out. */
class HistoryLimitsTest {

    @Test
    void withoutHistoryChannelsHaveNoOffsetsAndNothingIsRecovered() {
        try (SocketServer server = SocketServer.start(Map.of("SOCKET_HISTORY_SIZE", "0"));
             WsClient c = WsClient.connect(server.wsUrl() + "?v=2&channel_id=plain")) {
            c.send(Map.of("type", "join", "channel_ids", List.of("other"), "recover", Map.of("other", Map.of("offset", 1, "epoch", "e-1"))));
            JsonNode joined = c.next().path("data").path("joined").get(0);
            assertThat(joined).isEqualTo(json("{\"channel_id\":\"other\",\"recovered\":false}"));
            c.send(Map.of("type", "channel", "channel_ids", List.of("plain"), "data", Map.of("n", 1)));
            JsonNode m = c.next();
            assertThat(m.has("offset")).isFalse();
            assertThat(m.has("epoch")).isFalse();
            assertThat(m.path("channel_id").asText()).isEqualTo("plain");
            c.send(Map.of("type", "history", "channel_id", "plain"));
            assertThat(c.next().path("data")).isEqualTo(json("{\"channel_id\":\"plain\",\"messages\":[]}"));
        }
    }

    @Test
    void messagesOlderThanTheTimeToLiveAreNotRecovered() {
        try (SocketServer server = SocketServer.start(Map.of("SOCKET_HISTORY_TTL_SECONDS", "0.3"));
             WsClient c = WsClient.connect(server.wsUrl() + "?v=2&channel_id=aging")) {
            c.send(Map.of("type", "join", "channel_ids", List.of("aging")));
            JsonNode start = c.next().path("data").path("joined").get(0);
            c.send(Map.of("type", "channel", "channel_ids", List.of("aging"), "data", Map.of("n", 1)));
            c.next();
            Map<String, Object> since = Map.of("offset", start.path("offset").asLong(), "epoch", start.path("epoch").asText());
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).until(() -> {
                c.send(Map.of("type", "history", "channel_id", "aging", "since", since));
                return !c.next().path("data").path("recovered").asBoolean();
            });
        }
    }
}
