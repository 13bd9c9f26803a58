package io.walkerd.hostile;

import io.walkerd.http.ErrorReplies;
import io.walkerd.testing.CapturedLogs;
import io.walkerd.testing.Http;
import io.walkerd.testing.LiveServer;
import io.walkerd.testing.MongoWire;
import io.walkerd.testing.TestServer;
import io.walkerd.walker.WalkerRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replies carry no internals: an unexpected failure answers {@code {"error":"internal error","error_id"}} and the
 * log holds the failure under that id; 422s say in words what is wrong with which field. Every body is scanned for
 * the marks of leaked internals.
 */
class ErrorBodiesTest {
    @RegisterExtension
    static final LiveServer server = new LiveServer();
    static final Http http = server.http();

    /** What a reply must never contain: Java or driver type names, exception names, library names. */
    static void assertNoInternals(Http.Response r) {
        assertThat(r.raw()).as(r.toString()).doesNotContain("java.").doesNotContainIgnoringCase("exception")
                .doesNotContainIgnoringCase("mongodb").doesNotContainIgnoringCase("jackson").doesNotContain("io.walkerd")
                .doesNotContain("\tat ");
    }

    @Test
    void anUnexpectedFailureAnswersInternalErrorWithAnIdThatTheLogHolds() {
        try (CapturedLogs logs = CapturedLogs.of(ErrorReplies.class, WalkerRunner.class)) {
            var r = http.post("/walker/fail_with", Map.of("message", "secret detail"));
            assertThat(r.status()).isEqualTo(500);
            assertThat(r.body().size()).isEqualTo(2);
            assertThat(r.body().get("error").asText()).isEqualTo("internal error");
            String id = r.body().get("error_id").asText();
            assertThat(id).matches("[0-9a-f]{16}");
            assertThat(r.raw()).doesNotContain("secret detail");
            assertNoInternals(r);
            assertThat(logs.printed()).anySatisfy(line -> assertThat(line).contains(id).contains("IllegalStateException").contains("secret detail"));
        }
    }

    @Test
    void aValueTooLargeForTheStoreFailsTheWalkerInWordsAndNothingOfTheStoreLeaks() {
        var r = http.post("/walker/store_huge", Map.of());
        assertThat(r.status()).isEqualTo(500);
        assertThat(r.body().get("error").asText()).contains("larger than").contains("the store's limit").contains("nothing was saved");
        assertNoInternals(r);
    }

    @Test
    void aStoreThatStopsAnsweringGives503WithAnIdAndNoDriverMessage() {
        MongoWire wire = new MongoWire();
        TestServer onMongo = TestServer.start(Map.of("DATABASE_HOST", wire.connectionString() + "/?serverSelectionTimeoutMS=300&connectTimeoutMS=300"));
        try (CapturedLogs logs = CapturedLogs.of(WalkerRunner.class, ErrorReplies.class)) {
            Http h = onMongo.http();
            String token = h.newToken();
            wire.close(); // the database goes away under a running server
            var r = h.post("/walker/build_items", Map.of("count", 1), token);
            assertThat(r.status()).as(r.toString()).isEqualTo(503);
            {
                assertThat(r.body().get("error").asText()).isEqualTo("store unavailable");
                String id = r.body().get("error_id").asText();
                assertThat(logs.printed()).anySatisfy(line -> assertThat(line).contains(id));
            }
            assertNoInternals(r);
            var health = h.get("/healthz", null);
            assertThat(health.status()).isEqualTo(503);
            assertThat(health.body().get("reason").asText()).doesNotContainIgnoringCase("exception").doesNotContain("java.");
        } finally {
            onMongo.close();
        }
    }

    @Test
    void aWalkersOwnErrorKeepsItsStatusAndMessage() {
        var r = http.post("/walker/fail_with", Map.of("message", "no such task", "status", 404));
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.body()).isEqualTo(Http.JSON.valueToTree(Map.of("error", "no such task")));
    }

    @Test
    void wrongScalarTypesAre422sInWords() {
        var r = http.post("/walker/typed_inputs", Map.of("ratio", "half", "scores", "1,2"));
        assertThat(r.status()).isEqualTo(422);
        assertNoInternals(r);
        assertThat(problems(r)).containsExactlyInAnyOrder(
                "[\"body\",\"scores\"] Input should be a valid list of integers",
                "[\"body\",\"ratio\"] Input should be a valid number");
    }

    @Test
    void aWrongValueInsideAListOrObjectNamesItsPath() {
        var r = http.post("/walker/typed_inputs", Map.of("scores", List.of(1, "two"), "limits", Map.of("max", 3, "strict", "very")));
        assertThat(r.status()).isEqualTo(422);
        assertNoInternals(r);
        assertThat(problems(r)).containsExactlyInAnyOrder(
                "[\"body\",\"scores\",1] Input should be a valid integer",
                "[\"body\",\"limits\",\"strict\"] Input should be a valid boolean");
    }

    @Test
    void anUnknownEnumValueIs422SayingWhichValuesAreValid() {
        var r = http.post("/walker/typed_inputs", Map.of("level", "ADMIN"));
        assertThat(r.status()).isEqualTo(422);
        assertNoInternals(r);
        assertThat(problems(r)).singleElement().asString()
                .startsWith("[\"body\",\"level\"] ").contains("'ADMIN'").contains("NO_ACCESS, READ, CONNECT, WRITE");
    }

    @Test
    void bodiesThatAreNotJsonObjectsAre422sWithoutParserInternals() {
        for (String body : List.of("{\"a\":", "[1,2]", "\"text\"", "{\"a\": 01}", "nul")) {
            var r = http.send("POST", "/walker/typed_inputs", body, null);
            assertThat(r.status()).as(body).isEqualTo(422);
            assertNoInternals(r);
        }
    }

    @Test
    void routingErrorsCarryNoInternals() {
        for (Http.Response r : List.of(
                http.post("/walker/no_such_walker", Map.of()),
                http.post("/walker/typed_inputs/n:Item:zzzz", Map.of()),
                http.post("/walker/typed_inputs/n:Item:000000000000000000000abc", Map.of()),
                http.send("PATCH", "/walker/typed_inputs", Map.of(), null),
                http.post("/user/login", "{\"email\": [1]}"),
                http.post("/user/register", "{\"email\": {\"$gt\": \"\"}, \"password\": 5}"))) {
            assertThat(r.status()).as(r.toString()).isBetween(400, 499);
            assertNoInternals(r);
        }
    }

    private static List<String> problems(Http.Response r) {
        return java.util.stream.StreamSupport.stream(r.body().get("detail").spliterator(), false)
                .map(p -> p.get("loc").toString() + " " + p.get("msg").asText()).toList();
    }
}
