package io.walkerd.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.walkerd.testing.Http;
import io.walkerd.testing.LiveServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The progress and chat walkers ({@code io.walkerd.app.progress}, {@code io.walkerd.app.chat}) over real sockets. */
class NotifyWalkersTest {
    static final List<String> PERCENT = List.of("0%", "20%", "40%", "60%", "80%", "100%");
    static final List<String> STATUS = List.of("started", "inprogress", "inprogress", "inprogress", "inprogress", "completed");

    @RegisterExtension
    static final LiveServer server = new LiveServer();
    static final Http http = server.http();

    static SocketClient connect(String token) { return SocketClient.connect(server.wsUrl() + "/websocket", token); }

    static SocketClient connect(String token, String channel) {
        return SocketClient.connect(server.wsUrl() + "/websocket?channel_id=" + channel, token);
    }

    static void assertSixProgressMessages(List<JsonNode> frames) {
        assertThat(frames).hasSize(6);
        for (int i = 0; i < 6; i++) {
            assertThat(frames.get(i).path("any_field").asText()).isEqualTo("for_progress");
            assertThat(frames.get(i).path("progress").asText()).isEqualTo(PERCENT.get(i));
            assertThat(frames.get(i).path("status").asText()).isEqualTo(STATUS.get(i));
        }
    }

    static List<String> texts(JsonNode reports) {
        List<String> out = new ArrayList<>();
        for (JsonNode r : reports) out.add(r.asText());
        return out;
    }

    @Test
    void selfProgressNotifTellsTheCallingConnectionSixTimesThenAnswers() {
        try (SocketClient me = connect(http.newToken())) {
            me.send(Map.of("type", "walker", "walker", "self_progress_notif", "response", true, "context", Map.of()));
            assertSixProgressMessages(me.next(6));
            JsonNode response = me.next();
            assertThat(response.toString()).contains("\"status\":200");
            assertThat(texts(response.findValue("reports")))
                    .containsExactly("do something 1", "do something 2", "do something 3", "do something 4", "do something 5", "do something 6");
        }
    }

    @Test
    void selfProgressNotifIsNotARestRoute() {
        assertThat(http.post("/walker/self_progress_notif", Map.of(), http.newToken()).status()).isIn(404, 405);
    }

    @Test
    void userProgressNotifOverRestReachesEveryConnectionOfThatUser() {
        JsonNode bob = http.newUser();
        String bobToken = bob.get("token").asText();
        try (SocketClient tab1 = connect(bobToken); SocketClient tab2 = connect(bobToken)) {
            var r = http.post("/walker/user_progress_notif", Map.of("root_id", tab1.info().get("root_id").asText()), http.newToken());
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(r.reports()).hasSize(6);
            assertSixProgressMessages(tab1.next(6));
            assertSixProgressMessages(tab2.next(6));
        }
    }

    @Test
    void channelProgressNotifReachesTheChannelOnly() {
        String token = http.newToken();
        try (SocketClient in = connect(token, "progress-room"); SocketClient out = connect(token, "elsewhere")) {
            var r = http.post("/walker/channel_progress_notif", Map.of("channel_id", "progress-room"), token);
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertSixProgressMessages(in.next(6));
            assertThat(out.drain(java.time.Duration.ofMillis(300))).isEmpty();
        }
    }

    @Test
    void clientProgressNotifOverTheSocketReachesThatOneClient() {
        String token = http.newToken();
        try (SocketClient caller = connect(token); SocketClient target = connect(token)) {
            caller.send(Map.of("type", "walker", "walker", "client_progress_notif", "response", true,
                    "context", Map.of("client_id", target.info().get("client_id").asText())));
            assertSixProgressMessages(target.next(6));
            JsonNode response = caller.next();
            assertThat(response.toString()).contains("do something 6");
        }
    }

    @Test
    void theChatWalkersSendTheChatShapeToAUserAChannelAndAClient() {
        JsonNode bob = http.newUser();
        String aliceToken = http.newToken();
        try (SocketClient bobTab = connect(bob.get("token").asText(), "chat-room")) {
            String root = bobTab.info().get("root_id").asText();
            String client = bobTab.info().get("client_id").asText();
            http.post("/walker/send_chat_to_user", Map.of("root_id", root, "message", "to user"), aliceToken);
            http.post("/walker/send_chat_to_group", Map.of("channel_id", "chat-room", "message", "to channel"), aliceToken);
            http.post("/walker/send_chat_to_client", Map.of("client_id", client), aliceToken);
            List<JsonNode> got = bobTab.next(3);
            assertThat(got).allSatisfy(f -> assertThat(f.path("type").asText()).isEqualTo("chat"));
            assertThat(got.stream().map(f -> f.at("/data/message").asText()).toList()).containsExactly("to user", "to channel", "string");
        }
    }

    @Test
    void aChatLargerThanTheFrameLimitFailsOverRestAndReachesNobody() {
        JsonNode bob = http.newUser();
        String aliceToken = http.newToken();
        try (SocketClient bobTab = connect(bob.get("token").asText())) {
            String root = bobTab.info().get("root_id").asText();
            var refused = http.post("/walker/send_chat_to_user", Map.of("root_id", root, "message", "m".repeat(990_000)), aliceToken);
            assertThat(refused.status()).isEqualTo(413);
            assertThat(refused.body().get("error").asText()).contains("SOCKET_MAX_FRAME_BYTES (65536)");
            http.post("/walker/send_chat_to_user", Map.of("root_id", root, "message", "fence"), aliceToken);
            assertThat(bobTab.next().at("/data/message").asText()).isEqualTo("fence");
        }
    }

    @Test
    void somethingAnswersAnyoneAndDoesNothing() {
        var r = http.post("/walker/something", Map.of(), null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().toString()).isEqualTo("{\"status\":200}");
    }
}
