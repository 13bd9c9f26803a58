package io.walkerd.it;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.walkerd.http.ErrorReplies;
import io.walkerd.testing.CapturedLogs;
import io.walkerd.testing.Http;
import io.walkerd.testing.LiveServer;
import io.walkerd.walker.WalkerRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A log line written while a walker runs says which walker, for which root, in which request
 * ({@code walker}, {@code root_id}, {@code request_id} in the log context), and the line of an internal error
 * carries the {@code error_id} its reply carries. A request's id is the client's {@code X-Request-Id} when sane.
 */
class LogContextTest {
    @RegisterExtension
    static final LiveServer server = new LiveServer();
    static final Http http = server.http();

    static Http.Response post(String path, Object body, String token, String requestId) {
        return http.send("POST", path, body, token, requestId == null ? Map.of() : Map.of("X-Request-Id", requestId));
    }

    @Test
    void anInternalErrorsLineCarriesWalkerRootRequestAndErrorIds() {
        JsonNode user = http.newUser();
        String root = "n::" + user.path("user").path("root_id").asText();
        try (CapturedLogs logs = CapturedLogs.of(WalkerRunner.class, ErrorReplies.class)) {
            Http.Response r = post("/walker/fail_with", Map.of("message", "kaput"), user.path("token").asText(), "req-4711");
            assertThat(r.status()).isEqualTo(500);
            assertThat(r.header("X-Request-Id")).isEqualTo("req-4711");
            String errorId = r.body().path("error_id").asText();
            List<ILoggingEvent> errors = logs.events().stream().filter(e -> e.getLevel().toString().equals("ERROR")).toList();
            assertThat(errors).hasSize(1);
            assertThat(errors.get(0).getMDCPropertyMap())
                    .containsEntry("walker", "fail_with").containsEntry("root_id", root)
                    .containsEntry("request_id", "req-4711").containsEntry("error_id", errorId);
        }
    }

    @Test
    void aWalkerFailuresLineCarriesWalkerRootAndRequestButNoErrorId() {
        try (CapturedLogs logs = CapturedLogs.of(WalkerRunner.class)) {
            Http.Response r = post("/walker/fail_with", Map.of("message", "teapot", "status", 418), null, null);
            assertThat(r.status()).isEqualTo(418);
            String requestId = r.header("X-Request-Id");
            assertThat(logs.events()).singleElement().satisfies(e -> assertThat(e.getMDCPropertyMap())
                    .containsEntry("walker", "fail_with").containsEntry("root_id", "n::000000000000000000000001")
                    .containsEntry("request_id", requestId).doesNotContainKey("error_id"));
        }
    }

    @Test
    void aWalkerRunFromInsideACallLeavesItsCallersContextAsItFoundIt() {
        String token = http.newToken();
        String item = http.post("/walker/build_items", Map.of("count", 1), token).reports().get(0).get("id").asText();
        try (CapturedLogs logs = CapturedLogs.of(WalkerRunner.class)) {
            // each attempt runs bump_item through the Walkers service; the final conflict is logged after the last
            assertThat(post("/walker/lose_the_race/" + item, Map.of(), token, "race-1").status()).isEqualTo(409);
            assertThat(logs.events()).singleElement().satisfies(e -> {
                assertThat(e.getFormattedMessage()).contains("conflicted");
                assertThat(e.getMDCPropertyMap()).containsEntry("walker", "lose_the_race").containsEntry("request_id", "race-1");
            });
        }
    }

    @Test
    void aRequestIdIsTheClientsWhenSaneAndAFreshOneOtherwise() {
        String token = http.newToken();
        assertThat(post("/walker/build_items", Map.of(), token, null).header("X-Request-Id")).matches("[0-9a-f]{16}");
        String traceLike = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        assertThat(post("/walker/build_items", Map.of(), token, traceLike).header("X-Request-Id")).isEqualTo(traceLike);
        for (String insane : new String[] {"a b", "<script>", "x".repeat(129), "a;b", "a\\b"}) {
            String answered = post("/walker/build_items", Map.of(), token, insane).header("X-Request-Id");
            assertThat(answered).as(insane).matches("[0-9a-f]{16}");
        }
        assertThat(post("/walker/build_items", Map.of(), token, "x".repeat(128)).header("X-Request-Id")).isEqualTo("x".repeat(128));
        assertThat(http.get("/healthz", null).header("X-Request-Id")).as("every response has one").matches("[0-9a-f]{16}");
    }
}
