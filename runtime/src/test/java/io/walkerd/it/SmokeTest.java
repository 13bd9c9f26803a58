package io.walkerd.it;

import io.walkerd.testing.Http;
import io.walkerd.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SmokeTest {
    static TestServer server;
    static Http http;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        http = server.http();
    }

    @AfterAll
    static void stop() { server.close(); }

    @Test
    void healthzAnswers() {
        assertThat(http.get("/healthz", null).status()).isEqualTo(200);
    }

    @Test
    void buildItemsThenWalkThem() {
        String token = http.newToken();
        var created = http.post("/walker/build_items", Map.of("count", 3), token);
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        assertThat(created.reports()).hasSize(3);
        var traversed = http.post("/walker/walk_items", Map.of(), token);
        assertThat(traversed.status()).as(traversed.toString()).isEqualTo(200);
        assertThat(traversed.reports()).hasSize(3);
        assertThat(traversed.reports().get(0).path("context").path("index").asInt()).isEqualTo(0);
    }
}
