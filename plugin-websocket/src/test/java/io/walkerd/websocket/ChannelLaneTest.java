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
 * Channel messages reach local members from lanes (three here), each writing to its share of the members and taking
 * what has queued up together: a burst still arrives whole, once and in order at every member, two senders'
 * messages reach every member in one and the same order, and what a sender causes next (a reply to its next event)
 * does not overtake its channel messages on their way to it.
 */
class ChannelLaneTest {
    @RegisterExtension
    static final SocketServer server = new SocketServer(Map.of("SOCKET_EVENTS_PER_SECOND", "0", "SOCKET_LANES", "3"));

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
    void twoSendersAtOnceReachEveryMemberInOneOrder() throws Exception {
        String team = "two-" + UUID.randomUUID();
        List<WsClient> members = new ArrayList<>();
        try (WsClient a = WsClient.connect(server.wsUrl()); WsClient b = WsClient.connect(server.wsUrl())) {
            for (int i = 0; i < 12; i++) members.add(WsClient.connect(server.wsUrl() + "?channel_id=" + team));
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<Thread> senders = new ArrayList<>();
            for (WsClient sender : List.of(a, b)) {
                String name = sender == a ? "a" : "b";
                Thread t = new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < BURST; i++) {
                        sender.send(Map.of("type", "channel", "channel_ids", List.of(team), "data", Map.of("s", name, "i", i)));
                    }
                });
                t.start();
                senders.add(t);
            }
            go.countDown();
            for (Thread t : senders) t.join(30_000);
            List<String> first = null;
            for (WsClient m : members) {
                List<String> seen = new ArrayList<>();
                int[] next = new int[2];
                for (int k = 0; k < 2 * BURST; k++) {
                    JsonNode msg = m.next();
                    String s = msg.path("s").asText();
                    int who = s.equals("a") ? 0 : 1;
                    assertThat(msg.path("i").asInt(-1)).as("each sender's messages in the order sent").isEqualTo(next[who]++);
                    seen.add(s + msg.path("i").asInt());
                }
                if (first == null) first = seen;
                else assertThat(seen).as("every member sees the two senders' messages in the same order").isEqualTo(first);
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
