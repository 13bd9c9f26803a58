package io.walkerd.app;

import io.walkerd.server.Config;
import io.walkerd.server.WalkerdServer;
import io.walkerd.testing.Http;
import io.walkerd.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code walkerd grant-admin EMAIL} lets a registered user into the admin API, {@code revoke-admin EMAIL} takes it
 * back, on the store of a running server and with the token the user already has; an email nobody registered is an
 * error.
 */
class GrantAdminCommandTest {
    @TempDir
    Path dir;

    private static int run(Map<String, String> settings, ByteArrayOutputStream err, String... args) {
        return Main.command(args, Config.of(settings), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void grantAndRevokeAdminByEmailWhileTheServerRuns() {
        Map<String, String> settings = TestServer.settings(Map.of("DATABASE_PATH", dir.resolve("walkerd.db").toString()));
        try (WalkerdServer server = WalkerdServer.start(Config.of(settings))) {
            Http http = new Http(server.baseUrl());
            assertThat(http.post("/user/register", Map.of("email", "Ops@Example.com", "password", "secret-pass")).status()).isEqualTo(201);
            String token = http.post("/user/login", Map.of("email", "ops@example.com", "password", "secret-pass")).body().get("token").asText();
            assertThat(http.get("/admin/api/summary", token).status()).isEqualTo(403);

            ByteArrayOutputStream err = new ByteArrayOutputStream();
            assertThat(run(settings, err, "grant-admin", "OPS@example.com")).as(err.toString(StandardCharsets.UTF_8)).isZero();
            assertThat(http.get("/admin/api/summary", token).status()).as("the token the user has, from its next request").isEqualTo(200);

            assertThat(run(settings, err, "revoke-admin", "ops@example.com")).as(err.toString(StandardCharsets.UTF_8)).isZero();
            assertThat(http.get("/admin/api/summary", token).status()).isEqualTo(403);

            assertThat(run(settings, err, "grant-admin", "nobody@example.com")).isEqualTo(1);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("no user is registered with the email nobody@example.com");
        }
    }
}
