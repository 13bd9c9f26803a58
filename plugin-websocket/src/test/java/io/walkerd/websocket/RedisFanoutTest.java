package io.walkerd.websocket;

import io.walkerd.testing.Http;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.walkerd.websocket.ClientEventTest.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances sharing the machine's Redis: what is sent on instance A reaches the connections of instance B, and
 * each connection gets each message exactly once (a fence message sent after it comes next, not a duplicate).
 */
class RedisFanoutTest {
    static TwoInstances cluster;
    static SocketServer a;
    static SocketServer b;
    static Http http;

    @BeforeAll
    static void start() {
        cluster = new TwoInstances("redis://127.0.0.1:6379");
        a = cluster.a;
        b = cluster.b;
        http = a.http();
    }

    @AfterAll
    static void stop() { cluster.close(); }

    @Test
    void userEventFromAReachesTheUsersConnectionsOnBothInstancesOnce() {
        String alice = http.newToken();
        try (WsClient onA = WsClient.connect(a.wsUrl(), alice);
             WsClient onB = WsClient.connect(b.wsUrl(), alice);
             WsClient sender = WsClient.connect(a.wsUrl())) {
            sender.send(Map.of("type", "user", "root_ids", List.of(onA.rootId()), "data", Map.of("n", 1)));
            sender.send(Map.of("type", "user", "root_ids", List.of(onA.rootId()), "data", Map.of("fence", 1)));
            for (WsClient c : List.of(onA, onB)) {
                assertThat(c.next()).isEqualTo(json("{\"n\":1}"));
                assertThat(c.next()).isEqualTo(json("{\"fence\":1}"));
            }
        }
    }

    @Test
    void channelEventFromAReachesMembersOnBOnceAndNoOutsider() {
        String room = "room-" + UUID.randomUUID();
        String other = "other-" + UUID.randomUUID();
        try (WsClient memberA = WsClient.connect(a.wsUrl() + "?channel_id=" + room);
             WsClient memberB1 = WsClient.connect(b.wsUrl() + "?channel_id=" + room);
             WsClient memberB2 = WsClient.connect(b.wsUrl() + "?channel_id=" + room, http.newToken());
             WsClient outsiderB = WsClient.connect(b.wsUrl() + "?channel_id=" + other);
             WsClient sender = WsClient.connect(a.wsUrl())) {
            sender.send(Map.of("type", "channel", "channel_ids", List.of(room), "data", Map.of("m", "hi")));
            sender.send(Map.of("type", "channel", "channel_ids", List.of(room, other), "data", Map.of("fence", 1)));
            for (WsClient c : List.of(memberA, memberB1, memberB2)) {
                assertThat(c.next()).isEqualTo(json("{\"m\":\"hi\"}"));
                assertThat(c.next()).isEqualTo(json("{\"fence\":1}"));
            }
            assertThat(outsiderB.next()).isEqualTo(json("{\"fence\":1}"));
        }
    }

    @Test
    void clientEventFromAReachesOneConnectionOnBOnce() {
        String alice = http.newToken();
        try (WsClient target = WsClient.connect(b.wsUrl(), alice);
             WsClient sibling = WsClient.connect(b.wsUrl(), alice);
             WsClient sender = WsClient.connect(a.wsUrl())) {
            sender.send(Map.of("type", "client", "client_ids", List.of(target.clientId()), "data", Map.of("direct", 1)));
            sender.send(Map.of("type", "user", "root_ids", List.of(target.rootId()), "data", Map.of("fence", 1)));
            assertThat(target.next()).isEqualTo(json("{\"direct\":1}"));
            assertThat(target.next()).isEqualTo(json("{\"fence\":1}"));
            assertThat(sibling.next()).isEqualTo(json("{\"fence\":1}"));
        }
    }

    @Test
    void walkerNotificationsOnAReachUserChannelAndClientOnBOnce() {
        String alice = http.newToken();
        String room = "room-" + UUID.randomUUID();
        try (WsClient user = WsClient.connect(b.wsUrl(), alice);
             WsClient member = WsClient.connect(b.wsUrl() + "?channel_id=" + room);
             WsClient client = WsClient.connect(b.wsUrl())) {
            assertThat(http.post("/walker/notify_users", Map.of("targets", List.of(user.rootId()), "data", Map.of("to", "user"))).status()).isEqualTo(200);
            assertThat(http.post("/walker/notify_channels", Map.of("targets", List.of(room), "data", Map.of("to", "channel"))).status()).isEqualTo(200);
            assertThat(http.post("/walker/notify_clients", Map.of("targets", List.of(client.clientId()), "data", Map.of("to", "client"))).status()).isEqualTo(200);
            assertThat(http.post("/walker/notify_clients", Map.of("targets", List.of(user.clientId(), member.clientId(), client.clientId()),
                    "data", Map.of("fence", 1))).status()).isEqualTo(200);

            assertThat(user.next()).isEqualTo(json("{\"to\":\"user\"}"));
            assertThat(member.next()).isEqualTo(json("{\"to\":\"channel\"}"));
            assertThat(client.next()).isEqualTo(json("{\"to\":\"client\"}"));
            for (WsClient c : List.of(user, member, client)) assertThat(c.next()).isEqualTo(json("{\"fence\":1}"));
        }
    }

    @Test
    void websocketWalkerOnANotifiesItsOwnUserOnBBeforeItsResponseOnA() {
        String alice = http.newToken();
        try (WsClient caller = WsClient.connect(a.wsUrl(), alice);
             WsClient onB = WsClient.connect(b.wsUrl(), alice)) {
            caller.send(Map.of("type", "walker", "walker", "notify_myself", "context", Map.of("data", Map.of("hello", "all")), "response", true));
            assertThat(caller.next()).isEqualTo(json("{\"hello\":\"all\"}"));
            assertThat(caller.next()).isEqualTo(json("{\"status\":200}"));
            assertThat(onB.next()).isEqualTo(json("{\"hello\":\"all\"}"));
            onB.send(Map.of("type", "connection"));
            assertThat(onB.next()).isEqualTo(onB.connection());
        }
    }

    @Test
    void subscriptionsEndWithTheirLastConnection() {
        String room = "room-" + UUID.randomUUID();
        try (WsClient member = WsClient.connect(b.wsUrl() + "?channel_id=" + room)) {
            assertThat(b.plugin().hub().local(Topic.channel(room))).hasSize(1);
        }
        org.awaitility.Awaitility.await().until(() -> b.plugin().hub().local(Topic.channel(room)).isEmpty());
        assertThat(((RedisBroker) b.plugin().broker()).isSubscribed(Topic.channel(room))).isFalse();
    }
}
