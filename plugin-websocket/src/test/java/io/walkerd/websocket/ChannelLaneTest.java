package io.walkerd.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Channel messages reach local members from one lane that takes what has queued up together: a burst still
 * arrives whole, once and in order at every member, and what a sender causes next (a reply to its next event)
 * does not overtake its channel messages on their way to it.
 */
class ChannelLaneTest {
    @RegisterExtension
    static final SocketServer server = new SocketServer(Map.of("SOCKET_EVENTS_PER_SECOND", "0"));

    private static final int BURST = 400;

    @Test
    void aBurstReachesEveryMemberWholeOnceAndInOrder() {
        String team = "burst-" + UUID.randomUUID();
        List<WsClient> members = new ArrayList<>();
        try (WsClient sender = WsClient.connect(server.wsUrl())) {
            for (int i = 0; i < 12; i++) members.add(WsClient.connect(server.wsUrl() + "?channel_id=" + team));
            for (int i = 0; i < BURST; i++) {
                sender.send(Map.of("type", "channel", "channel_ids", List.of(team), "data", Map.of("i", i)));
            }
            for (WsClient m : members) {
                for (int i = 0; i < BURST; i++) assertThat(m.next().path("i").asInt(-1)).isEqualTo(i);
            }
            sender.send(Map.of("type", "channel", "channel_ids", List.of(team), "data", Map.of("fence", 1)));
            for (WsClient m : members) {
                JsonNode next = m.next();
                assertThat(next.has("fence")).as("nothing delivered twice: the fence comes next, got %s", next).isTrue();
            }
        } finally {
            members.forEach(WsClient::close);
        }
    }

    @Test
    void aMembersReplyToItsNextEventComesAfterItsOwnChannelMessages() {
        String team = "own-" + UUID.randomUUID();
        try (WsClient a = WsClient.connect(server.wsUrl() + "?channel_id=" + team);
             WsClient b = WsClient.connect(server.wsUrl() + "?channel_id=" + team)) {
            for (int round = 0; round < 20; round++) {
                for (int i = 0; i < 10; i++) {
                    a.send(Map.of("type", "channel", "channel_ids", List.of(team), "data", Map.of("r", round, "i", i)));
                }
                a.send(Map.of("type", "connection"));
                for (int i = 0; i < 10; i++) {
                    JsonNode m = a.next();
                    assertThat(m.path("i").asInt(-1)).as("round %d: message %d before the reply, got %s", round, i, m).isEqualTo(i);
                }
                assertThat(a.next()).isEqualTo(a.connection());
                for (int i = 0; i < 10; i++) assertThat(b.next().path("i").asInt(-1)).isEqualTo(i);
            }
        }
    }
}
