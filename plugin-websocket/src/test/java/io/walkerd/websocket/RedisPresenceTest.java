package io.walkerd.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.walkerd.websocket.PresenceTest.presence;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Presence across two instances sharing the machine's Redis: every connection of the channel on either instance,
 * entries that expire unless their instance refreshes them, and join/leave events that cross instances.
 */
class RedisPresenceTest {
    static TwoInstances cluster;
    static SocketServer a;
    static SocketServer b;
    static RedisClient redis;
    static StatefulRedisConnection<String, String> direct;

    @BeforeAll
    static void start() {
        cluster = new TwoInstances("redis://127.0.0.1:6379", Map.of("SOCKET_JOIN_LEAVE", "true", "SOCKET_PRESENCE_TTL_SECONDS", "3"));
        a = cluster.a;
        b = cluster.b;
        redis = RedisClient.create("redis://127.0.0.1:6379");
        direct = redis.connect();
    }

    @AfterAll
    static void stop() {
        direct.close();
        redis.shutdown();
        cluster.close();
    }

    static String room() { return "rpres-" + UUID.randomUUID(); }

    static String prefix(SocketServer s) { return ((RedisBroker) s.plugin().broker()).prefix(); }

    @Test
    void presenceListsTheConnectionsOfBothInstances() {
        String r = room();
        try (WsClient onA = WsClient.connect(a.wsUrl() + "?channel_id=" + r);
             WsClient onB1 = WsClient.connect(b.wsUrl() + "?channel_id=" + r, a.http().newToken());
             WsClient onB2 = WsClient.connect(b.wsUrl())) {
            onB2.send(Map.of("type", "join", "channel_ids", List.of(r)));
            onB2.next();
            await().atMost(Duration.ofSeconds(5)).until(() -> presence(onA, r).size() == 3);
            assertThat(presence(onA, r)).containsExactlyInAnyOrder(onA.clientId(), onB1.clientId(), onB2.clientId());
        }
    }

    @Test
    void aConnectionThatClosesOnOneInstanceLeavesThePresenceSeenFromTheOther() {
        String r = room();
        try (WsClient onA = WsClient.connect(a.wsUrl() + "?channel_id=" + r)) {
            WsClient onB = WsClient.connect(b.wsUrl() + "?channel_id=" + r);
            JsonNode joined = onA.next();
            assertThat(joined.path("type").asText()).isEqualTo("presence_join");
            assertThat(joined.path("data").path("client_id").asText()).isEqualTo(onB.clientId());
            onB.closeCleanly();
            JsonNode left = onA.next();
            assertThat(left.path("type").asText()).isEqualTo("presence_leave");
            assertThat(left.path("data").path("client_id").asText()).isEqualTo(onB.clientId());
            assertThat(presence(onA, r)).containsExactly(onA.clientId());
        }
    }

    @Test
    void anEntryNobodyRefreshesExpires() {
        String r = room();
        try (WsClient onA = WsClient.connect(a.wsUrl() + "?channel_id=" + r)) {
            // an entry as a vanished instance would leave it: written once, never refreshed
            long expires = System.currentTimeMillis() + 1000;
            direct.sync().hset(prefix(a) + "presence:" + r, "1:ghost", "n::" + "0".repeat(23) + "1");
            direct.sync().zadd(prefix(a) + "presence-expiry:" + r, expires, "1:ghost");
            assertThat(presence(onA, r)).containsExactlyInAnyOrder(onA.clientId(), "1:ghost");
            await().atMost(Duration.ofSeconds(5)).until(() -> presence(onA, r).equals(List.of(onA.clientId())));
        }
    }

    @Test
    void entriesLostFromRedisComeBackWithTheNextRefresh() {
        String r = room();
        try (WsClient onA = WsClient.connect(a.wsUrl() + "?channel_id=" + r);
             WsClient onB = WsClient.connect(b.wsUrl() + "?channel_id=" + r)) {
            onA.next(); // onB's presence_join
            direct.sync().del(prefix(a) + "presence:" + r, prefix(a) + "presence-expiry:" + r);
            assertThat(presence(onB, r)).containsExactly(onB.clientId()); // its own instance always knows it
            await().atMost(Duration.ofSeconds(5)).until(() -> presence(onB, r).size() == 2);
        }
    }
}
