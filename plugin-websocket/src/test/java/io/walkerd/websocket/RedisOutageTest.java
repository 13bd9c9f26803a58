package io.walkerd.websocket;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.walkerd.websocket.ClientEventTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis goes away and comes back (a private redis-server that the test kills and restarts on the same port):
 * local delivery never stops, each instance logs the outage once, and cross-instance delivery resumes by itself,
 * also for connections that arrived during the outage.
 */
class RedisOutageTest {

    @Test
    void localDeliveryGoesOnWithoutRedisAndCrossInstanceDeliveryResumesWhenItIsBack() throws Exception {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger brokerLog = (Logger) LoggerFactory.getLogger(RedisBroker.class);
        brokerLog.addAppender(logs);
        try (PrivateRedis redis = PrivateRedis.started();
             TwoInstances cluster = new TwoInstances(redis.url())) {
            SocketServer a = cluster.a;
            SocketServer b = cluster.b;
            String alice = a.http().newToken();
            try (WsClient onA = WsClient.connect(a.wsUrl(), alice);
                 WsClient onB = WsClient.connect(b.wsUrl(), alice);
                 WsClient sender = WsClient.connect(a.wsUrl())) {
                sender.send(Map.of("type", "user", "root_ids", List.of(onA.rootId()), "data", Map.of("phase", "before")));
                assertThat(onA.next()).isEqualTo(json("{\"phase\":\"before\"}"));
                assertThat(onB.next()).isEqualTo(json("{\"phase\":\"before\"}"));

                redis.kill();
                await().atMost(Duration.ofSeconds(10)).until(() -> broker(a).isDown() && broker(b).isDown());
                assertThat(a.scrape().value("walkerd_broker_up")).isZero();
                Scrape outage = a.scrape();

                // local delivery on both instances, from client events and from walker notifications
                for (int i = 0; i < 5; i++) {
                    sender.send(Map.of("type", "user", "root_ids", List.of(onA.rootId()), "data", Map.of("during", i)));
                }
                for (int i = 0; i < 5; i++) assertThat(onA.next()).isEqualTo(json("{\"during\":" + i + "}"));
                assertThat(a.http().post("/walker/notify_users", Map.of("targets", List.of(onA.rootId()), "data", Map.of("rest", "during"))).status()).isEqualTo(200);
                assertThat(onA.next()).isEqualTo(json("{\"rest\":\"during\"}"));
                try (WsClient senderB = WsClient.connect(b.wsUrl())) {
                    senderB.send(Map.of("type", "client", "client_ids", List.of(onB.clientId()), "data", Map.of("local", "b")));
                    assertThat(onB.next()).isEqualTo(json("{\"local\":\"b\"}"));
                }
                // A published each of its six deliveries for B, and each failed at once
                assertThat(a.scrape().since(outage, "walkerd_broker_publish_failures_total")).isEqualTo(6);

                // a connection that arrives during the outage, in a channel nobody on B had
                try (WsClient lateOnB = WsClient.connect(b.wsUrl() + "?channel_id=late-room")) {
                    assertThat(warnings(logs)).as("one line per instance for the whole outage").hasSize(2);

                    redis.start();
                    awaitDelivery(sender, Map.of("type", "user", "root_ids", List.of(onA.rootId())), onB);
                    awaitDelivery(sender, Map.of("type", "channel", "channel_ids", List.of("late-room")), lateOnB);
                    awaitDelivery(sender, Map.of("type", "client", "client_ids", List.of(lateOnB.clientId())), lateOnB);
                }
                assertThat(warnings(logs)).hasSize(2);
                await().atMost(Duration.ofSeconds(10)).until(() -> a.scrape().value("walkerd_broker_up") == 1 && b.scrape().value("walkerd_broker_up") == 1);
                assertThat(logs.list).anyMatch(e -> e.getLevel() == Level.INFO && e.getFormattedMessage().contains("is back"));
            }
        } finally {
            brokerLog.detachAppender(logs);
        }
    }

    @Test
    void redisAwayWhenTheServersStartIsReachedOnceItComes() throws Exception {
        try (PrivateRedis redis = PrivateRedis.notStarted();
             TwoInstances cluster = new TwoInstances(redis.url());
             WsClient onA = WsClient.connect(cluster.a.wsUrl() + "?channel_id=early");
             WsClient onB = WsClient.connect(cluster.b.wsUrl() + "?channel_id=early");
             WsClient sender = WsClient.connect(cluster.a.wsUrl())) {
            sender.send(Map.of("type", "channel", "channel_ids", List.of("early"), "data", Map.of("local", 1)));
            assertThat(onA.next()).isEqualTo(json("{\"local\":1}"));

            redis.start();
            awaitDelivery(sender, Map.of("type", "channel", "channel_ids", List.of("early")), onB);
        }
    }

    /**
     * Sends probes built from {@code event} until {@code target} receives one, then a last message that must
     * reach it after the probes.
     */
    private static void awaitDelivery(WsClient sender, Map<String, Object> event, WsClient target) {
        AtomicInteger probe = new AtomicInteger();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
            sender.send(with(event, Map.of("probe", probe.incrementAndGet())));
            return target.poll(Duration.ofMillis(200)) != null;
        });
        sender.send(with(event, Map.of("final", 1)));
        JsonNode m = target.next();
        while (m.has("probe")) m = target.next();
        assertThat(m).isEqualTo(json("{\"final\":1}"));
    }

    private static Map<String, Object> with(Map<String, Object> event, Map<String, Object> data) {
        Map<String, Object> e = new java.util.HashMap<>(event);
        e.put("data", data);
        return e;
    }

    private static RedisBroker broker(SocketServer s) { return (RedisBroker) s.plugin().broker(); }

    private static List<ILoggingEvent> warnings(ListAppender<ILoggingEvent> logs) {
        synchronized (logs.list) {
            return logs.list.stream().filter(e -> e.getLevel() == Level.WARN).toList();
        }
    }
}
