package io.walkerd.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import io.walkerd.testing.Http;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.walkerd.websocket.ClientEventTest.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Walker events run the REST walker code and answer as protocol.md section 5 says. */
class WalkerEventTest {
    @RegisterExtension
    static final SocketServer server = new SocketServer();
    static final Http http = server.http();


    static Map<String, Object> walker(String name, Map<String, Object> context, boolean response) {
        Map<String, Object> e = new HashMap<>();
        e.put("type", "walker");
        e.put("walker", name);
        e.put("context", context);
        e.put("response", response);
        return e;
    }

    @Test
    void walkerWithResponseTrueGetsTheRestShapedBody() {
        try (WsClient c = WsClient.connect(server.wsUrl())) {
            c.send(walker("echo", Map.of("text", "hi", "times", 2), true));
            JsonNode body = c.next();
            assertThat(body).isEqualTo(json("{\"status\":200,\"reports\":[\"hi\",\"hi\"]}"));
            assertThat(body).isEqualTo(http.post("/walker/echo", Map.of("text", "hi", "times", 2)).body());
        }
    }

    @Test
    void walkerWithResponseFalseGetsNothing() {
        try (WsClient c = WsClient.connect(server.wsUrl())) {
            c.send(walker("echo", Map.of("text", "quiet"), false));
            c.send(Map.of("type", "connection"));
            assertThat(c.next()).isEqualTo(c.connection());
        }
    }

    @Test
    void responseDefaultsToFalseAndContextToEmpty() {
        try (WsClient c = WsClient.connect(server.wsUrl())) {
            c.send(Map.of("type", "walker", "walker", "echo"));
            c.send(Map.of("type", "walker", "walker", "echo", "response", true));
            assertThat(c.next()).isEqualTo(json("{\"status\":200,\"reports\":[\"\"]}"));
        }
    }

    @Test
    void notifySelfMessagesArriveBeforeTheResponseInOrder() {
        try (WsClient c = WsClient.connect(server.wsUrl())) {
            c.send(walker("progress", Map.of("steps", 5), true));
            for (int i = 1; i <= 5; i++) assertThat(c.next()).isEqualTo(json("{\"type\":\"progress\",\"step\":" + i + "}"));
            assertThat(c.next()).isEqualTo(json("{\"status\":200,\"reports\":[\"done\"]}"));
        }
    }

    @Test
    void notificationsOfAWalkerWithoutResponseStillArrive() {
        try (WsClient c = WsClient.connect(server.wsUrl())) {
            c.send(walker("progress", Map.of("steps", 2), false));
            assertThat(c.next().get("step").asInt()).isEqualTo(1);
            assertThat(c.next().get("step").asInt()).isEqualTo(2);
            c.send(Map.of("type", "connection"));
            assertThat(c.next()).isEqualTo(c.connection());
        }
    }

    @Test
    void notificationDataMayBeARecord() {
        try (WsClient c = WsClient.connect(server.wsUrl())) {
            c.send(walker("notify_self_record", Map.of(), false));
            assertThat(c.next()).isEqualTo(json("{\"type\":\"chat\",\"message\":\"hello\"}"));
        }
    }

    @Test
    void authWalkerFromAPublicConnectionGetsTheWalkerError() {
        try (WsClient c = WsClient.connect(server.wsUrl())) {
            c.send(walker("who_am_i", Map.of(), true));
            JsonNode reply = c.next();
            assertThat(reply.get("type").asText()).isEqualTo("walker");
            assertThat(reply.get("error").asText()).isNotBlank();
            assertThat(reply.get("status").asInt()).isEqualTo(401);
        }
    }

    @Test
    void authWalkerFromAnAuthenticatedConnectionRunsAsThatUser() {
        try (WsClient c = WsClient.connect(server.wsUrl(), http.newToken())) {
            c.send(walker("who_am_i", Map.of(), true));
            assertThat(c.next().get("reports").get(0).asText()).isEqualTo(c.rootId());
        }
    }

    @Test
    void unknownWalkerGetsTheWalkerError() {
        try (WsClient c = WsClient.connect(server.wsUrl())) {
            c.send(walker("no_such_walker", Map.of(), false));
            JsonNode reply = c.next();
            assertThat(reply.get("type").asText()).isEqualTo("walker");
            assertThat(reply.get("error").asText()).contains("no_such_walker");
            assertThat(reply.get("status").asInt()).isEqualTo(404);
        }
    }

    @Test
    void walkerWithoutTheWebsocketMethodIsNotAnEvent() {
        try (WsClient c = WsClient.connect(server.wsUrl())) {
            c.send(walker("rest_only", Map.of(), true));
            JsonNode reply = c.next();
            assertThat(reply.get("type").asText()).isEqualTo("walker");
            assertThat(reply.get("status").asInt()).isEqualTo(405);
        }
    }

    @Test
    void invalidWalkerInputGetsTheWalkerErrorWithTheFieldDetail() {
        try (WsClient c = WsClient.connect(server.wsUrl())) {
            c.send(walker("needs_number", Map.of("number", "abc"), true));
            JsonNode reply = c.next();
            assertThat(reply.get("type").asText()).isEqualTo("walker");
            assertThat(reply.get("status").asInt()).isEqualTo(422);
            assertThat(reply.get("detail").get(0).get("loc").toString()).contains("number");
        }
    }

    @Test
    void nodeTheCallerCannotReadGetsTheWalkerError() {
        String owner = http.newToken();
        String item = http.post("/walker/build_items", Map.of("count", 1), owner).reports().get(0).get("id").asText();
        try (WsClient c = WsClient.connect(server.wsUrl(), http.newToken())) {
            Map<String, Object> event = walker("echo", Map.of(), true);
            event.put("node", item);
            c.send(event);
            JsonNode reply = c.next();
            assertThat(reply.get("type").asText()).isEqualTo("walker");
            assertThat(reply.get("error").asText()).isEqualTo("You don't have access on target entry " + item + "!");
            assertThat(reply.get("status").asInt()).isEqualTo(403);
        }
    }

    @Test
    void walkerNotifiesItsOwnUserByRootNodeBeforeItsResponse() {
        String alice = http.newToken();
        try (WsClient caller = WsClient.connect(server.wsUrl(), alice);
             WsClient other = WsClient.connect(server.wsUrl(), alice)) {
            caller.send(walker("notify_myself", Map.of("data", Map.of("hello", "me")), true));
            assertThat(caller.next()).isEqualTo(json("{\"hello\":\"me\"}"));
            assertThat(caller.next()).isEqualTo(json("{\"status\":200}"));
            assertThat(other.next()).isEqualTo(json("{\"hello\":\"me\"}"));
        }
    }

    @Test
    void laterEventsOfAConnectionWaitForItsRunningWalker() {
        try (WsClient c = WsClient.connect(server.wsUrl())) {
            c.send(walker("slow_work", Map.of("millis", 300), true));
            c.send(Map.of("type", "connection"));
            assertThat(c.next().get("type").asText()).isEqualTo("started");
            assertThat(c.next()).isEqualTo(json("{\"status\":200,\"reports\":[\"finished\"]}"));
            assertThat(c.next()).isEqualTo(c.connection());
        }
    }

    @Test
    void aSlowWalkerDoesNotHoldOtherConnections() {
        try (WsClient slow = WsClient.connect(server.wsUrl());
             WsClient quick = WsClient.connect(server.wsUrl())) {
            slow.send(walker("slow_work", Map.of("millis", 3000), true));
            assertThat(slow.next().get("type").asText()).isEqualTo("started");
            quick.send(walker("echo", Map.of("text", "fast"), true));
            assertThat(quick.next().get("reports")).isEqualTo(json("[\"fast\"]"));
            assertThat(slow.waiting()).isZero();
            assertThat(slow.next().get("reports")).isEqualTo(json("[\"finished\"]"));
        }
    }

}
