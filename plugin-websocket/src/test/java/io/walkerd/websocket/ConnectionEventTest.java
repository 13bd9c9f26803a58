package io.walkerd.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import io.walkerd.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The connection event (protocol.md section 5), on a server that found the plugin through ServiceLoader. */
class ConnectionEventTest {
    static final String ID = "^\\d{10}:[0-9a-f]{32}$";
    static final String PUBLIC_ROOT = "n::000000000000000000000001";
    static TestServer server;
    static String url;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        url = server.wsUrl() + "/websocket";
    }

    @AfterAll
    static void stop() { server.close(); }

    @Test
    void unauthenticatedClientWithoutChannelGetsPublicRootAndFreshIds() {
        try (WsClient c = WsClient.connect(url)) {
            JsonNode event = c.connection();
            assertThat(event.get("type").asText()).isEqualTo("connection");
            assertThat(fieldNames(event.get("data"))).containsExactly("client_id", "root_id", "channel_id");
            assertThat(c.clientId()).matches(ID);
            assertThat(c.rootId()).isEqualTo(PUBLIC_ROOT);
            assertThat(c.channelId()).matches(ID).isNotEqualTo(c.clientId());
            long seconds = Long.parseLong(c.clientId().substring(0, c.clientId().indexOf(':')));
            assertThat(seconds).isBetween(System.currentTimeMillis() / 1000 - 60, System.currentTimeMillis() / 1000 + 1);
        }
    }

    @Test
    void unauthenticatedClientWithChannelIsInThatChannel() {
        try (WsClient c = WsClient.connect(url + "?channel_id=room-1")) {
            assertThat(c.rootId()).isEqualTo(PUBLIC_ROOT);
            assertThat(c.channelId()).isEqualTo("room-1");
            assertThat(c.clientId()).matches(ID);
        }
    }

    @Test
    void authenticatedClientWithoutChannelGetsItsRoot() {
        JsonNode user = server.http().newUser();
        try (WsClient c = WsClient.connect(url, user.get("token").asText())) {
            assertThat(c.rootId()).isEqualTo("n::" + user.path("user").path("root_id").asText());
            assertThat(c.channelId()).matches(ID);
        }
    }

    @Test
    void authenticatedClientWithChannelGetsItsRootAndChannel() {
        JsonNode user = server.http().newUser();
        try (WsClient c = WsClient.connect(url + "?channel_id=room-2", user.get("token").asText())) {
            assertThat(c.rootId()).isEqualTo("n::" + user.path("user").path("root_id").asText());
            assertThat(c.channelId()).isEqualTo("room-2");
        }
    }

    @Test
    void authorizationHeaderNameIsCaseInsensitive() throws Exception {
        JsonNode user = server.http().newUser();
        int port = Integer.parseInt(server.baseUrl().substring(server.baseUrl().lastIndexOf(':') + 1));
        try (RawSocket raw = RawSocket.upgrade(port, "", "authorization: bearer " + user.get("token").asText() + "\r\n")) {
            JsonNode event = WsClient.JSON.readTree(raw.readText());
            assertThat(event.path("data").path("root_id").asText()).isEqualTo("n::" + user.path("user").path("root_id").asText());
        }
    }

    @Test
    void badTokenConnectsAsPublicUser() {
        try (WsClient c = WsClient.connect(url, "not-a-token")) {
            assertThat(c.rootId()).isEqualTo(PUBLIC_ROOT);
        }
    }

    @Test
    void connectionEventIsSentAgainOnRequest() {
        try (WsClient c = WsClient.connect(url + "?channel_id=room-3")) {
            c.send(Map.of("type", "connection"));
            assertThat(c.next()).isEqualTo(c.connection());
        }
    }

    static java.util.List<String> fieldNames(JsonNode n) {
        java.util.List<String> out = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
