package io.walkerd.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import io.walkerd.testing.Http;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.walkerd.websocket.ClientEventTest.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Node channels across two instances sharing Redis and the database: a commit on one instance reaches the node's
 * members on the other, each instance checking its own members' READ at delivery.
 */
class RedisNodeChannelTest {
    static TwoInstances cluster;
    static SocketServer a;
    static SocketServer b;
    static Http httpA;

    @BeforeAll
    static void start() {
        cluster = new TwoInstances("redis://127.0.0.1:6379");
        a = cluster.a;
        b = cluster.b;
        httpA = a.http();
    }

    @AfterAll
    static void stop() { cluster.close(); }

    record User(String token, String rootId) {}

    static User user() {
        JsonNode login = httpA.newUser();
        return new User(login.path("token").asText(), "n::" + login.path("user").path("root_id").asText());
    }

    static String card(User owner) { return httpA.post("/walker/make_card", Map.of("title", "t"), owner.token()).reports().get(0).path("id").asText(); }

    static void call(String walker, String node, Map<String, Object> body, User who, int status) {
        Http.Response r = httpA.post("/walker/" + walker + "/" + node, body, who.token());
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
    }

    static WsClient member(SocketServer s, User who, String channel) {
        WsClient c = WsClient.connect(s.wsUrl() + "?v=2", who.token());
        c.send(Map.of("type", "join", "channel_ids", List.of(channel)));
        assertThat(c.next().path("data").path("joined")).hasSize(1);
        return c;
    }

    @Test
    void aCommitOnOneInstanceReachesTheMembersOnBothOnceWithTheSameOffset() {
        User alice = user();
        String card = card(alice);
        try (WsClient onA = member(a, alice, card);
             WsClient onB = member(b, alice, card)) {
            call("retitle_card", card, Map.of("title", "one"), alice, 200);
            call("retitle_card", card, Map.of("title", "two"), alice, 200);
            for (WsClient c : List.of(onA, onB)) {
                JsonNode one = c.next(), two = c.next();
                assertThat(one.path("data").path("context").path("title").asText()).isEqualTo("one");
                assertThat(two.path("data").path("context").path("title").asText()).isEqualTo("two");
                assertThat(two.path("offset").asLong()).isEqualTo(one.path("offset").asLong() + 1);
            }
        }
    }

    @Test
    void aFailedWalkOnOneInstanceSendsNothingToTheOther() {
        User alice = user();
        String card = card(alice);
        try (WsClient onB = member(b, alice, card)) {
            call("retitle_card_then_fail", card, Map.of("title", "lost"), alice, 500);
            call("retitle_card", card, Map.of("title", "kept"), alice, 200);
            assertThat(onB.next().path("data").path("context").path("title").asText()).isEqualTo("kept");
        }
    }

    @Test
    void aRevokeOnOneInstanceStopsTheEventsOfAMemberOnTheOther() {
        User alice = user(), bob = user();
        String card = card(alice), fence = card(alice);
        call("share_card", card, Map.of("root_id", bob.rootId()), alice, 200);
        call("share_card", fence, Map.of("root_id", bob.rootId()), alice, 200);
        try (WsClient bobOnB = member(b, bob, card)) {
            bobOnB.send(Map.of("type", "join", "channel_ids", List.of(fence)));
            bobOnB.next();
            call("retitle_card", card, Map.of("title", "visible"), alice, 200);
            assertThat(bobOnB.next().path("data").path("context").path("title").asText()).isEqualTo("visible");
            call("unshare_card", card, Map.of("root_id", bob.rootId()), alice, 200);
            call("retitle_card", card, Map.of("title", "hidden"), alice, 200);
            // a change bob may read, committed after: node events of one instance arrive in order, whatever the node
            call("retitle_card", fence, Map.of("title", "fence"), alice, 200);
            JsonNode next = bobOnB.next();
            assertThat(next.path("channel_id").asText()).as("the revoke's event and \"hidden\" never reached bob").isEqualTo(fence);
            assertThat(next.path("data").path("context").path("title").asText()).isEqualTo("fence");
        }
    }

    @Test
    void aUserWithoutReadCannotJoinOnEitherInstance() {
        User alice = user(), bob = user();
        String card = card(alice);
        for (SocketServer s : List.of(a, b)) {
            try (WsClient c = WsClient.connect(s.wsUrl(), bob.token())) {
                c.send(Map.of("type", "join", "channel_ids", List.of(card)));
                assertThat(c.next().path("data").path("denied").get(0).path("channel_id").asText()).isEqualTo(card);
            }
        }
    }
}
