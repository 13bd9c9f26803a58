package io.walkerd.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static io.walkerd.websocket.ClientEventTest.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Protocol 2's {@code request_id}: every reply to an event that carried one carries it back; deliveries never do;
 * without one, replies are what they were.
 */
class RequestIdTest {
    @RegisterExtension
    static final SocketServer server = new SocketServer();

    static Map<String, Object> with(String requestId, Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i + 1 < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        m.put("request_id", requestId);
        return m;
    }

    @Test
    void walkerResponseCarriesTheRequestId() {
        try (WsClient c = WsClient.connect(server.wsUrl())) {
            c.send(with("r-1", "type", "walker", "walker", "echo", "context", Map.of("text", "hi"), "response", true));
            assertThat(c.next()).isEqualTo(json("{\"status\":200,\"reports\":[\"hi\"],\"request_id\":\"r-1\"}"));
        }
    }

    @Test
    void aBodyThatIsNotAnObjectComesBackUnderBody() {
        try (WsClient c = WsClient.connect(server.wsUrl())) {
            c.send(with("r-list", "type", "walker", "walker", "list_body", "response", true));
            assertThat(c.next()).isEqualTo(json("{\"body\":[1,2],\"request_id\":\"r-list\"}"));
        }
    }

    @Test
    void walkerErrorCarriesTheRequestId() {
        try (WsClient c = WsClient.connect(server.wsUrl())) {
            c.send(with("r-2", "type", "walker", "walker", "no_such_walker"));
            assertThat(c.next()).isEqualTo(json("{\"type\":\"walker\",\"error\":\"Walker no_such_walker not found!\",\"status\":404,\"request_id\":\"r-2\"}"));
        }
    }

    @Test
    void walkerInputErrorCarriesTheRequestId() {
        try (WsClient c = WsClient.connect(server.wsUrl())) {
            c.send(with("r-422", "type", "walker", "walker", "needs_number", "context", Map.of("number", "x")));
            JsonNode reply = c.next();
            assertThat(reply.path("status").asInt()).isEqualTo(422);
            assertThat(reply.path("request_id").asText()).isEqualTo("r-422");
        }
    }

    @Test
    void frameErrorsCarryTheRequestId() {
        try (WsClient c = WsClient.connect(server.wsUrl())) {
            c.send(with("r-3", "type", "nope"));
            JsonNode unknown = c.next();
            assertThat(unknown.path("error").get(0).path("type").asText()).isEqualTo("union_tag_invalid");
            assertThat(unknown.path("request_id").asText()).isEqualTo("r-3");

            c.send(with("r-4", "type", "user", "root_ids", List.of()));
            JsonNode invalid = c.next();
            assertThat(invalid.path("error")).hasSize(2);
            assertThat(invalid.path("request_id").asText()).isEqualTo("r-4");
        }
    }

    @Test
    void connectionAndChangeUserRepliesCarryTheRequestId() {
        try (WsClient c = WsClient.connect(server.wsUrl())) {
            c.send(with("r-5", "type", "connection"));
            JsonNode again = c.next();
            assertThat(again.path("request_id").asText()).isEqualTo("r-5");
            assertThat(again.path("data")).isEqualTo(c.connection().path("data"));

            c.send(with("r-6", "type", "change_user", "token", server.http().newToken()));
            JsonNode changed = c.next();
            assertThat(changed.path("type").asText()).isEqualTo("connection");
            assertThat(changed.path("request_id").asText()).isEqualTo("r-6");
        }
    }

    @Test
    void channelEventRepliesCarryTheRequestId() {
        try (WsClient c = WsClient.connect(server.wsUrl())) {
            c.send(with("r-join", "type", "join", "channel_ids", List.of("rid-room")));
            assertThat(c.next().path("request_id").asText()).isEqualTo("r-join");
            c.send(with("r-presence", "type", "presence", "channel_id", "rid-room"));
            assertThat(c.next().path("request_id").asText()).isEqualTo("r-presence");
            c.send(with("r-history", "type", "history", "channel_id", "rid-room"));
            assertThat(c.next().path("request_id").asText()).isEqualTo("r-history");
            c.send(with("r-leave", "type", "leave", "channel_ids", List.of("rid-room")));
            JsonNode left = c.next();
            assertThat(left.path("type").asText()).isEqualTo("leave");
            assertThat(left.path("request_id").asText()).isEqualTo("r-leave");
        }
    }

    @Test
    void repliesWithoutARequestIdAreUnchanged() {
        try (WsClient c = WsClient.connect(server.wsUrl())) {
            c.send(Map.of("type", "walker", "walker", "echo", "context", Map.of("text", "hi"), "response", true));
            assertThat(c.next()).isEqualTo(json("{\"status\":200,\"reports\":[\"hi\"]}"));
            c.send(Map.of("type", "connection"));
            assertThat(c.next()).isEqualTo(c.connection());
            c.send(Map.of("type", "walker", "walker", "nope"));
            assertThat(c.next()).isEqualTo(json("{\"type\":\"walker\",\"error\":\"Walker nope not found!\",\"status\":404}"));
        }
    }

    @Test
    void deliveriesNeverCarryTheRequestId() {
        try (WsClient c = WsClient.connect(server.wsUrl() + "?channel_id=rid-deliveries")) {
            c.send(with("r-7", "type", "walker", "walker", "progress", "context", Map.of("steps", 1), "response", true));
            assertThat(c.next()).isEqualTo(json("{\"type\":\"progress\",\"step\":1}"));
            assertThat(c.next().path("request_id").asText()).isEqualTo("r-7");
            c.send(with("r-8", "type", "channel", "channel_ids", List.of("rid-deliveries"), "data", Map.of("n", 1)));
            assertThat(c.next()).isEqualTo(json("{\"n\":1}"));
        }
    }

    @Test
    void anInvalidRequestIdIsRefusedAndTheConnectionGoesOn() {
        try (WsClient c = WsClient.connect(server.wsUrl())) {
            c.send(with("x".repeat(65), "type", "connection"));
            JsonNode tooLong = c.next();
            assertThat(tooLong.path("error").get(0).path("type").asText()).isEqualTo("string_too_long");
            assertThat(tooLong.path("error").get(0).path("loc")).isEqualTo(json("[\"request_id\"]"));
            assertThat(tooLong.has("request_id")).isFalse();

            c.send("{\"type\":\"connection\",\"request_id\":7}");
            assertThat(c.next().path("error").get(0).path("type").asText()).isEqualTo("string_type");
            c.send(with("", "type", "connection"));
            assertThat(c.next().path("error").get(0).path("type").asText()).isEqualTo("string_too_short");

            c.send(with("x".repeat(64), "type", "connection"));
            assertThat(c.next().path("request_id").asText()).isEqualTo("x".repeat(64));
        }
    }

    @Test
    void aHundredWalkerEventsInFlightOnOneConnectionEachGetTheirOwnResponse() {
        try (WsClient c = WsClient.connect(server.wsUrl())) {
            for (int i = 0; i < 100; i++) {
                c.send(with("req-" + i, "type", "walker", "walker", "echo", "context", Map.of("text", "answer-" + i), "response", true));
            }
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < 100; i++) {
                JsonNode r = c.next();
                String id = r.path("request_id").asText();
                assertThat(r.path("reports").get(0).asText()).isEqualTo("answer-" + id.substring(4));
                seen.add(id);
            }
            assertThat(seen).hasSize(100);
        }
    }

    @Test
    void aHundredConcurrentWalkerEventsFromManyConnectionsEachGetTheirOwnResponse() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            List<CompletableFuture<List<String>>> runs = new ArrayList<>();
            for (int t = 0; t < 10; t++) {
                int conn = t;
                runs.add(CompletableFuture.supplyAsync(() -> {
                    try (WsClient c = WsClient.connect(server.wsUrl())) {
                        for (int i = 0; i < 10; i++) {
                            String id = conn + "/" + i;
                            c.send(with(id, "type", "walker", "walker", "echo", "context", Map.of("text", "for " + id), "response", true));
                        }
                        List<String> ids = new ArrayList<>();
                        for (int i = 0; i < 10; i++) {
                            JsonNode r = c.next();
                            assertThat(r.path("reports").get(0).asText()).isEqualTo("for " + r.path("request_id").asText());
                            ids.add(r.path("request_id").asText());
                        }
                        return ids;
                    }
                }, pool));
            }
            Set<String> all = new HashSet<>();
            for (int t = 0; t < 10; t++) {
                List<String> ids = runs.get(t).get();
                for (String id : ids) assertThat(id).startsWith(t + "/");
                all.addAll(ids);
            }
            assertThat(all).hasSize(100);
        } finally {
            pool.shutdownNow();
        }
    }
}
