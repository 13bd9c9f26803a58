package io.walkerd.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.walkerd.testing.Http;
import io.walkerd.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The runnable server's logs, as its Logback configuration writes them: the server runs as a child process of
 * {@link Main} with the configuration this module ships ({@code logback.xml}, which includes
 * {@code logback-<LOG_FORMAT>.xml}), and its output is read line by line. With {@code LOG_FORMAT=json} each line is
 * one JSON object and a walker's lines carry its log context; by default the lines are text.
 */
class LogFormatTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private Process child;

    /** Starts {@link Main} with the shipped Logback configuration (not the tests' own) and these settings. */
    private Process launch(Map<String, String> settings) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Dlogback.configurationFile=logback.xml",
                "-cp", System.getProperty("java.class.path"), Main.class.getName());
        Map<String, String> env = new HashMap<>(Map.of("HOST", "127.0.0.1", "PORT", "0", "DATABASE_PATH", ":memory:",
                "TOKEN_SECRET", TestServer.SECRET, "SCHEDULER_ENABLED", "false"));
        env.putAll(settings);
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        child = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        Thread reader = new Thread(() -> {
            try {
                for (String line; (line = out.readLine()) != null; ) lines.add(line);
            } catch (IOException ended) {
                // the process is gone
            }
        });
        reader.setDaemon(true);
        reader.start();
        return child;
    }

    /** The port the child listens on, from its start-up line. */
    private int port() {
        int[] port = new int[1];
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            for (String line : lines) {
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    port[0] = Integer.parseInt(m.group(1));
                    return true;
                }
            }
            return !child.isAlive();
        });
        assertThat(port[0]).as("the server started: %s", lines).isPositive();
        return port[0];
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (child != null) {
            child.destroy();
            if (!child.waitFor(30, TimeUnit.SECONDS)) child.destroyForcibly();
        }
    }

    private List<JsonNode> parsed() {
        List<JsonNode> out = new ArrayList<>();
        for (String line : lines) {
            try {
                JsonNode n = JSON.readTree(line);
                assertThat(n.isObject()).as(line).isTrue();
                out.add(n);
            } catch (IOException e) {
                throw new AssertionError("not a JSON line: " + line, e);
            }
        }
        return out;
    }

    @Test
    void withLogFormatJsonEveryLineIsAJsonObjectAndAWalkersLinesCarryItsContext() throws Exception {
        launch(Map.of("LOG_FORMAT", "json"));
        Http http = new Http("http://127.0.0.1:" + port());
        JsonNode user = http.newUser();
        String token = user.path("token").asText();
        String root = "n::" + user.path("user").path("root_id").asText();

        Http.Response failed = http.send("POST", "/walker/fail_with", Map.of("message", "kaput"), token, Map.of("X-Request-Id", "json-log-1"));
        assertThat(failed.status()).isEqualTo(500);
        String errorId = failed.body().path("error_id").asText();
        Http.Response refused = http.send("POST", "/walker/fail_with", Map.of("message", "teapot", "status", 418), token,
                Map.of("X-Request-Id", "json-log-2"));
        assertThat(refused.status()).isEqualTo(418);

        await().atMost(Duration.ofSeconds(30)).until(() -> parsed().stream().anyMatch(n -> n.path("mdc").path("request_id").asText().equals("json-log-2")));
        List<JsonNode> all = parsed();
        for (JsonNode n : all) {
            assertThat(n.path("timestamp").isNumber()).as(n.toString()).isTrue();
            assertThat(n.path("level").asText()).as(n.toString()).isIn("TRACE", "DEBUG", "INFO", "WARN", "ERROR");
            assertThat(n.path("loggerName").asText()).as(n.toString()).isNotEmpty();
            assertThat(n.has("formattedMessage")).as(n.toString()).isTrue();
        }
        assertThat(all).anySatisfy(n -> assertThat(n.path("formattedMessage").asText()).contains("listening on"));

        JsonNode error = all.stream().filter(n -> n.path("mdc").path("error_id").asText().equals(errorId)).findFirst().orElseThrow();
        assertThat(error.path("level").asText()).isEqualTo("ERROR");
        assertThat(error.path("mdc").path("walker").asText()).isEqualTo("fail_with");
        assertThat(error.path("mdc").path("root_id").asText()).isEqualTo(root);
        assertThat(error.path("mdc").path("request_id").asText()).isEqualTo("json-log-1");
        assertThat(error.path("throwable").path("className").asText()).isNotEmpty();

        JsonNode warning = all.stream().filter(n -> n.path("mdc").path("request_id").asText().equals("json-log-2")).findFirst().orElseThrow();
        assertThat(warning.path("level").asText()).isEqualTo("WARN");
        assertThat(warning.path("mdc").path("walker").asText()).isEqualTo("fail_with");
        assertThat(warning.path("mdc").path("root_id").asText()).isEqualTo(root);
        assertThat(warning.path("mdc").has("error_id")).isFalse();
    }

    @Test
    void byDefaultTheLinesAreTextForPeopleWithTheContextAfterTheMessage() throws Exception {
        launch(Map.of());
        Http http = new Http("http://127.0.0.1:" + port());
        String token = http.newToken();
        http.send("POST", "/walker/fail_with", Map.of("message", "teapot", "status", 418), token, Map.of("X-Request-Id", "text-log-1"));
        await().atMost(Duration.ofSeconds(30)).until(() -> lines.stream().anyMatch(l -> l.contains("request_id=text-log-1")));
        assertThat(lines).allSatisfy(l -> assertThat(l).doesNotStartWith("{"));
        assertThat(lines).filteredOn(l -> l.contains("listening on")).singleElement()
                .satisfies(l -> assertThat(l).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO .*").as("no empty context").doesNotEndWith("[]"));
        assertThat(lines).filteredOn(l -> l.contains("request_id=text-log-1")).singleElement()
                .satisfies(l -> assertThat(l).contains(" WARN ").contains("walker=fail_with"));
    }

    @Test
    void anUnknownLogFormatStopsTheStartSayingWhichAreKnown() throws Exception {
        Process p = launch(Map.of("LOG_FORMAT", "xml"));
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isNotZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> lines.stream().anyMatch(l -> l.contains("LOG_FORMAT must be text or json, got 'xml'")));
    }
}
