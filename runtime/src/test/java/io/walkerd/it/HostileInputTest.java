package io.walkerd.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.walkerd.testing.Http;
import io.walkerd.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Values too deep or too large for the store are refused at the edge, naming the field, before anything is
 * written; the store goes on serving everyone, and everything is there after a restart.
 */
class HostileInputTest {
    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.onFile(dir.resolve("walkerd.db"), Map.of("STORE_MAX_DOCUMENT_BYTES", "65536"));
    }

    @AfterAll
    static void stop() { server.close(); }

    /** {@code {"a":{"a":...1...}}} nested {@code depth} objects deep. */
    static String nested(int depth) {
        return "{\"a\":".repeat(depth - 1) + "{\"a\":1}" + "}".repeat(depth - 1);
    }

    private static String email() { return "h" + UUID.randomUUID().toString().substring(0, 10) + "@example.com"; }

    @Test
    void registrationWithAnExtraFieldNested500DeepIsRefusedNamingTheFieldAndTheStoreKeepsServing() {
        Http http = server.http();
        JsonNode existing = http.newUser();
        String email = email();
        var r = http.post("/user/register", "{\"email\":\"" + email + "\",\"password\":\"secret-pass\",\"profile\":" + nested(500) + "}");
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.body().get("detail").get(0).get("loc").get(1).asText()).isEqualTo("profile");
        assertThat(r.body().get("detail").get(0).get("msg").asText()).contains("nested deeper than 64 levels");
        assertThat(http.post("/user/login", Map.of("email", email, "password", "secret-pass")).status())
                .as("nothing was written").isEqualTo(400);

        assertThat(http.post("/user/login", Map.of("email", existing.get("user").get("email").asText(), "password", "secret-pass")).status())
                .isEqualTo(200);
        assertThat(http.post("/walker/build_items", Map.of("count", 2), existing.get("token").asText()).status()).isEqualTo(200);
        assertThat(server.http().get("/healthz", null).status()).isEqualTo(200);
    }

    @Test
    void walkerInputNested400DeepIsRefusedNamingTheFieldAndNothingIsWritten() {
        Http http = server.http();
        String token = http.newToken();
        String doc = http.post("/walker/make_doc", Map.of(), token).reports().get(0).get("id").asText();
        var r = http.post("/walker/set_meta/" + doc, "{\"meta\":" + nested(400) + "}", token);
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.body().get("detail").get(0).get("loc").get(1).asText()).isEqualTo("meta");
        var ok = http.post("/walker/set_meta/" + doc, "{\"meta\":" + nested(60) + "}", token);
        assertThat(ok.status()).as("a value within the limit passes").isEqualTo(200);
    }

    @Test
    void valuesJustUnderTheDepthLimitPassAndJustOverAreRefused() {
        Http http = server.http();
        String token = http.newToken();
        String doc = http.post("/walker/make_doc", Map.of(), token).reports().get(0).get("id").asText();
        // the body is level 1, meta's value level 2: 63 nested objects under it reach level 64
        assertThat(http.post("/walker/set_meta/" + doc, "{\"meta\":" + nested(63) + "}", token).status()).isEqualTo(200);
        assertThat(http.post("/walker/set_meta/" + doc, "{\"meta\":" + nested(64) + "}", token).status()).isEqualTo(422);
    }

    @Test
    void aDocumentLargerThanTheLimitIsRefusedAtInput() {
        Http http = server.http();
        String token = http.newToken();
        String doc = http.post("/walker/make_doc", Map.of(), token).reports().get(0).get("id").asText();
        String big = "x".repeat(70_000);
        var r = http.post("/walker/set_meta/" + doc, Map.of("meta", Map.of("text", big)), token);
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.body().get("detail").get(0).get("msg").asText()).contains("larger than 65536 bytes");
        assertThat(http.post("/walker/set_meta/" + doc, Map.of("meta", Map.of("text", "x".repeat(60_000))), token).status()).isEqualTo(200);
    }

    @Test
    void aWalkerThatBuildsATooDeepValueItselfFailsNamingTheLimitAndWritesNothing() {
        Http http = server.http();
        String token = http.newToken();
        String doc = http.post("/walker/make_doc", Map.of(), token).reports().get(0).get("id").asText();
        var r = http.post("/walker/write_deep/" + doc, Map.of("depth", 100), token);
        assertThat(r.status()).isEqualTo(500);
        assertThat(r.body().get("error").asText()).contains("nested deeper than 64 levels").contains("nothing was saved");
        JsonNode stored = http.post("/walker/where_am_i/" + doc, Map.of(), token).reports().get(0).get("context");
        assertThat(stored.get("meta").isEmpty()).isTrue();
    }

    @Test
    void everythingIsThereAfterARestartFollowingHostileInput() {
        Http http = server.http();
        JsonNode user = http.newUser();
        String token = user.get("token").asText();
        http.post("/walker/build_items", Map.of("count", 3), token);
        http.post("/user/register", "{\"email\":\"" + email() + "\",\"password\":\"secret-pass\",\"x\":" + nested(500) + "}");
        server = server.restart();
        Http again = server.http();
        assertThat(again.post("/user/login", Map.of("email", user.get("user").get("email").asText(), "password", "secret-pass")).status())
                .isEqualTo(200);
        assertThat(again.post("/walker/walk_items", Map.of(), token).reports()).hasSize(3);
    }
}
