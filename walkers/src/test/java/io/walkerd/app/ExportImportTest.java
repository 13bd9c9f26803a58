package io.walkerd.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.walkerd.server.Config;
import io.walkerd.server.WalkerdServer;
import io.walkerd.testing.Http;
import io.walkerd.testing.MongoWire;
import io.walkerd.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code walkerd export FILE} and {@code import FILE} move a deployment from the embedded SQLite store to MongoDB
 * and back: after each move the same user logs in with the same password and walks the same graph.
 */
class ExportImportTest {
    @TempDir
    Path dir;

    private static Map<String, String> sqlite(Path file) { return TestServer.settings(Map.of("DATABASE_PATH", file.toString())); }

    private static Map<String, String> mongo(MongoWire wire) {
        return TestServer.settings(Map.of("DATABASE_HOST", wire.connectionString(), "DATABASE_NAME", "moved"));
    }

    private static void run(Map<String, String> settings, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.command(args, Config.of(settings), new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).as("%s: %s", String.join(" ", args), err.toString(StandardCharsets.UTF_8)).isZero();
    }

    /** Logs in on a server over {@code settings} and returns what walk_projects reports. */
    private static JsonNode loginAndWalk(Map<String, String> settings, String email) {
        try (WalkerdServer server = WalkerdServer.start(Config.of(settings))) {
            Http http = new Http(server.baseUrl());
            var login = http.post("/user/login", Map.of("email", email, "password", "secret-pass"));
            assertThat(login.status()).as("the user logs in with the same password").isEqualTo(200);
            var walked = http.post("/walker/walk_projects", Map.of(), login.body().get("token").asText());
            assertThat(walked.status()).isEqualTo(200);
            return walked.reports();
        }
    }

    @Test
    void aDeploymentMovesFromTheEmbeddedStoreToMongoDbAndBack() {
        Path first = dir.resolve("first.db");
        String email = "mover@example.com";
        JsonNode before;
        try (WalkerdServer server = WalkerdServer.start(Config.of(sqlite(first)))) {
            Http http = new Http(server.baseUrl());
            assertThat(http.post("/user/register", Map.of("email", email, "password", "secret-pass")).status()).isEqualTo(201);
            String token = http.post("/user/login", Map.of("email", email, "password", "secret-pass")).body().get("token").asText();
            var project = http.post("/walker/create_project", Map.of("name", "moving", "tags", List.of("a", "b")), token);
            assertThat(project.status()).isEqualTo(201);
            String id = project.reports().get(0).get("id").asText();
            for (String title : List.of("pack", "carry", "unpack")) {
                assertThat(http.post("/walker/add_task/" + id, Map.of("title", title), token).status()).isEqualTo(200);
            }
            before = http.post("/walker/walk_projects", Map.of(), token).reports();
        }
        assertThat(before.toString()).contains("moving", "pack", "carry", "unpack");

        Path out = dir.resolve("out.jsonl");
        run(sqlite(first), "export", out.toString());
        try (MongoWire wire = new MongoWire()) {
            run(mongo(wire), "import", out.toString());
            assertThat(loginAndWalk(mongo(wire), email)).as("on MongoDB").isEqualTo(before);

            Path back = dir.resolve("back.jsonl");
            run(mongo(wire), "export", back.toString());
            Path second = dir.resolve("second.db");
            run(sqlite(second), "import", back.toString());
            assertThat(loginAndWalk(sqlite(second), email)).as("back on the embedded store").isEqualTo(before);
        }
    }

    @Test
    void aWrongCommandLineAnswersUsageWithExitCode2() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.command(new String[]{"exprt", "x"}, Config.of(Map.of()), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage:");
    }
}
