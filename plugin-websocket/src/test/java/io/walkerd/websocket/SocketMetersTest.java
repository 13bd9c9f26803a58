package io.walkerd.websocket;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.walkerd.testing.CapturedLogs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.walkerd.websocket.ClientEventTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The websocket meters, read from the server's scrape (what {@code /metrics} serves): after a scripted workload of
 * known events, one client evicted for not reading, one dropped event and one client closed for flooding, each meter
 * has moved by exactly that much, and no label carries an id. The log context names the client and the request
 * while an event runs, and nothing after.
 */
class SocketMetersTest {
    static final int PENDING_EVENTS = 3;
    static final String METRICS_TOKEN = "metrics-" + "0123456789abcdef0123456789abcdef";
    @RegisterExtension
    static final SocketServer server = new SocketServer(Map.of(
            "METRICS_TOKEN", METRICS_TOKEN,
            "SOCKET_EVENTS_PER_SECOND", "1", // a burst of 2: the third relay event in a row is dropped
            "SOCKET_MAX_PENDING_EVENTS", String.valueOf(PENDING_EVENTS),
            "SOCKET_MAX_QUEUE_BYTES", String.valueOf(512 * 1024),
            "SOCKET_WORKERS", "1")); // every walker event on one thread: what one leaves in the log context, the next sees

    /** What GET /metrics answers with the token, read into series. */
    static Scrape metrics() {
        var r = server.http().get("/metrics", METRICS_TOKEN);
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return Scrape.of(r.raw());
    }

    static String events(String type) { return "walkerd_ws_events_in_total{type=\"" + type + "\"}"; }

    static String disconnects(String reason) { return "walkerd_ws_disconnects_total{reason=\"" + reason + "\"}"; }

    @Test
    void aScriptedWorkloadMovesEachMeterByExactlyItsAmountAndNoLabelCarriesAnId() {
        String room = "room-" + UUID.randomUUID();
        String side = "side-" + UUID.randomUUID();
        String busy = "busy-" + UUID.randomUUID();
        List<String> ids = new ArrayList<>(List.of(room, side, busy));
        Scrape before = metrics();

        WsClient member = WsClient.connect(server.wsUrl() + "?channel_id=" + room);
        WsClient sender = WsClient.connect(server.wsUrl());
        ids.addAll(List.of(member.clientId(), sender.clientId(), sender.rootId()));

        // two relay-limited events pass, the third is dropped
        sender.send(Map.of("type", "channel", "channel_ids", List.of(room), "data", Map.of("n", 1)));
        sender.send(Map.of("type", "walker", "walker", "echo", "context", Map.of("text", "hi"), "response", true));
        sender.send(Map.of("type", "channel", "channel_ids", List.of(room), "data", Map.of("n", 2)));
        assertThat(member.next()).isEqualTo(json("{\"n\":1}"));
        assertThat(sender.next().get("reports").get(0).asText()).isEqualTo("hi");
        assertThat(sender.next().get("error").get(0).get("type").asText()).isEqualTo("rate_limited");
        // events the rate limit does not count, and frames that are no event at all; one at a time, as the pending
        // events' bound of this server is low
        assertThat(ask(sender, Map.of("type", "connection")).path("type").asText()).isEqualTo("connection");
        assertThat(ask(sender, Map.of("type", "connection")).path("type").asText()).isEqualTo("connection");
        assertThat(ask(sender, Map.of("type", "join", "channel_ids", List.of(side))).path("type").asText()).isEqualTo("join");
        assertThat(ask(sender, Map.of("type", "presence", "channel_id", side)).path("type").asText()).isEqualTo("presence");
        assertThat(ask(sender, Map.of("type", "history", "channel_id", side)).path("type").asText()).isEqualTo("history");
        assertThat(ask(sender, Map.of("type", "leave", "channel_ids", List.of(side))).path("type").asText()).isEqualTo("leave");
        assertThat(ask(sender, Map.of("type", "change_user")).path("type").asText()).isEqualTo("connection");
        assertThat(ask(sender, Map.of("type", "nope")).get("error").get(0).get("type").asText()).isEqualTo("union_tag_invalid");
        assertThat(ask(sender, "not json").get("error").get(0).get("type").asText()).isEqualTo("json_invalid");
        sender.sendBinary(new byte[]{1, 2, 3});
        assertThat(sender.next().get("error").get(0).get("type").asText()).isEqualTo("binary_frame");

        // a client that never reads is evicted once its queue overflows
        WsClient slow = WsClient.connect(server.wsUrl() + "?channel_id=" + busy);
        ids.add(slow.clientId());
        slow.pauseReading();
        String pad = "x".repeat(60_000);
        int restCalls = 0;
        for (int i = 0; i < 2000 && !server.plugin().hub().local(Topic.client(slow.clientId())).isEmpty(); i++) {
            assertThat(server.http().post("/walker/notify_channels", Map.of("targets", List.of(busy), "data", Map.of("pad", pad))).status())
                    .isEqualTo(200);
            restCalls++;
        }
        assertThat(server.plugin().hub().local(Topic.client(slow.clientId()))).as("evicted as a slow consumer").isEmpty();

        // a client whose events pile up behind a running walker is closed
        WsClient pending = WsClient.connect(server.wsUrl());
        ids.add(pending.clientId());
        pending.send(Map.of("type", "walker", "walker", "slow_work", "context", Map.of("millis", 1500)));
        assertThat(pending.next().get("type").asText()).isEqualTo("started");
        for (int i = 0; i <= PENDING_EVENTS; i++) pending.send(Map.of("type", "connection"));
        assertThat(pending.awaitEnding().code()).isEqualTo(1008);

        member.closeCleanly();
        sender.closeCleanly();
        slow.close();
        pending.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> server.plugin().openSockets() == 0 && server.counts().empty());

        Scrape after = metrics();
        assertThat(after.since(before, "walkerd_ws_connects_total")).isEqualTo(4);
        // the REST calls of the workload, through the runtime's meters of the same scrape
        assertThat(after.since(before, "walkerd_http_requests_total{method=\"POST\",route=\"/walker/notify_channels\",status=\"200\"}"))
                .isEqualTo(restCalls);
        assertThat(after.since(before, "walkerd_walker_calls_total{status=\"200\",via=\"rest\",walker=\"notify_channels\"}"))
                .isEqualTo(restCalls);
        assertThat(after.since(before, disconnects("normal"))).isEqualTo(2);
        assertThat(after.since(before, disconnects("slow_consumer"))).isEqualTo(1);
        assertThat(after.since(before, disconnects("rate_limited"))).isEqualTo(1);
        for (String reason : List.of("connection_limit", "too_large", "dead_peer", "shutdown", "error")) {
            assertThat(after.since(before, disconnects(reason))).as(reason).isZero();
        }
        assertThat(after.since(before, "walkerd_ws_rate_limited_total")).isEqualTo(1);
        Map<String, Integer> expected = Map.of("channel", 2, "walker", 2, "connection", 2 + PENDING_EVENTS + 1, "join", 1,
                "presence", 1, "history", 1, "leave", 1, "change_user", 1, "invalid", 2, "binary", 1);
        for (String type : List.of("walker", "user", "channel", "client", "connection", "change_user", "join", "leave", "presence",
                "history", "invalid", "binary")) {
            assertThat(after.since(before, events(type))).as(type).isEqualTo((double) expected.getOrDefault(type, 0));
        }
        assertThat(after.value("walkerd_ws_connections{auth=\"public\"}")).isZero();
        assertThat(after.value("walkerd_ws_connections{auth=\"authenticated\"}")).isZero();
        assertThat(after.since(before, "walkerd_ws_messages_out_total{target=\"channel\"}")).isGreaterThan(1);
        assertThat(after.since(before, "walkerd_ws_messages_out_total{target=\"reply\"}")).isGreaterThanOrEqualTo(4 + 10 + 1);
        assertThat(after.since(before, "walkerd_ws_bytes_out_total")).isGreaterThan(60_000);
        assertThat(after.since(before, "walkerd_ws_queue_depth_count")).isGreaterThan(0);

        for (String id : ids) assertThat(after.text()).as("an id in the scrape").doesNotContain(id);
        // this plugin's meters; the runtime's (routes, methods) are checked by its own tests
        Matcher labels = Pattern.compile("^walkerd_(?:ws|broker|channels|history|presence)\\w*\\{(.*)}", Pattern.MULTILINE).matcher(after.text());
        while (labels.find()) {
            for (String label : labels.group(1).split(",")) assertThat(label).matches("\\w+=\"([a-z_]+|[0-9.]+|\\+Inf)\"");
        }
    }

    private static JsonNode ask(WsClient c, Object event) {
        c.send(event);
        return c.next();
    }

    @Test
    void theLogContextNamesTheClientAndTheRequestWhileAnEventRunsAndNothingAfter() {
        try (CapturedLogs logs = CapturedLogs.of(EventHandler.class);
             WsClient c = WsClient.connect(server.wsUrl())) {
            c.send(Map.of("type", "walker", "walker", "no_such_walker", "request_id", "r-mdc-1"));
            assertThat(c.next().get("status").asInt()).isEqualTo(404);
            c.send(Map.of("type", "walker", "walker", "no_such_walker"));
            assertThat(c.next().get("status").asInt()).isEqualTo(404);

            List<ILoggingEvent> refusals = logs.events().stream().filter(e -> e.getFormattedMessage().contains("no_such_walker")).toList();
            assertThat(refusals).hasSize(2);
            assertThat(refusals.get(0).getMDCPropertyMap()).containsEntry("client_id", c.clientId()).containsEntry("request_id", "r-mdc-1");
            assertThat(refusals.get(1).getMDCPropertyMap()).containsEntry("client_id", c.clientId()).doesNotContainKey("request_id");
            assertThat(refusals.get(1).getThreadName()).as("one worker runs both").isEqualTo(refusals.get(0).getThreadName());
        }
    }

    @Test
    void theMetersOfAServerWithMetricsOffRecordNothingAndTheSocketWorks() {
        try (SocketServer off = SocketServer.start(Map.of("METRICS_ENABLED", "false"));
             WsClient c = WsClient.connect(off.wsUrl())) {
            c.send(Map.of("type", "connection"));
            assertThat(c.next()).isEqualTo(c.connection());
            assertThat(off.walkerd().metrics().scrape()).isEmpty();
        }
    }
}
