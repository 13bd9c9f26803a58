package io.walkerd.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.walkerd.websocket.ClientEventTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Presence on one instance, and the join/leave events of {@code SOCKET_JOIN_LEAVE=true}. */
class PresenceTest {
    @RegisterExtension
    static final SocketServer server = new SocketServer(Map.of("SOCKET_JOIN_LEAVE", "true"));

    static String room() { return "pres-" + UUID.randomUUID(); }

    static List<String> presence(WsClient c, String channel) {
        c.send(Map.of("type", "presence", "channel_id", channel));
        JsonNode reply = c.next();
        while (reply.path("type").asText().startsWith("presence_")) reply = c.next(); // join/leave events of others
        assertThat(reply.path("type").asText()).as(reply.toString()).isEqualTo("presence");
        assertThat(reply.path("data").path("channel_id").asText()).isEqualTo(channel);
        return reply.path("data").path("clients").findValuesAsText("client_id");
    }

    @Test
    void presenceListsEveryConnectionInTheChannelWithItsUser() {
        String r = room();
        String alice = server.http().newToken();
        try (WsClient byQuery = WsClient.connect(server.wsUrl() + "?channel_id=" + r, alice);
             WsClient byJoin = WsClient.connect(server.wsUrl())) {
            byJoin.send(Map.of("type", "join", "channel_ids", List.of(r)));
            byJoin.next();
            byQuery.next(); // byJoin's presence_join
            byJoin.send(Map.of("type", "presence", "channel_id", r));
            JsonNode clients = byJoin.next().path("data").path("clients");
            assertThat(clients).hasSize(2);
            assertThat(clients).contains(json("{\"client_id\":\"" + byQuery.clientId() + "\",\"root_id\":\"" + byQuery.rootId() + "\"}"),
                    json("{\"client_id\":\"" + byJoin.clientId() + "\",\"root_id\":\"" + byJoin.rootId() + "\"}"));
        }
    }

    @Test
    void connectionsThatLeftOrClosedAreNoLongerPresent() {
        String r = room();
        try (WsClient stays = WsClient.connect(server.wsUrl() + "?channel_id=" + r)) {
            WsClient leaves = WsClient.connect(server.wsUrl() + "?channel_id=" + r);
            WsClient closes = WsClient.connect(server.wsUrl() + "?channel_id=" + r);
            leaves.send(Map.of("type", "leave", "channel_ids", List.of(r)));
            leaves.next();
            closes.closeCleanly();
            await().atMost(Duration.ofSeconds(5)).until(() -> presence(stays, r).equals(List.of(stays.clientId())));
            leaves.close();
        }
    }

    @Test
    void membersHearOfJoinsAndLeavesButNotOfTheirOwn() {
        String r = room();
        try (WsClient watcher = WsClient.connect(server.wsUrl() + "?channel_id=" + r)) {
            WsClient byQuery = WsClient.connect(server.wsUrl() + "?channel_id=" + r);
            assertThat(watcher.next()).isEqualTo(json("{\"type\":\"presence_join\",\"data\":{\"channel_id\":\"" + r
                    + "\",\"client_id\":\"" + byQuery.clientId() + "\",\"root_id\":\"" + byQuery.rootId() + "\"}}"));
            try (WsClient byJoin = WsClient.connect(server.wsUrl())) {
                byJoin.send(Map.of("type", "join", "channel_ids", List.of(r)));
                assertThat(byJoin.next().path("type").asText()).isEqualTo("join");
                for (WsClient c : List.of(watcher, byQuery)) {
                    JsonNode join = c.next();
                    assertThat(join.path("type").asText()).isEqualTo("presence_join");
                    assertThat(join.path("data").path("client_id").asText()).isEqualTo(byJoin.clientId());
                }
                byJoin.send(Map.of("type", "leave", "channel_ids", List.of(r)));
                assertThat(byJoin.next().path("type").asText()).isEqualTo("leave");
                for (WsClient c : List.of(watcher, byQuery)) {
                    JsonNode leave = c.next();
                    assertThat(leave.path("type").asText()).isEqualTo("presence_leave");
                    assertThat(leave.path("data").path("client_id").asText()).isEqualTo(byJoin.clientId());
                }
                byJoin.send(Map.of("type", "connection"));
                assertThat(byJoin.next().path("type").asText()).isEqualTo("connection"); // nothing of its own came first
            }
            byQuery.closeCleanly();
            JsonNode gone = watcher.next();
            assertThat(gone.path("type").asText()).isEqualTo("presence_leave");
            assertThat(gone.path("data").path("client_id").asText()).isEqualTo(byQuery.clientId());
        }
    }

    @Test
    void withoutJoinLeaveMembersHearNothingOfOthers() {
        try (SocketServer quiet = SocketServer.start(Map.of());
             WsClient watcher = WsClient.connect(quiet.wsUrl() + "?channel_id=quiet")) {
            WsClient other = WsClient.connect(quiet.wsUrl() + "?channel_id=quiet");
            other.closeCleanly();
            try (WsClient sender = WsClient.connect(quiet.wsUrl())) {
                sender.send(Map.of("type", "channel", "channel_ids", List.of("quiet"), "data", Map.of("fence", 1)));
                assertThat(watcher.next()).isEqualTo(json("{\"fence\":1}"));
            }
        }
    }
}
