package io.walkerd.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** However a connection ends, it leaves no entry in any index of the hub. */
class CleanupTest {
    @RegisterExtension
    static final SocketServer server = new SocketServer();


    @Test
    void cleanCloseLeavesNoEntryInAnyIndex() {
        String alice = server.http().newToken();
        List<WsClient> clients = new ArrayList<>();
        clients.add(WsClient.connect(server.wsUrl(), alice));
        clients.add(WsClient.connect(server.wsUrl() + "?channel_id=cleanup", alice));
        clients.add(WsClient.connect(server.wsUrl() + "?channel_id=cleanup"));
        clients.add(WsClient.connect(server.wsUrl()));
        assertThat(server.counts()).isEqualTo(new Hub.Counts(4, 2, 3, 4, 4));

        for (WsClient c : clients) c.closeCleanly();
        await().atMost(Duration.ofSeconds(5)).until(() -> server.counts().empty());
    }

    @Test
    void changedUserIsCleanedToo() {
        try (WsClient c = WsClient.connect(server.wsUrl())) {
            c.send(Map.of("type", "change_user", "token", server.http().newToken()));
            c.next();
            assertThat(server.counts()).isEqualTo(new Hub.Counts(1, 1, 1, 1, 1));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> server.counts().empty());
    }

    @Test
    void abruptTcpResetLeavesNoEntryInAnyIndex() throws Exception {
        RawSocket raw = RawSocket.upgrade(server.port(), "?channel_id=raw");
        JsonNode connection = WsClient.JSON.readTree(raw.readText());
        assertThat(connection.path("data").path("channel_id").asText()).isEqualTo("raw");
        assertThat(server.counts().clients()).isEqualTo(1);

        raw.reset();
        await().atMost(Duration.ofSeconds(5)).until(() -> server.counts().empty());
    }

    @Test
    void tcpCloseWithoutCloseFrameLeavesNoEntryInAnyIndex() throws Exception {
        RawSocket raw = RawSocket.upgrade(server.port(), "");
        raw.readText();
        assertThat(server.counts().clients()).isEqualTo(1);

        raw.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> server.counts().empty());
    }

    @Test
    void connectionThatEndsWhileAuthenticatingIsNeverRegistered() throws Exception {
        for (int i = 0; i < 20; i++) RawSocket.upgrade(server.port(), "?channel_id=gone").reset();
        await().atMost(Duration.ofSeconds(5)).until(() -> server.plugin().openSockets() == 0);
        assertThat(server.counts().empty()).isTrue();
    }
}
