package io.walkerd.app;

import io.walkerd.testing.Http;
import io.walkerd.testing.Scrape;
import io.walkerd.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A walker's calls count under the transport they came by: over the websocket under {@code via="websocket"}, over
 * REST under {@code via="rest"}; a websocket call to a walker nobody declared counts under {@code walker="unknown"},
 * never under the name the client sent.
 */
class WalkerCallMetricsTest {
    static final String TOKEN = "metrics-token-0123456789abcdef";

    @Test
    void callsCountUnderTheTransportTheyCameByAndUnknownNamesUnderOneLabel() {
        try (TestServer server = TestServer.start(Map.of("METRICS_TOKEN", TOKEN))) {
            Http http = server.http();
            Scrape before = Scrape.parse(http.get("/metrics", TOKEN).raw());
            try (SocketClient socket = SocketClient.connect(server.wsUrl() + "/websocket", null)) {
                for (int i = 0; i < 3; i++) {
                    socket.send(Map.of("type", "walker", "walker", "echo", "context", Map.of("text", "hi " + i), "response", true));
                    assertThat(socket.next().path("status").asInt()).isEqualTo(200);
                }
                socket.send(Map.of("type", "walker", "walker", "no_such_walker_4c1d", "context", Map.of(), "response", true));
                assertThat(socket.next().path("status").asInt()).isEqualTo(404);
            }
            assertThat(http.post("/walker/echo", Map.of("text", "over rest")).status()).isEqualTo(200);
            Scrape after = Scrape.parse(http.get("/metrics", TOKEN).raw());

            assertThat(moved(before, after, "walker", "echo", "via", "websocket", "status", "200")).isEqualTo(3);
            assertThat(moved(before, after, "walker", "echo", "via", "rest", "status", "200")).isEqualTo(1);
            assertThat(moved(before, after, "walker", "unknown", "via", "websocket", "status", "404")).isEqualTo(1);
            assertThat(after.samples()).noneSatisfy(s -> assertThat(s.labels().values()).contains("no_such_walker_4c1d"));
        }
    }

    private static double moved(Scrape before, Scrape after, String... labels) {
        return after.sum("walkerd_walker_calls_total", labels) - before.sum("walkerd_walker_calls_total", labels);
    }
}
