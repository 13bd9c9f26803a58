package io.walkerd.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import io.walkerd.websocket.fixtures.TeamChannels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.walkerd.websocket.ClientEventTest.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Channels whose id starts with {@code SOCKET_PRIVATE_PREFIX} ({@code private:}) are joined ({@code ?channel_id=})
 * and published to only with the application's {@link io.walkerd.spi.ChannelAuthorizer}'s approval; with no
 * authoriser, never. A refused join refuses the upgrade with 403. Other channels stay open to all, as in jac-cloud.
 */
class PrivateChannelTest {
    static SocketServer withoutAuthorizer;
    static SocketServer withAuthorizer;

    @BeforeAll
    static void start() {
        withoutAuthorizer = SocketServer.start(Map.of());
        withAuthorizer = SocketServer.start(Map.of(), TeamChannels.class);
    }

    @AfterAll
    static void stop() {
        withoutAuthorizer.close();
        withAuthorizer.close();
    }

    @Test
    void withoutAnAuthorizerAPrivateChannelRefusesEveryUpgradeWith403() {
        String url = withoutAuthorizer.wsUrl() + "?channel_id=private:team-secret";
        assertThat(WsClient.refusal(url, null, Map.of())).isEqualTo(403);
        assertThat(WsClient.refusal(url, withoutAuthorizer.http().newToken(), Map.of())).isEqualTo(403);
    }

    @Test
    void withoutAnAuthorizerAChannelEventToAPrivateChannelIsRefused() {
        try (WsClient c = WsClient.connect(withoutAuthorizer.wsUrl(), withoutAuthorizer.http().newToken())) {
            c.send(Map.of("type", "channel", "channel_ids", List.of("room-1", "private:team-secret"), "data", Map.of("n", 1)));
            JsonNode error = c.next().get("error").get(0);
            assertThat(error.get("type").asText()).isEqualTo("channel_forbidden");
            assertThat(error.get("loc").toString()).isEqualTo("[\"channel_ids\",1]");
            assertThat(error.get("msg").asText()).contains("private:team-secret").contains("approves no private channel");
        }
    }

    @Test
    void aChannelWithoutThePrefixStaysOpenToAnyone() {
        String channel = "team-secret-" + UUID.randomUUID();
        try (WsClient member = WsClient.connect(withoutAuthorizer.wsUrl() + "?channel_id=" + channel, withoutAuthorizer.http().newToken());
             WsClient anon = WsClient.connect(withoutAuthorizer.wsUrl() + "?channel_id=" + channel)) {
            assertThat(anon.channelId()).isEqualTo(channel);
            member.send(Map.of("type", "channel", "channel_ids", List.of(channel), "data", Map.of("chat", "hi")));
            assertThat(anon.next()).isEqualTo(json("{\"chat\":\"hi\"}"));
        }
    }

    @Test
    void theApprovedUserJoinsAndMessagesReachTheChannel() {
        String token = withAuthorizer.http().newToken();
        try (WsClient probe = WsClient.connect(withAuthorizer.wsUrl(), token)) {
            String channel = "private:own:" + probe.rootId();
            try (WsClient a = WsClient.connect(withAuthorizer.wsUrl() + "?channel_id=" + channel, token);
                 WsClient b = WsClient.connect(withAuthorizer.wsUrl() + "?channel_id=" + channel, token)) {
                assertThat(a.channelId()).isEqualTo(channel);
                a.send(Map.of("type", "channel", "channel_ids", List.of(channel), "data", Map.of("n", 1)));
                assertThat(a.next()).isEqualTo(json("{\"n\":1}"));
                assertThat(b.next()).isEqualTo(json("{\"n\":1}"));
            }
        }
    }

    @Test
    void anotherUserAndThePublicAreRefusedWith403() {
        try (WsClient owner = WsClient.connect(withAuthorizer.wsUrl(), withAuthorizer.http().newToken())) {
            String url = withAuthorizer.wsUrl() + "?channel_id=private:own:" + owner.rootId();
            assertThat(WsClient.refusal(url, withAuthorizer.http().newToken(), Map.of())).isEqualTo(403);
            assertThat(WsClient.refusal(url, null, Map.of())).isEqualTo(403);
            assertThat(WsClient.refusal(url, "not-a-token", Map.of())).isEqualTo(403);
        }
    }

    @Test
    void aMemberWhoMayNotPublishIsRefusedAndNothingIsDelivered() {
        String ownerToken = withAuthorizer.http().newToken();
        try (WsClient probe = WsClient.connect(withAuthorizer.wsUrl(), ownerToken)) {
            String channel = "private:listen:" + probe.rootId();
            try (WsClient owner = WsClient.connect(withAuthorizer.wsUrl() + "?channel_id=" + channel, ownerToken);
                 WsClient listener = WsClient.connect(withAuthorizer.wsUrl() + "?channel_id=" + channel, withAuthorizer.http().newToken())) {
                listener.send(Map.of("type", "channel", "channel_ids", List.of(channel), "data", Map.of("spoofed", true)));
                assertThat(listener.next().get("error").get(0).get("type").asText()).isEqualTo("channel_forbidden");
                owner.send(Map.of("type", "channel", "channel_ids", List.of(channel), "data", Map.of("fence", 1)));
                assertThat(owner.next()).isEqualTo(json("{\"fence\":1}"));
                assertThat(listener.next()).isEqualTo(json("{\"fence\":1}"));
            }
        }
    }

    @Test
    void anOutsiderCannotPublishToAPrivateChannel() {
        String ownerToken = withAuthorizer.http().newToken();
        try (WsClient probe = WsClient.connect(withAuthorizer.wsUrl(), ownerToken)) {
            String channel = "private:own:" + probe.rootId();
            try (WsClient owner = WsClient.connect(withAuthorizer.wsUrl() + "?channel_id=" + channel, ownerToken);
                 WsClient outsider = WsClient.connect(withAuthorizer.wsUrl())) {
                outsider.send(Map.of("type", "channel", "channel_ids", List.of(channel), "data", Map.of("spoofed", true)));
                assertThat(outsider.next().get("error").get(0).get("type").asText()).isEqualTo("channel_forbidden");
                owner.send(Map.of("type", "channel", "channel_ids", List.of(channel), "data", Map.of("fence", 1)));
                assertThat(owner.next()).isEqualTo(json("{\"fence\":1}"));
            }
        }
    }

    @Test
    void aFailingAuthorizerRefuses() {
        assertThat(WsClient.refusal(withAuthorizer.wsUrl() + "?channel_id=private:broken", withAuthorizer.http().newToken(), Map.of()))
                .isEqualTo(403);
    }

    @Test
    void withThePrefixTurnedOffEveryChannelIsOpen() {
        try (SocketServer none = SocketServer.start(Map.of("SOCKET_PRIVATE_PREFIX", "none"));
             WsClient anon = WsClient.connect(none.wsUrl() + "?channel_id=private:team-secret")) {
            assertThat(anon.channelId()).isEqualTo("private:team-secret");
        }
    }

    @Test
    void anotherPrefixMakesOtherChannelsPrivate() {
        try (SocketServer custom = SocketServer.start(Map.of("SOCKET_PRIVATE_PREFIX", "secret/"))) {
            assertThat(WsClient.refusal(custom.wsUrl() + "?channel_id=secret/plans", null, Map.of())).isEqualTo(403);
            try (WsClient c = WsClient.connect(custom.wsUrl() + "?channel_id=private:x")) {
                assertThat(c.channelId()).isEqualTo("private:x");
            }
        }
    }

    @Test
    void aJoinOfAPrivateChannelIsDeniedWithoutTheApplicationsApproval() {
        try (WsClient c = WsClient.connect(withoutAuthorizer.wsUrl(), withoutAuthorizer.http().newToken())) {
            c.send(Map.of("type", "join", "channel_ids", List.of("private:team-secret")));
            JsonNode data = c.next().path("data");
            assertThat(data.path("joined")).isEmpty();
            assertThat(data.path("denied").get(0).path("channel_id").asText()).isEqualTo("private:team-secret");
            assertThat(data.path("denied").get(0).path("reason").asText()).contains("approves no private channel");
        }
    }

    @Test
    void aJoinOfAPrivateChannelIsAllowedForTheApprovedUserAndRefusedForAnother() {
        String token = withAuthorizer.http().newToken();
        try (WsClient owner = WsClient.connect(withAuthorizer.wsUrl(), token);
             WsClient other = WsClient.connect(withAuthorizer.wsUrl(), withAuthorizer.http().newToken())) {
            String channel = "private:own:" + owner.rootId();
            owner.send(Map.of("type", "join", "channel_ids", List.of(channel)));
            assertThat(owner.next().path("data").path("joined").get(0).path("channel_id").asText()).isEqualTo(channel);
            other.send(Map.of("type", "join", "channel_ids", List.of(channel)));
            assertThat(other.next().path("data").path("denied").get(0).path("channel_id").asText()).isEqualTo(channel);
        }
    }

    @Test
    void changeUserLeavesAPrivateChannelTheNewUserMayNotBeIn() {
        String token = withAuthorizer.http().newToken();
        try (WsClient c = WsClient.connect(withAuthorizer.wsUrl(), token);
             WsClient sender = WsClient.connect(withAuthorizer.wsUrl(), token)) {
            String channel = "private:own:" + c.rootId();
            c.send(Map.of("type", "join", "channel_ids", List.of(channel)));
            c.next();
            sender.send(Map.of("type", "join", "channel_ids", List.of(channel)));
            sender.next();
            c.send(Map.of("type", "change_user", "token", withAuthorizer.http().newToken()));
            assertThat(c.next().path("type").asText()).isEqualTo("connection");
            sender.send(Map.of("type", "channel", "channel_ids", List.of(channel), "data", Map.of("n", 1)));
            assertThat(sender.next()).isEqualTo(json("{\"n\":1}")); // the sender, still a member, gets it
            // a fence: what c receives next is its own connection event, not the channel's message
            c.send(Map.of("type", "connection"));
            assertThat(c.next().path("type").asText()).isEqualTo("connection");
        }
    }
}
