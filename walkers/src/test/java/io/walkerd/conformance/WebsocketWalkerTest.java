package io.walkerd.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.walkerd.testing.Http;
import io.walkerd.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** jac-cloud's {@code websocket} test walker, over a real websocket: it notifies its caller, and only over the socket. */
class WebsocketWalkerTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static TestServer server;
    static Http http;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("WALKERD_CONFORMANCE", "true"));
        http = server.http();
    }

    @AfterAll
    static void stop() { server.close(); }

    /** A socket that queues every text frame. */
    static final class Frames implements WebSocket.Listener {
        final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            try {
                frames.add(JSON.readTree(data.toString()));
            } catch (Exception e) {
                frames.add(JSON.getNodeFactory().textNode(data.toString()));
            }
            ws.request(1);
            return null;
        }

        JsonNode next() throws InterruptedException {
            JsonNode f = frames.poll(10, TimeUnit.SECONDS);
            assertThat(f).as("a frame within 10 s").isNotNull();
            return f;
        }
    }

    @Test
    void itNotifiesTheCallingConnectionWithTestingVal() throws Exception {
        Frames frames = new Frames();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Authorization", "Bearer " + http.newToken())
                .buildAsync(URI.create(server.wsUrl() + "/websocket"), frames).join();
        try {
            assertThat(frames.next().path("type").asText()).isEqualTo("connection");
            ws.sendText("{\"type\":\"walker\",\"walker\":\"websocket\",\"context\":{\"val\":1},\"response\":true}", true).join();
            assertThat(frames.next()).isEqualTo(JSON.readTree("{\"testing\":1}"));
            assertThat(frames.next()).isEqualTo(JSON.readTree("{\"status\":200}"));
            ws.sendText("{\"type\":\"walker\",\"walker\":\"websocket\",\"context\":{\"val\":\"x\"},\"response\":true}", true).join();
            assertThat(frames.next().path("status").asInt()).isEqualTo(422);
        } finally {
            ws.abort();
        }
    }

    @Test
    void itIsNotARestRoute() {
        assertThat(http.post("/walker/websocket", Map.of("val", 1), http.newToken()).status()).isIn(404, 405);
    }
}
