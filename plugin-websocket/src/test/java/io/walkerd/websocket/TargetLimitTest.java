package io.walkerd.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.walkerd.websocket.ClientEventTest.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code SOCKET_MAX_TARGETS} (default 100): a {@code user}, {@code channel} or {@code client} event naming at most
 * that many ids is delivered; one more and it is refused whole, with an error naming the limit.
 */
class TargetLimitTest {
    @RegisterExtension
    static final SocketServer server = new SocketServer();

    /** {@code count} ids: {@code real} last, the rest naming nobody. */
    static List<String> ids(int count, String real, String fake) {
        List<String> out = new ArrayList<>();
        for (int i = 1; i < count; i++) out.add(fake + i);
        out.add(real);
        return out;
    }

    @Test
    void aUserEventWith100IdsIsDelivered() {
        try (WsClient target = WsClient.connect(server.wsUrl(), server.http().newToken());
             WsClient sender = WsClient.connect(server.wsUrl())) {
            sender.send(Map.of("type", "user", "root_ids", ids(100, target.rootId(), "n::nobody-"), "data", Map.of("n", 1)));
            assertThat(target.next()).isEqualTo(json("{\"n\":1}"));
        }
    }

    @Test
    void aUserEventWith101IdsIsRefusedWhole() {
        try (WsClient target = WsClient.connect(server.wsUrl(), server.http().newToken());
             WsClient sender = WsClient.connect(server.wsUrl())) {
            sender.send(Map.of("type", "user", "root_ids", ids(101, target.rootId(), "n::nobody-"), "data", Map.of("n", 1)));
            JsonNode error = sender.next().get("error").get(0);
            assertThat(error.get("type").asText()).isEqualTo("too_many_targets");
            assertThat(error.get("loc").toString()).isEqualTo("[\"root_ids\"]");
            assertThat(error.get("msg").asText()).contains("SOCKET_MAX_TARGETS").contains("101");
            sender.send(Map.of("type", "user", "root_ids", List.of(target.rootId()), "data", Map.of("fence", 1)));
            assertThat(target.next()).isEqualTo(json("{\"fence\":1}"));
        }
    }

    @Test
    void channelAndClientEventsHaveTheSameLimit() {
        String channel = "many-" + UUID.randomUUID();
        try (WsClient target = WsClient.connect(server.wsUrl() + "?channel_id=" + channel);
             WsClient sender = WsClient.connect(server.wsUrl())) {
            sender.send(Map.of("type", "channel", "channel_ids", ids(100, channel, "nobody-"), "data", Map.of("n", 1)));
            sender.send(Map.of("type", "client", "client_ids", ids(100, target.clientId(), "nobody-"), "data", Map.of("n", 2)));
            assertThat(target.next()).isEqualTo(json("{\"n\":1}"));
            assertThat(target.next()).isEqualTo(json("{\"n\":2}"));
            sender.send(Map.of("type", "channel", "channel_ids", ids(101, channel, "nobody-"), "data", Map.of("n", 3)));
            sender.send(Map.of("type", "client", "client_ids", ids(101, target.clientId(), "nobody-"), "data", Map.of("n", 4)));
            assertThat(sender.next().get("error").get(0).get("loc").toString()).isEqualTo("[\"channel_ids\"]");
            assertThat(sender.next().get("error").get(0).get("loc").toString()).isEqualTo("[\"client_ids\"]");
            sender.send(Map.of("type", "client", "client_ids", List.of(target.clientId()), "data", Map.of("fence", 1)));
            assertThat(target.next()).isEqualTo(json("{\"fence\":1}"));
        }
    }

    @Test
    void twoThousandRootIdsAreRefused() {
        try (WsClient sender = WsClient.connect(server.wsUrl())) {
            sender.send(Map.of("type", "user", "root_ids", ids(2000, "n::000000000000000000000001", "n::x"), "data", Map.of("n", 1)));
            assertThat(sender.next().get("error").get(0).get("type").asText()).isEqualTo("too_many_targets");
        }
    }
}
