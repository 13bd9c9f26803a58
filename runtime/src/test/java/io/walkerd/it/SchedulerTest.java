package io.walkerd.it;

import io.walkerd.fixtures.TaskWalkers;
import io.walkerd.server.Config;
import io.walkerd.server.WalkerdServer;
import io.walkerd.testing.MongoWire;
import io.walkerd.testing.TestServer;
import io.walkerd.walker.WalkerDocument;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scheduled walkers run once per trigger across every instance that shares a store: two servers in this JVM on one
 * SQLite file, and on one MongoDB, both run {@code TickEverySecond}'s schedule, and each trigger runs once.
 */
class SchedulerTest {
    @TempDir
    Path dir;

    @BeforeEach
    void forgetTicks() { TaskWalkers.TICKS.clear(); }

    @Test
    void twoInstancesOnOneSqliteFileRunEachTriggerOnce() {
        Map<String, String> settings = Map.of("DATABASE_PATH", dir.resolve("shared.db").toString(), "SCHEDULER_ENABLED", "true");
        try (WalkerdServer a = start(settings); WalkerdServer b = start(settings)) {
            eachTriggerRunsOnce(a);
        }
    }

    @Test
    void twoInstancesOnOneMongoDbRunEachTriggerOnce() {
        try (MongoWire wire = new MongoWire()) {
            Map<String, String> settings = Map.of("DATABASE_HOST", wire.connectionString(), "DATABASE_NAME", "scheduled",
                    "SCHEDULER_ENABLED", "true");
            try (WalkerdServer a = start(settings); WalkerdServer b = start(settings)) {
                eachTriggerRunsOnce(a);
            }
        }
    }

    @Test
    void anInstanceWithTheSchedulerOffRunsNoScheduledWalker() throws Exception {
        try (WalkerdServer off = start(Map.of("SCHEDULER_ENABLED", "false"))) {
            Thread.sleep(1_500); // nothing may happen: there is no event to wait for
            assertThat(TaskWalkers.TICKS).isEmpty();
            assertThat(off.walkersService().latest("tick_every_second")).isEmpty();
        }
    }

    private static void eachTriggerRunsOnce(WalkerdServer server) {
        await().atMost(Duration.ofSeconds(15)).until(() -> TaskWalkers.TICKS.size() >= 3);
        assertThat(TaskWalkers.TICKS.values()).extracting(AtomicInteger::get).as("runs per trigger").containsOnly(1);

        WalkerDocument last = await().atMost(Duration.ofSeconds(5))
                .until(() -> server.walkersService().latest("tick_every_second"), d -> d.isPresent()).orElseThrow();
        assertThat(last.root()).isEqualTo("n::000000000000000000000000");
        assertThat(last.archetype().path("times").asInt()).isEqualTo(3);
        assertThat(last.archetype().path("label").asText()).isEqualTo("tick");
        assertThat(last.schedule().path("status").asText()).isEqualTo("COMPLETED");
        assertThat(last.schedule().path("http_status").asInt()).isEqualTo(200);
        assertThat(last.schedule().path("reports").get(0).asText()).isEqualTo("tick x3");
        assertThat(TaskWalkers.TICKS).containsKey(last.schedule().path("reports").get(1).asLong());
    }

    private static WalkerdServer start(Map<String, String> settings) {
        return WalkerdServer.start(Config.of(TestServer.settings(settings)));
    }
}
