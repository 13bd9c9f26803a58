package io.walkerd.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A client cannot stall the server: slow readers are disconnected at their bound, oversized frames refused. */
class LimitsTest {
    static final int MAX_QUEUE_MESSAGES = 200;
    static final int MAX_QUEUE_BYTES = 2 * 1024 * 1024;
    static SocketServer server;

    @BeforeAll
    static void start() {
        server = SocketServer.start(Map.of(
                "SOCKET_MAX_QUEUE_MESSAGES", String.valueOf(MAX_QUEUE_MESSAGES),
                "SOCKET_MAX_QUEUE_BYTES", String.valueOf(MAX_QUEUE_BYTES),
                // the slow-reader test floods on purpose; the rate limit has tests of its own
                "SOCKET_EVENTS_PER_SECOND", "0",
                // long enough that the paused client still gets the close frame once it reads again
                "SOCKET_CLOSE_TIMEOUT_MS", "20000"));
    }

    @AfterAll
    static void stop() { server.close(); }

    /** How far the sender may run ahead of the reading client: 16 x 32 KiB, a quarter of the bound. */
    static final int WINDOW = 16;

    @Test
    void clientThatStopsReadingIsDisconnectedAtTheBoundWhileTheOthersGetEveryMessageInOrder() {
        String channel = "busy-" + UUID.randomUUID();
        // 1,000 messages of 32 KiB: more than loopback TCP buffers and the 2 MiB bound can hold
        int count = 1000;
        String padding = "x".repeat(32 * 1024);
        try (WsClient slow = WsClient.connect(server.wsUrl() + "?channel_id=" + channel);
             WsClient reader = WsClient.connect(server.wsUrl() + "?channel_id=" + channel);
             WsClient sender = WsClient.connect(server.wsUrl())) {
            slow.pauseReading();
            // the reader keeps up: the sender is at most WINDOW messages ahead of it (well inside the bound), so only
            // the client that does not read can reach its bound, however fast the server relays
            int read = 0;
            for (int i = 0; i < count; i++) {
                sender.send(Map.of("type", "channel", "channel_ids", List.of(channel), "data", Map.of("seq", i, "pad", padding)));
                if (i >= WINDOW) assertThat(reader.next().get("seq").asInt()).isEqualTo(read++);
            }
            while (read < count) assertThat(reader.next().get("seq").asInt()).isEqualTo(read++);

            await().atMost(Duration.ofSeconds(10)).until(() -> server.plugin().hub().local(Topic.client(slow.clientId())).isEmpty());
            assertThat(server.plugin().hub().local(Topic.channel(channel))).hasSize(1);

            // reading again, the slow client finds an in-order prefix, then the close frame
            slow.resumeReading();
            WsClient.Ending ending = slow.awaitEnding();
            List<Integer> got = new ArrayList<>();
            while (slow.waiting() > 0) got.add(slow.next().get("seq").asInt());
            assertThat(got).isNotEmpty().hasSizeLessThan(count);
            for (int i = 0; i < got.size(); i++) assertThat(got.get(i)).isEqualTo(i);
            assertThat(ending.code()).isEqualTo(1008);
            assertThat(ending.reason()).contains("does not read");
        }
    }

    @Test
    void clientThatQueuesTooManyEventsBehindARunningWalkerIsClosedWith1008() {
        try (WsClient c = WsClient.connect(server.wsUrl())) {
            c.send(Map.of("type", "walker", "walker", "slow_work", "context", Map.of("millis", 2000)));
            assertThat(c.next().get("type").asText()).isEqualTo("started");
            try {
                for (int i = 0; i <= 100 && !c.ending().isDone(); i++) c.send(Map.of("type", "connection"));
            } catch (java.util.concurrent.CompletionException closedMeanwhile) {
                // the server closed while we were still sending: that is the point
            }
            WsClient.Ending ending = c.awaitEnding();
            assertThat(ending.code()).isEqualTo(1008);
            assertThat(ending.reason()).contains("too many pending events");
        }
    }

    @Test
    void oversizedFrameClosesWith1009() {
        try (WsClient c = WsClient.connect(server.wsUrl())) {
            String big = "{\"type\":\"connection\",\"pad\":\"" + "y".repeat(70 * 1024) + "\"}";
            c.send(big);
            assertThat(c.awaitEnding().code()).isEqualTo(1009);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> server.plugin().openSockets() == 0);
    }

    @Test
    void outgoingMessagesLargerThanTheIncomingLimitAreDelivered() {
        String text = "z".repeat(40 * 1024);
        try (WsClient c = WsClient.connect(server.wsUrl())) {
            c.send(Map.of("type", "walker", "walker", "echo", "context", Map.of("text", text, "times", 3), "response", true));
            JsonNode reply = c.next();
            assertThat(reply.get("reports")).hasSize(3);
            assertThat(reply.get("reports").get(2).asText()).isEqualTo(text);
        }
    }

    @Test
    void frameJustUnderTheLimitIsAccepted() {
        try (WsClient c = WsClient.connect(server.wsUrl())) {
            String text = "{\"type\":\"connection\",\"pad\":\"" + "y".repeat(60 * 1024) + "\"}";
            c.send(text);
            JsonNode reply = c.next();
            assertThat(reply).isEqualTo(c.connection());
        }
    }
}
