package io.walkerd.websocket;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Pings keep answering connections alive and drop the ones that answer nothing. */
class HeartbeatTest {
    @RegisterExtension
    static final SocketServer server = new SocketServer(Map.of("SOCKET_PING_SECONDS", "0.3"));


    @Test
    void peerThatAnswersNoPingIsDroppedWhileOneThatAnswersStays() throws Exception {
        try (WsClient alive = WsClient.connect(server.wsUrl() + "?channel_id=alive");
             RawSocket silent = RawSocket.upgrade(server.port(), "?channel_id=silent")) {
            silent.readText();
            assertThat(server.counts().clients()).isEqualTo(2);

            // the silent peer reads nothing more and answers no ping: it goes after two intervals
            await().atMost(Duration.ofSeconds(5)).until(() -> server.counts().clients() == 1);
            assertThat(server.plugin().hub().local(Topic.channel("silent"))).isEmpty();

            // the answering one lived through the same intervals and still works
            alive.send(Map.of("type", "connection"));
            assertThat(alive.next()).isEqualTo(alive.connection());
        }
    }
}
