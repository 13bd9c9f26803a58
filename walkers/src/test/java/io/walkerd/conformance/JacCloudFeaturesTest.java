package io.walkerd.conformance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.walkerd.testing.Http;
import io.walkerd.testing.Http.Part;
import io.walkerd.testing.Http.Response;
import io.walkerd.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * jac-cloud's {@code test_simple_graph.py} flows for the rest of the walker model (file upload, memory sync, savable
 * objects, webhooks, nested request payloads, tasks and the scheduled walker, async walkers), over real HTTP against
 * a server that runs scheduled walkers and shows no returns, as jac-cloud's own run does.
 */
class JacCloudFeaturesTest {
    record User(String token, String rootRef) {}

    static TestServer server;
    static Http http;
    static User first;
    static User second;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("SCHEDULER_ENABLED", "true", "WALKERD_CONFORMANCE", "true"));
        http = server.http();
        first = register();
        second = register();
    }

    @AfterAll
    static void stop() { server.close(); }

    @Nested
    class FileUpload {
        @Test
        void postWithFileReportsTheNameTypeAndSizeOfEachFile() throws IOException {
            byte[] simple;
            try (InputStream in = Objects.requireNonNull(getClass().getResourceAsStream("/conformance/simple.json"))) {
                simple = in.readAllBytes();
            }
            assertThat(simple).hasSize(25);
            Response res = http.postMultipart("/walker/post_with_file", List.of(
                    Part.file("single", "simple.json", "application/json", simple),
                    Part.file("multiple", "simple.json", "application/json", simple),
                    Part.file("multiple", "simple.json", "application/json", simple)), first.token());

            assertThat(res.status()).as(res.raw()).isEqualTo(200);
            assertThat(res.body()).isEqualTo(json("""
                    {"status": 200, "reports": [{
                      "single": {"single": {"name": "simple.json", "content_type": "application/json", "size": 25}},
                      "multiple": [{"name": "simple.json", "content_type": "application/json", "size": 25},
                                   {"name": "simple.json", "content_type": "application/json", "size": 25}],
                      "singleOptional": null}]}"""));
        }
    }

    @Nested
    class MemorySync {
        @Test
        void checkMemorySyncSetsTheNodesValAndTheChangePersists() {
            call(first, "purge_populated_graph");
            call(first, "create_graph");
            JsonNode a = call(first, "traverse_graph").reports().get(1);
            assertThat(a.path("id").asText()).startsWith("n:A:");

            Response res = http.post("/walker/check_memory_sync", Map.of("other_node_id", a.path("id").asText()), first.token());
            assertThat(res.status()).as(res.raw()).isEqualTo(200);
            assertThat(res.reports().get(0).path("context")).isEqualTo(json("{\"val\": 4}"));
            assertThat(call(first, "traverse_graph").reports().get(1).path("context")).isEqualTo(json("{\"val\": 4}"));
        }

        @Test
        void anotherUserWithoutAccessGets200AndChangesNothing() {
            call(first, "purge_populated_graph");
            call(first, "create_graph");
            String a = call(first, "traverse_graph").reports().get(1).path("id").asText();

            Response res = http.post("/walker/check_memory_sync", Map.of("other_node_id", a), second.token());
            assertThat(res.status()).as(res.raw()).isEqualTo(200);
            assertThat(res.reports().get(0).isNull()).isTrue();
            assertThat(call(first, "traverse_graph").reports().get(1).path("context")).isEqualTo(json("{\"val\": 0}"));
        }
    }

    @Nested
    class SavableObject {
        @Test
        void createGetUpdateAndDeleteACustomObject() {
            JsonNode created = call(second, "create_custom_object").reports().get(0);
            String id = created.path("id").asText();
            assertThat(id).startsWith("o:SavableObject:");
            assertThat(created.path("context")).isEqualTo(SimpleGraphTest.CREATED);

            JsonNode got = call(second, "get_custom_object", Map.of("object_id", id)).reports().get(0);
            assertThat(got.path("id").asText()).isEqualTo(id);
            assertThat(got.path("context")).isEqualTo(SimpleGraphTest.CREATED);

            JsonNode updated = call(second, "update_custom_object", Map.of("object_id", id)).reports().get(0);
            assertThat(updated.path("id").asText()).startsWith("o:SavableObject:");
            assertThat(updated.path("context")).isEqualTo(SimpleGraphTest.UPDATED);
            assertThat(call(second, "get_custom_object", Map.of("object_id", id)).reports().get(0).path("context"))
                    .isEqualTo(SimpleGraphTest.UPDATED);

            call(second, "delete_custom_object", Map.of("object_id", id));
            assertThat(call(second, "get_custom_object", Map.of("object_id", id)).reports()).containsExactly(json("null"));
        }
    }

    @Nested
    class Webhook {
        @Test
        void aKeyWorksByHeaderQueryPathAndBody() {
            String key = generate(Map.of("count", 60, "interval", "days"));
            JsonNode ok = json("{\"status\": 200, \"reports\": [true]}");

            assertThat(webhook("webhook_by_header", null, Map.of("test_key", key)).body()).isEqualTo(ok);
            assertThat(webhook("webhook_by_query?test_key=" + URLEncoder.encode(key, StandardCharsets.UTF_8), null, Map.of()).body()).isEqualTo(ok);
            assertThat(webhook("webhook_by_path/" + key, null, Map.of()).body()).isEqualTo(ok);
            assertThat(webhook("webhook_by_body", Map.of("test_key", key), Map.of()).body()).isEqualTo(ok);
        }

        @Test
        void anExpiredKeyIs401() {
            String key = generate(Map.of("count", 1, "interval", "seconds"));
            await().atMost(Duration.ofSeconds(5)).until(() -> webhook("webhook_by_header", null, Map.of("test_key", key)).status() == 401);
            assertThat(webhook("webhook_by_body", Map.of("test_key", key), Map.of()).status()).isEqualTo(401);
        }

        private String generate(Map<String, Object> expiration) {
            Response res = http.post("/webhook/generate-key", Map.of("name", "test " + expiration, "walkers", List.of(), "nodes", List.of(),
                    "expiration", expiration), first.token());
            assertThat(res.status()).as(res.raw()).isEqualTo(201);
            return res.body().path("key").asText();
        }

        private Response webhook(String path, Object body, Map<String, String> headers) {
            return http.send("POST", "/webhook/walker/" + path, body == null ? Map.of() : body, null, headers);
        }
    }

    @Nested
    class NestedRequestPayload {
        @Test
        void eachNestedValueArrivesAsItsOwnType() {
            JsonNode adult = json("""
                    {"enum_field": "a", "kid": {"enum_field": "a"}, "arr": [{"enum_field": "a"}], "data": {"kid1": {"enum_field": "a"}}}""");
            Response res = http.post("/walker/nested_request_payload", Map.of("adult", adult, "arr", List.of(adult),
                    "data", Map.of("kid1", adult), "enum_field", "a"), first.token());

            assertThat(res.status()).as(res.raw()).isEqualTo(200);
            assertThat(res.body()).isEqualTo(json("""
                    {"status": 200, "reports": ["Adult", "Kid", "Kid", "Kid", "Letter", "Adult", "Kid", "Kid", "Kid", "Letter",
                                                "Adult", "Kid", "Kid", "Kid", "Letter", "Letter"]}"""));
        }
    }

    @Nested
    class TaskCreationAndScheduledWalker {
        @Test
        void eachTaskIncrementsTheCounterAndTheCronWalkerSavesItsGrowingResultEverySecond() {
            Response created = call(first, "get_or_create_counter");
            assertThat(created.reports()).hasSize(1);
            assertThat(created.reports().get(0).path("context")).isEqualTo(json("{\"val\": 0}"));
            String counter = created.reports().get(0).path("id").asText();

            // saved at least twice in 3 s
            Set<String> runs = new LinkedHashSet<>();
            await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100)).until(() -> {
                JsonNode last = lastCronRun();
                if (!last.isNull()) runs.add(last.path("id").asText());
                return runs.size() >= 3; // the first may be older than this test
            });
            JsonNode last = lastCronRun();
            assertThat(last.path("name").asText()).isEqualTo("walker_cron");
            assertThat(last.path("root").asText()).isEqualTo("n::000000000000000000000000");
            assertThat(last.path("archetype")).isEqualTo(json("{\"arg1\": 1, \"arg2\": \"2\", \"kwarg1\": 30, \"kwarg2\": \"40\"}"));
            assertThat(last.path("schedule").path("status").asText()).isEqualTo("COMPLETED");
            assertThat(last.path("schedule").path("http_status").asInt()).isEqualTo(200);
            assertThat(last.path("schedule").path("error").isNull()).isTrue();

            for (int i = 1; i <= 3; i++) {
                Response res = call(first, "trigger_counter_task");
                assertThat(res.reports()).hasSize(1);
                assertThat(res.reports().get(0).asText()).startsWith("w:increment_counter:");

                int expected = i;
                await().atMost(Duration.ofSeconds(5)).until(() ->
                        call(first, "get_or_create_counter/" + counter).reports().get(0).path("context"), json("{\"val\": " + expected + "}")::equals);
                // the cron walker's saved result grows with the counter
                await().atMost(Duration.ofSeconds(5)).until(() -> lastCronRun().path("schedule").path("reports"),
                        json("[" + expected + "]")::equals);
            }
        }

        private JsonNode lastCronRun() { return call(second, "get_scheduled_walker_result").reports().get(0); }
    }

    @Nested
    class AsyncWalker {
        @Test
        void anAsyncWalkerAnswersItsIdAndItsDocumentShowsItCompleted() {
            Response res = http.post("/walker/async_walker",
                    Map.of("arg1", 0, "arg2", "string", "kwarg1", 3, "kwarg2", "4", "done", false), first.token());
            assertThat(res.status()).as(res.raw()).isEqualTo(200);
            String id = res.body().path("walker_id").asText();
            assertThat(id).startsWith("w:async_walker:");

            JsonNode doc = await().atMost(Duration.ofSeconds(5)).until(
                    () -> call(first, "get_async_walker", Map.of("walker_id", id)).reports().get(0),
                    d -> d.path("schedule").path("status").asText().equals("COMPLETED"));
            assertThat(doc.path("id").asText()).isEqualTo(id);
            assertThat(doc.path("name").asText()).isEqualTo("async_walker");
            assertThat(doc.path("root").asText()).isEqualTo(first.rootRef());
            assertThat(doc.path("archetype")).isEqualTo(json("{\"arg1\": 0, \"arg2\": \"string\", \"kwarg1\": 3, \"kwarg2\": \"4\", \"done\": true}"));
            JsonNode schedule = doc.path("schedule");
            assertThat(schedule.path("http_status").asInt()).isEqualTo(200);
            assertThat(schedule.path("reports")).isEqualTo(json("[]"));
            assertThat(schedule.path("custom").isNull()).isTrue();
            assertThat(schedule.path("error").isNull()).isTrue();
            List<String> keys = new ArrayList<>();
            schedule.fieldNames().forEachRemaining(keys::add);
            assertThat(keys).containsExactly("status", "node_id", "root_id", "execute_date", "executed_date", "http_status",
                    "reports", "custom", "error");

            assertThat(call(second, "get_async_walker", Map.of("walker_id", id)).reports())
                    .as("another user's walker").containsExactly(json("null"));
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    static User register() {
        JsonNode login = http.newUser();
        return new User(login.path("token").asText(), "n::" + login.path("user").path("root_id").asText());
    }

    static Response call(User user, String walkerPath) { return call(user, walkerPath, Map.of()); }

    static Response call(User user, String walkerPath, Map<String, Object> body) {
        Response res = http.post("/walker/" + walkerPath, body, user.token());
        assertThat(res.status()).as(walkerPath + ": " + res.raw()).isEqualTo(200);
        return res;
    }

    static JsonNode json(String text) {
        try {
            return Http.JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
