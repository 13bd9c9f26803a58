package io.walkerd.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.walkerd.graph.Id;
import io.walkerd.store.NodeRecord;
import io.walkerd.testing.Http;
import io.walkerd.testing.LiveServer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The walker model's exact semantics: ability order, skip, the limits of a walk, statusCode, spawn, JSON types. */
class WalkerModelTest {
    @RegisterExtension
    static final LiveServer server = new LiveServer();
    static final Http http = server.http();

    @RegisterExtension
    static final LiveServer limited = new LiveServer(Map.of("WALKER_MAX_STEPS", "50", "WALKER_TIMEOUT_MS", "400"));
    static final Http limitedHttp = limited.http();

    private static List<String> reports(Http.Response r) {
        List<String> out = new ArrayList<>();
        r.reports().forEach(v -> out.add(v.asText()));
        return out;
    }

    @Nested
    class Order {
        @Test
        void abilitiesOfOneClassAndPhaseRunInDeclarationOrder() {
            Http.Response r = http.post("/walker/declaration_order", Map.of(), http.newToken());
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(reports(r)).containsExactly(
                    "spawn zulu", "spawn alpha", "spawn mike",
                    "root yoke", "root bravo",
                    "walker on ordered", "node zeta", "node beta", "node yankee", "node alpha",
                    "exit xray", "exit charlie");
        }
    }

    @Nested
    class Skip {
        @Test
        void skipInASpawnTimeEntryLeavesOnlyTheRestOfThoseEntries() {
            Http.Response r = http.post("/walker/skip_at_spawn", Map.of(), http.newToken());
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(reports(r)).containsExactly("entry 1", "root", "item", "exit");
        }
    }

    @Nested
    class Limits {
        @Test
        void aWalkThatEntersMoreThanMaxStepsNodesFailsNamingTheLimitAndWritesNothing() {
            String token = limitedHttp.newToken();
            Http.Response r = limitedHttp.post("/walker/walk_in_circles", Map.of(), token);
            assertThat(r.status()).as(r.toString()).isEqualTo(500);
            assertThat(r.body().path("error").asText()).contains("WALKER_MAX_STEPS").contains("50").contains("nothing was saved");
            assertThat(owned(limitedHttp, token)).as("the cycle was not stored").isEqualTo(1);
        }

        @Test
        void aWalkThatQueuesMoreThanItCouldEverEnterFailsAtTheVisit() {
            String token = limitedHttp.newToken();
            Http.Response r = limitedHttp.post("/walker/queue_forever", Map.of(), token);
            assertThat(r.status()).as(r.toString()).isEqualTo(500);
            assertThat(r.body().path("error").asText()).contains("WALKER_MAX_STEPS");
            assertThat(owned(limitedHttp, token)).isEqualTo(1);
        }

        @Test
        void aWalkThatRunsLongerThanTheTimeoutFailsNamingTheLimitAndWritesNothing() {
            String token = limitedHttp.newToken();
            long started = System.nanoTime();
            Http.Response r = limitedHttp.post("/walker/take_forever", Map.of(), token);
            long tookMillis = (System.nanoTime() - started) / 1_000_000;
            assertThat(r.status()).as(r.toString()).isEqualTo(500);
            assertThat(r.body().path("error").asText()).contains("WALKER_TIMEOUT_MS").contains("400 ms");
            assertThat(tookMillis).isLessThan(10_000);
            assertThat(owned(limitedHttp, token)).isEqualTo(1);
        }

        @Test
        void aWalkWithinTheLimitsIsUntouched() {
            Http.Response r = limitedHttp.post("/walker/build_items", Map.of("count", 10), limitedHttp.newToken());
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(r.reports()).hasSize(10);
        }

        private long owned(Http h, String token) {
            return h.post("/walker/count_owned", Map.of(), token).reports().get(0).asLong();
        }
    }

    @Nested
    class StatusCode {
        @Test
        void theSpecsStatusCodeIsTheStatusOfASuccessfulCall() {
            Http.Response r = http.post("/walker/created_by_default", Map.of(), http.newToken());
            assertThat(r.status()).as(r.toString()).isEqualTo(201);
            assertThat(r.body().path("status").asInt()).isEqualTo(201);
        }

        @Test
        void aStatusTheWalkerSetsWinsOverTheSpecs() {
            Http.Response r = http.post("/walker/created_by_default", Map.of("status", 202), http.newToken());
            assertThat(r.status()).as(r.toString()).isEqualTo(202);
            assertThat(r.body().path("status").asInt()).isEqualTo(202);
        }
    }

    @Nested
    class Spawn {
        @Test
        void aSpawnedPrivateWalkerRunsInTheSameCallAndCommit() {
            String token = http.newToken();
            Http.Response r = http.post("/walker/spawn_grow", Map.of(), token);
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(reports(r)).containsExactly("grown 2", "child entered 1");
            assertThat(http.post("/walker/count_owned", Map.of(), token).reports().get(0).asLong())
                    .as("root, two items, two edges").isEqualTo(5);
        }

        @Test
        void aSpawnedWalkersFailureFailsTheCallAndWritesNeitherWalkersChanges() {
            String token = http.newToken();
            Http.Response r = http.post("/walker/spawn_grow", Map.of("failWith", "the child refused"), token);
            assertThat(r.status()).as(r.toString()).isEqualTo(400);
            assertThat(r.body().path("error").asText()).isEqualTo("the child refused");
            assertThat(http.post("/walker/count_owned", Map.of(), token).reports().get(0).asLong()).isEqualTo(1);
        }

        @Test
        void aPrivateWalkerStillHasNoRoute() {
            assertThat(http.post("/walker/grow_here", Map.of(), http.newToken()).status()).isEqualTo(404);
        }
    }

    @Nested
    class JsonTypes {
        @Test
        void javaTimeOptionalRecordsAndEnumsRoundTripThroughInputsNodesAndResponses() {
            String token = http.newToken();
            Http.Response r = http.post("/walker/stamp", Map.of("at", "2024-02-29T12:30:00Z", "note", "leap",
                    "span", Map.of("from", "2024-03-01", "to", "2024-03-31"), "mood", "BUSY"), token);
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            JsonNode node = r.reports().get(0);
            assertThat(node.path("context").path("at").asText()).isEqualTo("2024-02-29T12:30:00Z");
            assertThat(node.path("context").path("note").asText()).isEqualTo("leap");
            assertThat(node.path("context").path("span")).isEqualTo(Http.JSON.valueToTree(Map.of("from", "2024-03-01", "to", "2024-03-31")));
            assertThat(node.path("context").path("mood").asText()).isEqualTo("BUSY");
            assertThat(r.reports().get(1).asText()).isEqualTo("Instant Span Mood");

            Http.Response read = http.post("/walker/read_stamps", Map.of(), token);
            assertThat(read.status()).as(read.toString()).isEqualTo(200);
            assertThat(read.reports().get(0).path("context")).isEqualTo(node.path("context"));
            assertThat(read.reports().get(1).asText()).isEqualTo("1 FRIDAY leap");

            NodeRecord stored = server.walkerd().store().store().nodes(List.of(Id.of(node.path("id").asText().substring("n:Stamped:".length())))).get(0);
            assertThat(stored.archetype().path("at").isTextual()).as("stored as ISO-8601 text").isTrue();
            assertThat(stored.archetype().path("history").get(1).asText()).isEqualTo("2024-02-29T12:31:00Z");
        }

        @Test
        void anAbsentOptionalIsNullAndAWrongDateIs422NamingTheField() {
            String token = http.newToken();
            Http.Response r = http.post("/walker/stamp", Map.of("at", "2024-02-29T12:30:00Z",
                    "span", Map.of("from", "2024-03-01", "to", "2024-03-31")), token);
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(r.reports().get(0).path("context").path("note").isNull()).isTrue();

            Http.Response bad = http.post("/walker/stamp", Map.of("at", "yesterday", "span", Map.of("from", "2024-03-01", "to", "2024-03-31")), token);
            assertThat(bad.status()).as(bad.toString()).isEqualTo(422);
            assertThat(bad.body().path("detail").get(0).path("loc")).isEqualTo(Http.JSON.valueToTree(List.of("body", "at")));
            assertThat(bad.raw()).doesNotContain("java.").doesNotContain("io.walkerd");
        }
    }
}
