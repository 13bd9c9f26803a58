package io.walkerd.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static io.walkerd.websocket.ClientEventTest.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code SOCKET_EVENTS_PER_SECOND} (here 2, so a burst of 4): {@code user}, {@code channel}, {@code client} and
 * {@code walker} events over the limit are dropped and answered with an error frame; a connection that keeps
 * sending at ten times the limit is closed with 1008; one under six times the limit is never closed.
 */
class EventRateLimitTest {
    static final int PER_SECOND = 2;
    @RegisterExtension
    static final SocketServer server = new SocketServer(Map.of("SOCKET_EVENTS_PER_SECOND", String.valueOf(PER_SECOND)));

    static Map<String, Object> chat(String channel, int n) {
        return Map.of("type", "channel", "channel_ids", List.of(channel), "data", Map.of("n", n));
    }

    @Test
    void aBurstOfTwiceTheLimitPasses() {
        String channel = "burst-" + UUID.randomUUID();
        try (WsClient member = WsClient.connect(server.wsUrl() + "?channel_id=" + channel);
             WsClient sender = WsClient.connect(server.wsUrl())) {
            for (int i = 0; i < 2 * PER_SECOND; i++) sender.send(chat(channel, i));
            for (int i = 0; i < 2 * PER_SECOND; i++) assertThat(member.next()).isEqualTo(json("{\"n\":" + i + "}"));
            sender.send(Map.of("type", "connection"));
            assertThat(sender.next()).as("no error frame before the connection event").isEqualTo(sender.connection());
        }
    }

    @Test
    void theEventJustOverTheBurstIsDroppedWithAnErrorFrame() {
        String channel = "over-" + UUID.randomUUID();
        try (WsClient member = WsClient.connect(server.wsUrl() + "?channel_id=" + channel);
             WsClient sender = WsClient.connect(server.wsUrl());
             WsClient fence = WsClient.connect(server.wsUrl())) {
            for (int i = 0; i <= 2 * PER_SECOND; i++) sender.send(chat(channel, i));
            JsonNode error = sender.next().get("error").get(0);
            assertThat(error.get("type").asText()).isEqualTo("rate_limited");
            assertThat(error.get("msg").asText()).contains("SOCKET_EVENTS_PER_SECOND").contains("channel event was dropped");
            fence.send(chat(channel, 99));
            for (int i = 0; i < 2 * PER_SECOND; i++) assertThat(member.next()).isEqualTo(json("{\"n\":" + i + "}"));
            assertThat(member.next()).isEqualTo(json("{\"n\":99}"));
        }
    }

    @Test
    void walkerEventsCountTowardsTheLimitAndRepliesKeepTheirOrder() {
        try (WsClient c = WsClient.connect(server.wsUrl())) {
            for (int i = 0; i <= 2 * PER_SECOND; i++) {
                c.send(Map.of("type", "walker", "walker", "echo", "context", Map.of("text", "t" + i), "response", true));
            }
            for (int i = 0; i < 2 * PER_SECOND; i++) assertThat(c.next().get("reports").get(0).asText()).isEqualTo("t" + i);
            assertThat(c.next().get("error").get(0).get("msg").asText()).contains("walker event was dropped");
        }
    }

    @Test
    void connectionEventsAreNotCounted() {
        try (WsClient c = WsClient.connect(server.wsUrl())) {
            for (int i = 0; i < 10; i++) c.send(Map.of("type", "connection"));
            for (int i = 0; i < 10; i++) assertThat(c.next()).isEqualTo(c.connection());
        }
    }

    @Test
    void aClientSendingAtTenTimesTheLimitIsClosedWith1008() {
        try (WsClient flooder = WsClient.connect(server.wsUrl())) {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
            int n = 0;
            try {
                while (!flooder.ending().isDone() && System.nanoTime() < until) {
                    flooder.send(chat("flood", n++));
                    pause(1000 / (10 * PER_SECOND));
                }
            } catch (CompletionException closedMeanwhile) {
                // the server closed while we were sending: that is the point
            }
            WsClient.Ending ending = flooder.awaitEnding();
            assertThat(ending.code()).isEqualTo(1008);
            assertThat(ending.reason()).contains("too many events");
        }
    }

    @Test
    void aClientSendingAtFiveTimesTheLimitIsThrottledButNotClosed() {
        try (WsClient busy = WsClient.connect(server.wsUrl())) {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            for (int n = 0; System.nanoTime() < until; n++) {
                busy.send(chat("busy", n));
                pause(1000 / (5 * PER_SECOND));
            }
            assertThat(busy.ending().isDone()).isFalse();
            busy.send(Map.of("type", "connection"));
            JsonNode m;
            do m = busy.next(); while (m.has("error")); // the drops' error frames come first
            assertThat(m).isEqualTo(busy.connection());
        }
    }

    /** Paces a sender (it sets a rate; nothing waits on the server). */
    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

}
