package io.walkerd.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import io.walkerd.testing.Http;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;

import static io.walkerd.websocket.ClientEventTest.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Node channels, the live graph: a node's ref id as a channel, joinable by users who can READ the node, carrying
 * one {@code node} event per committed change to whoever can READ it at that moment.
 */
class NodeChannelTest {
    @RegisterExtension
    static final SocketServer server = new SocketServer();
    static final Http http = server.http();

    record User(String token, String rootId) {}

    static User user() {
        JsonNode login = http.newUser();
        return new User(login.path("token").asText(), "n::" + login.path("user").path("root_id").asText());
    }

    static String card(User owner, String title) {
        Http.Response r = http.post("/walker/make_card", Map.of("title", title), owner.token());
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.reports().get(0).path("id").asText();
    }

    static void call(String walker, String node, Map<String, Object> body, User who, int status) {
        Http.Response r = http.post("/walker/" + walker + "/" + node, body, who.token());
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
    }

    static void retitle(String card, String title, User who) { call("retitle_card", card, Map.of("title", title), who, 200); }

    static WsClient member(String url, User who, String channel) {
        WsClient c = WsClient.connect(url, who.token());
        c.send(Map.of("type", "join", "channel_ids", List.of(channel)));
        JsonNode joined = c.next().path("data").path("joined");
        assertThat(joined).as("joined " + channel).hasSize(1);
        return c;
    }

    static JsonNode updated(String card, String changes, String context) {
        return json("{\"type\":\"node\",\"data\":{\"id\":\"" + card + "\",\"event\":\"updated\",\"changes\":" + changes
                + ",\"context\":" + context + "}}");
    }

    @Test
    void aMemberWithReadGetsOneNodeEventPerCommittedChange() {
        User alice = user();
        String card = card(alice, "first");
        try (WsClient c = member(server.wsUrl(), alice, card)) {
            retitle(card, "second", alice);
            retitle(card, "third", alice);
            assertThat(c.next()).isEqualTo(updated(card, "[\"fields\"]", "{\"title\":\"second\",\"votes\":0}"));
            assertThat(c.next()).isEqualTo(updated(card, "[\"fields\"]", "{\"title\":\"third\",\"votes\":0}"));
        }
    }

    @Test
    void aWalkerThatThrowsSendsNoNodeEvent() {
        User alice = user();
        String card = card(alice, "kept");
        try (WsClient c = member(server.wsUrl(), alice, card)) {
            call("retitle_card_then_fail", card, Map.of("title", "lost"), alice, 500);
            retitle(card, "after", alice);
            assertThat(c.next().path("data").path("context").path("title").asText()).isEqualTo("after");
        }
    }

    @Test
    void anotherUserGrantedReadGetsTheEventsOfTheOwnersChanges() {
        User alice = user(), bob = user();
        String card = card(alice, "shared");
        call("share_card", card, Map.of("root_id", bob.rootId()), alice, 200);
        try (WsClient c = member(server.wsUrl(), bob, card)) {
            retitle(card, "edited by alice", alice);
            assertThat(c.next()).isEqualTo(updated(card, "[\"fields\"]", "{\"title\":\"edited by alice\",\"votes\":0}"));
        }
    }

    @Test
    void afterARevokeTheMemberGetsNoMoreEvents() {
        User alice = user(), bob = user();
        String card = card(alice, "shared"), fence = card(alice, "fence");
        call("share_card", card, Map.of("root_id", bob.rootId()), alice, 200);
        call("share_card", fence, Map.of("root_id", bob.rootId()), alice, 200);
        try (WsClient c = member(server.wsUrl(), bob, card)) {
            c.send(Map.of("type", "join", "channel_ids", List.of(fence)));
            c.next();
            call("unshare_card", card, Map.of("root_id", bob.rootId()), alice, 200);
            retitle(card, "secret", alice);
            // a change bob may read, committed after: node events reach a member in commit order, whatever the node
            retitle(fence, "fence moved", alice);
            JsonNode next = c.next();
            assertThat(next.path("data").path("id").asText()).as("the revoke's event and \"secret\" never reached bob").isEqualTo(fence);
        }
    }

    @Test
    void aUserWithoutReadIsRefusedTheUpgradeWithTheNodeChannelInTheQuery() {
        User alice = user(), bob = user();
        String card = card(alice, "private");
        assertThat(WsClient.refusedUpgrade(server.wsUrl() + "?channel_id=" + card, bob.token())).isEqualTo(403);
        assertThat(WsClient.refusedUpgrade(server.wsUrl() + "?channel_id=" + card, null)).isEqualTo(403);
        try (WsClient owner = WsClient.connect(server.wsUrl() + "?channel_id=" + card, alice.token())) {
            retitle(card, "seen", alice);
            assertThat(owner.next().path("data").path("context").path("title").asText()).isEqualTo("seen");
        }
    }

    @Test
    void edgeChangesAndDestructionAreNodeEventsToo() {
        User alice = user();
        String card = card(alice, "parent");
        try (WsClient c = member(server.wsUrl(), alice, card)) {
            call("attach_card", card, Map.of(), alice, 200);
            JsonNode edges = c.next();
            assertThat(edges.path("data").path("changes")).isEqualTo(json("[\"edges\"]"));
            call("destroy_card", card, Map.of(), alice, 200);
            assertThat(c.next()).isEqualTo(json("{\"type\":\"node\",\"data\":{\"id\":\"" + card + "\",\"event\":\"destroyed\"}}"));
        }
    }

    @Test
    void afterChangeUserToAUserWithoutReadTheDestructionIsNotSent() {
        User alice = user(), bob = user();
        String card = card(alice, "doomed");
        String fence = card(alice, "fence");
        call("share_card", fence, Map.of("root_id", bob.rootId()), alice, 200);
        try (WsClient c = member(server.wsUrl(), alice, card)) {
            c.send(Map.of("type", "join", "channel_ids", List.of(fence)));
            c.next();
            c.send(Map.of("type", "change_user", "token", bob.token()));
            assertThat(c.next().path("data").path("root_id").asText()).isEqualTo(bob.rootId());
            call("destroy_card", card, Map.of(), alice, 200);
            retitle(fence, "bob may read this", alice);
            JsonNode next = c.next();
            assertThat(next.path("data").path("id").asText()).as("the destruction of a node bob cannot read is not sent").isEqualTo(fence);
        }
    }

    @Test
    void aRootIsANodeChannelOfItsOwner() {
        User alice = user();
        try (WsClient c = member(server.wsUrl(), alice, alice.rootId())) {
            card(alice, "new under root");
            JsonNode e = c.next();
            assertThat(e.path("data").path("id").asText()).isEqualTo(alice.rootId());
            assertThat(e.path("data").path("changes")).isEqualTo(json("[\"edges\"]"));
        }
    }

    @Test
    void onV2ANodeEventCarriesItsChannelOffsetAndEpochAndIsRecovered() {
        User alice = user();
        String card = card(alice, "v2");
        JsonNode first;
        try (WsClient c = member(server.wsUrl() + "?v=2", alice, card)) {
            retitle(card, "one", alice);
            first = c.next();
            assertThat(first.path("type").asText()).isEqualTo("node");
            assertThat(first.path("channel_id").asText()).isEqualTo(card);
            assertThat(first.path("offset").asLong()).isEqualTo(1);
            assertThat(first.path("epoch").asText()).startsWith("e-");
            assertThat(first.has("target")).isFalse();
            assertThat(first.path("data").path("context").path("title").asText()).isEqualTo("one");
        }
        retitle(card, "two", alice);
        try (WsClient back = WsClient.connect(server.wsUrl() + "?v=2", alice.token())) {
            back.send(Map.of("type", "join", "channel_ids", List.of(card), "recover",
                    Map.of(card, Map.of("offset", first.path("offset").asLong(), "epoch", first.path("epoch").asText()))));
            assertThat(back.next().path("data").path("joined").get(0).path("recovered").asBoolean()).isTrue();
            JsonNode missed = back.next();
            assertThat(missed.path("offset").asLong()).isEqualTo(2);
            assertThat(missed.path("data").path("context").path("title").asText()).isEqualTo("two");
        }
    }

    @Test
    void aWebsocketWalkerCommitReachesTheMembersToo() {
        User alice = user();
        String card = card(alice, "ws");
        try (WsClient c = member(server.wsUrl(), alice, card)) {
            c.send(Map.of("type", "walker", "walker", "retitle_card", "node", card, "context", Map.of("title", "from ws")));
            assertThat(c.next().path("data").path("context").path("title").asText()).isEqualTo("from ws");
        }
    }
}
