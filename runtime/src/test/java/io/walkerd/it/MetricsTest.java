package io.walkerd.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.walkerd.graph.Id;
import io.walkerd.testing.Http;
import io.walkerd.testing.LiveServer;
import io.walkerd.testing.Scrape;
import io.walkerd.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What {@code /metrics} says after known calls: each REST call moves the HTTP and walker counters by exactly one
 * under its route, walker, transport and status; the store's meters move with the work; labels never carry ids;
 * the Grafana dashboard plots only series the server exposes.
 */
class MetricsTest {
    static final String TOKEN = "metrics-token-0123456789abcdef";
    @RegisterExtension
    static final LiveServer server = new LiveServer(Map.of("METRICS_TOKEN", TOKEN));
    static final Http http = server.http();

    static Scrape scrape() {
        Http.Response r = http.get("/metrics", TOKEN);
        assertThat(r.status()).isEqualTo(200);
        return Scrape.parse(r.raw());
    }

    @Test
    void eachRestCallMovesTheHttpAndWalkerCountersByExactlyOne() {
        String token = http.newToken();
        Scrape before = scrape();
        int ok = 5;
        int failed = 3;
        int refused = 2;
        for (int i = 0; i < ok; i++) assertThat(http.post("/walker/build_items", Map.of("count", 1), token).status()).isEqualTo(200);
        for (int i = 0; i < failed; i++) assertThat(http.post("/walker/fail_with", Map.of("message", "x"), token).status()).isEqualTo(500);
        for (int i = 0; i < refused; i++) {
            assertThat(http.post("/walker/fail_with", Map.of("message", "x", "status", 418), token).status()).isEqualTo(418);
        }
        Scrape after = scrape();

        assertThat(moved(before, after, "walkerd_http_requests_total", "route", "/walker/build_items", "method", "POST", "status", "200")).isEqualTo(ok);
        assertThat(moved(before, after, "walkerd_http_requests_total", "route", "/walker/fail_with", "method", "POST", "status", "500")).isEqualTo(failed);
        assertThat(moved(before, after, "walkerd_http_requests_total", "route", "/walker/fail_with", "method", "POST", "status", "418")).isEqualTo(refused);
        assertThat(moved(before, after, "walkerd_http_request_duration_seconds_count", "route", "/walker/build_items", "method", "POST")).isEqualTo(ok);
        assertThat(moved(before, after, "walkerd_http_request_duration_seconds_bucket", "route", "/walker/build_items", "method", "POST", "le", "+Inf"))
                .isEqualTo(ok);

        assertThat(moved(before, after, "walkerd_walker_calls_total", "via", "rest")).isEqualTo(ok + failed + refused);
        assertThat(moved(before, after, "walkerd_walker_calls_total", "walker", "build_items", "via", "rest", "status", "200")).isEqualTo(ok);
        assertThat(moved(before, after, "walkerd_walker_calls_total", "walker", "fail_with", "via", "rest", "status", "500")).isEqualTo(failed);
        assertThat(moved(before, after, "walkerd_walker_calls_total", "walker", "fail_with", "via", "rest", "status", "418")).isEqualTo(refused);
        assertThat(moved(before, after, "walkerd_walker_duration_seconds_count", "walker", "build_items")).isEqualTo(ok);
        assertThat(moved(before, after, "walkerd_walker_duration_seconds_count")).isEqualTo(ok + failed + refused);
    }

    @Test
    void theStoresMetersMoveWithTheWork() {
        String token = http.newToken();
        String backend = TestServer.backend();
        Scrape before = scrape();
        int calls = 4;
        for (int i = 0; i < calls; i++) assertThat(http.post("/walker/build_items", Map.of("count", 2), token).status()).isEqualTo(200);
        Scrape after = scrape();

        assertThat(moved(before, after, "walkerd_store_commit_duration_seconds_count", "backend", backend)).as("one commit per call")
                .isEqualTo(calls);
        assertThat(moved(before, after, "walkerd_store_queries_total", "backend", backend, "collection", "node"))
                .as("each commit writes nodes, after each call loaded the root").isGreaterThanOrEqualTo(2 * calls);
        assertThat(moved(before, after, "walkerd_store_queries_total", "backend", backend, "collection", "edge")).isGreaterThanOrEqualTo(calls);
        assertThat(after.sum("walkerd_store_commit_duration_seconds_sum", "backend", backend))
                .isGreaterThan(before.sum("walkerd_store_commit_duration_seconds_sum", "backend", backend));
    }

    @Test
    void aCallWhoseCommitAlwaysConflictsCountsEachConflictAndEndsIn409() {
        String token = http.newToken();
        String item = http.post("/walker/build_items", Map.of("count", 1), token).reports().get(0).get("id").asText();
        Scrape before = scrape();
        assertThat(http.post("/walker/lose_the_race/" + item, Map.of(), token).status()).isEqualTo(409);
        Scrape after = scrape();

        int attempts = 1 + 4; // WALKER_CONFLICT_RETRIES
        assertThat(moved(before, after, "walkerd_walker_conflicts_total", "walker", "lose_the_race")).isEqualTo(attempts);
        assertThat(moved(before, after, "walkerd_walker_calls_total", "walker", "lose_the_race", "via", "rest", "status", "409")).isEqualTo(1);
        assertThat(moved(before, after, "walkerd_walker_calls_total", "walker", "bump_item", "via", "internal", "status", "200"))
                .as("the walker it runs through the Walkers service, once per attempt").isEqualTo(attempts);
    }

    @Test
    void aTasksWalkerCountsUnderTask() {
        String token = http.newToken();
        assertThat(http.post("/walker/make_tally", Map.of(), token).status()).isEqualTo(200);
        Scrape before = scrape();
        assertThat(http.post("/walker/queue_tally", Map.of("by", 1), token).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(moved(before, scrape(), "walkerd_walker_calls_total", "walker", "add_to_tally", "via", "task", "status", "200")).isEqualTo(1));
        assertThat(moved(before, scrape(), "walkerd_walker_calls_total", "walker", "queue_tally", "via", "rest", "status", "200")).isEqualTo(1);
    }

    @Test
    void labelsCarryRouteTemplatesAndNamesNeverIds() {
        String token = http.newToken();
        String item = http.post("/walker/build_items", Map.of("count", 1), token).reports().get(0).get("id").asText();
        for (int i = 0; i < 3; i++) assertThat(http.post("/walker/where_am_i/" + item, Map.of(), token).status()).isEqualTo(200);
        String absent = Id.random().hex();
        assertThat(http.post("/walker/where_am_i/n:Item:" + absent, Map.of(), token).status()).isEqualTo(404);
        assertThat(http.get("/no/such/path/" + absent, token).status()).isEqualTo(404);
        assertThat(http.post("/walker/" + absent, Map.of(), token).status()).isEqualTo(404);
        Scrape after = scrape();

        assertThat(after.sum("walkerd_http_requests_total", "route", "/walker/where_am_i/{node-ref}", "status", "200")).isGreaterThanOrEqualTo(3);
        assertThat(after.sum("walkerd_http_requests_total", "route", "unmatched", "status", "404")).isGreaterThanOrEqualTo(2);
        Pattern id = Pattern.compile("[0-9a-f]{24}");
        for (Scrape.Sample s : after.samples()) {
            for (var label : s.labels().entrySet()) {
                assertThat(id.matcher(label.getValue()).find()).as("%s{%s=%s}", s.name(), label.getKey(), label.getValue()).isFalse();
            }
        }
    }

    @Test
    void theJvmsOwnMetersAreThere() {
        Scrape s = scrape();
        assertThat(s.has("jvm_memory_used_bytes")).isTrue();
        assertThat(s.has("jvm_threads_live_threads")).isTrue();
        assertThat(s.has("process_uptime_seconds")).isTrue();
    }

    @Test
    void theDashboardPlotsOnlySeriesTheServerExposes() throws Exception {
        String token = http.newToken();
        String item = http.post("/walker/build_items", Map.of("count", 1), token).reports().get(0).get("id").asText();
        assertThat(http.post("/walker/lose_the_race/" + item, Map.of(), token).status()).isEqualTo(409);
        Scrape s = scrape();
        // the runtime's series; the websocket plugin's are the plugin's to check
        Pattern runtimeSeries = Pattern.compile("\\b(walkerd_(?:http|walker|store)_\\w+|jvm_(?:memory|threads)_\\w+|process_\\w+|system_\\w+)");
        JsonNode dashboard = Http.JSON.readTree(Path.of("..", "deploy", "grafana", "walkerd-dashboard.json").toFile());
        Set<String> plotted = new TreeSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                Matcher m = runtimeSeries.matcher(target.path("expr").asText());
                while (m.find()) plotted.add(m.group(1));
            }
        }
        assertThat(plotted).contains("walkerd_http_requests_total", "walkerd_walker_duration_seconds_bucket", "walkerd_store_queries_total");
        assertThat(plotted).allSatisfy(name -> assertThat(s.has(name)).as(name).isTrue());
    }

    /** How much the series matching the labels moved between two scrapes. */
    static double moved(Scrape before, Scrape after, String name, String... labels) {
        return after.sum(name, labels) - before.sum(name, labels);
    }
}
