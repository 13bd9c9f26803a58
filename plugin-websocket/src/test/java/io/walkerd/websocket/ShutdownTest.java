package io.walkerd.websocket;

import org.junit.jupiter.api.Test;

import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static io.walkerd.websocket.ClientEventTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Stopping the server: no new connections, running walker events finish, queues are written, then 1001. */
class ShutdownTest {

    @Test
    void stopLetsRunningWalkerEventsFinishFlushesAndClosesWith1001() {
        SocketServer server = SocketServer.start(Map.of("SHUTDOWN_GRACE_MS", "10000"));
        try (WsClient busy = WsClient.connect(server.wsUrl());
             WsClient idle = WsClient.connect(server.wsUrl())) {
            busy.send(Map.of("type", "walker", "walker", "slow_work", "context", Map.of("millis", 1500), "response", true));
            assertThat(busy.next().get("type").asText()).isEqualTo("started");

            CompletableFuture<Void> stopped = CompletableFuture.runAsync(server::close);
            await().atMost(Duration.ofSeconds(5)).until(() -> !server.plugin().acceptsConnections());

            // new connections are refused while the running event finishes
            assertThatThrownBy(() -> WsClient.open(server.wsUrl(), null))
                    .isInstanceOf(CompletionException.class).hasCauseInstanceOf(WebSocketHandshakeException.class);

            assertThat(busy.next()).isEqualTo(json("{\"status\":200,\"reports\":[\"finished\"]}"));
            assertThat(busy.awaitEnding().code()).isEqualTo(1001);
            assertThat(idle.awaitEnding().code()).isEqualTo(1001);
            stopped.orTimeout(15, TimeUnit.SECONDS).join();
        } finally {
            server.close();
        }
    }

    @Test
    void eventsThatHaveNotStartedWhenTheServerStopsAreAnsweredWithAnError() {
        SocketServer server = SocketServer.start(Map.of("SHUTDOWN_GRACE_MS", "10000"));
        try (WsClient c = WsClient.connect(server.wsUrl())) {
            c.send(Map.of("type", "walker", "walker", "slow_work", "context", Map.of("millis", 1000), "response", true));
            assertThat(c.next().get("type").asText()).isEqualTo("started");
            c.send(Map.of("type", "walker", "walker", "echo", "context", Map.of("text", "too late"), "response", true));

            CompletableFuture<Void> stopped = CompletableFuture.runAsync(server::close);
            assertThat(c.next().get("reports").get(0).asText()).isEqualTo("finished");
            assertThat(c.next().get("error").get(0).get("type").asText()).isEqualTo("server_stopping");
            assertThat(c.awaitEnding().code()).isEqualTo(1001);
            stopped.orTimeout(15, TimeUnit.SECONDS).join();
        } finally {
            server.close();
        }
    }
}
